"""The ecomap laid out in sectors on closeness rings, drawn as SVG.

A reader scans sectors on rings faster than a force-directed tangle, so placement is by rule: each
tie starts at its sector's angle (family, relatives, friends, school and daycare, health, social
services, leisure and communities, clockwise from the top) on its ring (near, middle, far), spread
evenly within the sector. Graphviz `neato -n` then takes those positions as given, removes any
overlap that many ties in one sector leave (moving a symbol as little as it can) and routes the ties
from the centre as splines around the symbols. So the rule decides where things belong and Graphviz
makes sure nothing covers anything, the same division of labour as the genogram's `dot` layout.
As there, names never reach Graphviz: the graph holds ids and sizes only.
"""

import functools
import json
import math
import subprocess
import xml.etree.ElementTree as ET  # nosec B405: builds our own SVG, never parses anything
from dataclasses import dataclass

import graphviz
from django.utils.translation import gettext as _

from apps.core.choices import labels

from .layout import CHAR, FONT, POINTS_PER_INCH, SVG_NS, LayoutError, _el, _fmt
from .models import EcomapTie, Sector

RINGS = {1: 120.0, 2: 215.0, 3: 310.0}
CENTRE = 46.0  # radius of the centre circle
TIE_HEIGHT = 30.0
MAX_CHARS = 24
SECTORS = list(Sector.values)
STRENGTH_STYLE = {"strong": ("#1a1a1a", 3.0, ""), "weak": ("#555555", 1.5, "6 4"), "stressful": ("#b00020", 2.0, "")}
SECTOR_FILL = {
    "family": "#fdf1e3",
    "relatives": "#fbe9ef",
    "friends": "#eef6e8",
    "school": "#e8f0fb",
    "health": "#e7f6f5",
    "social": "#f1ecf8",
    "leisure": "#fbf7e1",
}


@dataclass
class TieView:
    """What one tie shows: its main line (who or what), a second line (the service, the professional)."""

    id: int
    sector: str
    ring: int
    strength: str
    support: str
    title: str
    detail: str
    description: str


def tie_views(ties: list[EcomapTie]) -> list[TieView]:
    service_labels = labels(EcomapTie._meta.get_field("service"))
    strength_labels = labels(EcomapTie._meta.get_field("strength"))
    support_labels = labels(EcomapTie._meta.get_field("support"))
    ring_labels = labels(EcomapTie._meta.get_field("ring"))
    views = []
    for t in ties:
        relative = ""
        if t.relative_id:
            r = t.relative
            relative = f"{r.person.first_names} {r.person.last_name}" if r.person_id else r.name
        title = t.name or relative or str(service_labels.get(t.service, t.service))
        service = str(service_labels.get(t.service, "")) if t.service else ""
        detail = ", ".join(x for x in (service if service != title else "", t.professional) if x)
        facts = [str(strength_labels.get(t.strength, t.strength)), str(ring_labels.get(t.ring, t.ring))]
        if t.support != "none":
            facts.append(str(support_labels.get(t.support, t.support)))
        description = f"{title}" + (f" ({detail})" if detail else "") + ": " + ", ".join(facts)
        if t.contact:
            description += "; " + _("yhteystieto %(contact)s") % {"contact": t.contact}
        if t.note:
            description += "; " + t.note
        views.append(TieView(t.pk, t.sector, t.ring, t.strength, t.support, title, detail, description))
    return views


def _size(view: TieView) -> float:
    return max(len(view.title[:MAX_CHARS]), len(view.detail[:MAX_CHARS])) * CHAR + 16


def rule_positions(views: list[TieView]) -> dict[int, tuple[float, float]]:
    """Each tie's place by the rule: its sector's share of the circle, its ring, spread evenly."""
    span = 2 * math.pi / len(SECTORS)
    groups: dict[tuple[str, int], list[TieView]] = {}
    for v in views:
        groups.setdefault((v.sector, v.ring), []).append(v)
    positions = {}
    for (sector, ring), members in groups.items():
        start = -math.pi / 2 + SECTORS.index(sector) * span if sector in SECTORS else -math.pi / 2
        for j, v in enumerate(members):
            angle = start + span * (j + 1) / (len(members) + 1)
            radius = RINGS.get(ring, RINGS[2]) + (22 if j % 2 and len(members) > 2 else 0)
            positions[v.id] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def dot_source(views: list[TieView]) -> str:
    g = graphviz.Graph("ecomap")
    g.attr("graph", overlap="prism", overlap_scaling="0", splines="true", sep="+6")
    g.attr("node", shape="box", fixedsize="true", label="")
    size = 2 * CENTRE / POINTS_PER_INCH
    g.node("c", pos="0,0", shape="circle", width=f"{size:.3f}", height=f"{size:.3f}")
    positions = rule_positions(views)
    for v in views:
        x, y = positions[v.id]
        g.node(f"t{v.id}", pos=f"{x:.1f},{-y:.1f}", width=f"{_size(v) / POINTS_PER_INCH:.3f}", height=f"{TIE_HEIGHT / POINTS_PER_INCH:.3f}")
        g.edge("c", f"t{v.id}")
    return g.source


@functools.lru_cache(maxsize=256)
def _neato(source: str) -> dict:
    try:
        data = json.loads(graphviz.Source(source).pipe(format="json", engine="neato", neato_no_op=1))
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError) as exc:
        raise LayoutError(str(exc)) from exc
    nodes = {o["name"]: o for o in data.get("objects", []) if "pos" in o}
    edges = {}
    for e in data.get("edges", []):
        head = data["objects"][e["head"]]["name"]
        edges[head] = e.get("pos", "")
    return {"bb": data["bb"], "nodes": {k: (v["pos"], v["width"], v["height"]) for k, v in nodes.items()}, "edges": edges}


def _spline(pos: str, flip) -> list[tuple[float, float]]:
    points = []
    for part in pos.split():
        if part[:2] in ("e,", "s,"):
            continue
        x, y = (float(v) for v in part.split(","))
        points.append(flip(x, y))
    return points


def render_svg(views: list[TieView], *, centre_label: str, title: str, svg_id: str = "ecomap") -> str:
    placed = _neato(dot_source(views))
    x0, y0, x1, y1 = (float(v) for v in placed["bb"].split(","))
    cx_raw, cy_raw = (float(v) for v in placed["nodes"]["c"][0].split(","))
    # Room for the rings around the centre wherever the overlap removal put the ties.
    half = max(RINGS[3] + 60, *(abs(v - c) + 80 for v, c in ((x0, cx_raw), (x1, cx_raw), (y0, cy_raw), (y1, cy_raw))))

    def flip(x, y):
        return x - cx_raw + half, (cy_raw - y) + half

    size = 2 * half
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {_fmt(size)} {_fmt(size)}",
            "width": _fmt(size),
            "height": _fmt(size),
            "role": "img",
            "aria-labelledby": f"{svg_id}-title",
            "class": "ecomap",
            "font-family": "DejaVu Sans, Verdana, sans-serif",
            "font-size": _fmt(FONT),
        },
    )
    _el(svg, "title", id=f"{svg_id}-title").text = title
    defs = _el(svg, "defs")
    for name, orient in (("end", "auto"), ("start", "auto-start-reverse")):
        marker = _el(
            defs,
            "marker",
            id=f"{svg_id}-arrow-{name}",
            viewBox="0 0 10 10",
            refX="9",
            refY="5",
            markerWidth="7",
            markerHeight="7",
            orient=orient,
        )
        _el(marker, "path", d="M0,0 L10,5 L0,10 z", fill="#1a1a1a")
    background = _el(svg, "g", class_="sectors")
    span = 360 / len(SECTORS)
    sector_labels = labels(EcomapTie._meta.get_field("sector"))
    for i, sector in enumerate(SECTORS):
        angle = math.radians(-90 + i * span)
        _el(
            background,
            "line",
            x1=_fmt(half),
            y1=_fmt(half),
            x2=_fmt(half + (half - 10) * math.cos(angle)),
            y2=_fmt(half + (half - 10) * math.sin(angle)),
            stroke="#c8c8c8",
            stroke_width="1",
        )
        mid = math.radians(-90 + (i + 0.5) * span)
        lx, ly = half + (half - 24) * math.cos(mid), half + (half - 24) * math.sin(mid)
        _el(background, "text", x=_fmt(lx), y=_fmt(ly), text_anchor="middle", fill="#555555", font_size="10").text = str(
            sector_labels.get(sector, sector)
        )
    for radius in RINGS.values():
        _el(
            background,
            "circle",
            cx=_fmt(half),
            cy=_fmt(half),
            r=_fmt(radius),
            fill="none",
            stroke="#dddddd",
            stroke_width="1",
            stroke_dasharray="3 4",
        )
    lines = _el(svg, "g", class_="ties")
    nodes = _el(svg, "g", class_="network")
    centre = _el(nodes, "g", class_="centre")
    _el(centre, "circle", cx=_fmt(half), cy=_fmt(half), r=_fmt(CENTRE), fill="#ffffff", stroke="#1a1a1a", stroke_width="2")
    words = centre_label.split()
    for i, word in enumerate(words[:3]):
        _el(
            centre,
            "text",
            x=_fmt(half),
            y=_fmt(half + (i - (min(len(words), 3) - 1) / 2) * LINE_HEIGHT + 3),
            text_anchor="middle",
            font_weight="bold",
        ).text = word[:16]
    for v in views:
        pos, w, h = placed["nodes"][f"t{v.id}"]
        x, y = flip(*(float(n) for n in pos.split(",")))
        w, h = float(w) * POINTS_PER_INCH, float(h) * POINTS_PER_INCH
        colour, width, dash = STRENGTH_STYLE.get(v.strength, STRENGTH_STYLE["weak"])
        points = _spline(placed["edges"].get(f"t{v.id}", ""), flip) or [(half, half), (x, y)]
        if len(points) >= 4 and (len(points) - 1) % 3 == 0:
            d = f"M{_fmt(points[0][0])},{_fmt(points[0][1])} " + " ".join(
                f"C{_fmt(a[0])},{_fmt(a[1])} {_fmt(b[0])},{_fmt(b[1])} {_fmt(c[0])},{_fmt(c[1])}"
                for a, b, c in zip(points[1::3], points[2::3], points[3::3], strict=False)
            )
        else:
            d = "M" + " L".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points)
        # The spline runs from the centre to the tie: an arrow at its end points at the tie.
        tie = _el(lines, "g", class_=f"tie tie-{v.strength} support-{v.support}", data_tie=v.id)
        _el(tie, "title").text = v.description
        attrs = {
            "marker_end": f"url(#{svg_id}-arrow-end)" if v.support in ("from_centre", "both") else None,
            "marker_start": f"url(#{svg_id}-arrow-start)" if v.support in ("to_centre", "both") else None,
        }
        _el(tie, "path", d=d, fill="none", stroke=colour, stroke_width=_fmt(width), stroke_dasharray=dash, **attrs)
        if v.strength == "stressful":
            # Stress: short bars across the tie, so it reads without colour too.
            mx, my = (points[0][0] + points[-1][0]) / 2, (points[0][1] + points[-1][1]) / 2
            dx, dy = points[-1][0] - points[0][0], points[-1][1] - points[0][1]
            n = math.hypot(dx, dy) or 1
            ux, uy = dx / n, dy / n
            bars = " ".join(
                f"M{_fmt(mx + ux * o - uy * 6)},{_fmt(my + uy * o + ux * 6)} L{_fmt(mx + ux * o + uy * 6)},{_fmt(my + uy * o - ux * 6)}"
                for o in (-8, 0, 8)
            )
            _el(tie, "path", d=bars, stroke=colour, stroke_width="2", class_="stress")
        group = _el(nodes, "g", class_="tie-node", data_tie=v.id, data_sector=v.sector)
        _el(group, "title").text = v.description
        _el(
            group,
            "rect",
            x=_fmt(x - w / 2),
            y=_fmt(y - h / 2),
            width=_fmt(w),
            height=_fmt(h),
            rx="6",
            fill=SECTOR_FILL.get(v.sector, "#ffffff"),
            stroke="#1a1a1a",
            stroke_width="1",
        )
        _el(group, "text", x=_fmt(x), y=_fmt(y - (3 if v.detail else -3)), text_anchor="middle", font_weight="bold").text = v.title[
            :MAX_CHARS
        ]
        if v.detail:
            _el(group, "text", x=_fmt(x), y=_fmt(y + 9), text_anchor="middle").text = v.detail[:MAX_CHARS]
    return ET.tostring(svg, encoding="unicode")


LINE_HEIGHT = 11.0


def text_alternative(views: list[TieView]) -> list[tuple[str, list[str]]]:
    """Every tie, sector by sector in the drawing's order, nearest first."""
    sector_labels = labels(EcomapTie._meta.get_field("sector"))
    out = []
    for sector in SECTORS:
        lines = [v.description for v in sorted((v for v in views if v.sector == sector), key=lambda v: (v.ring, v.id))]
        if lines:
            out.append((str(sector_labels.get(sector, sector)).capitalize(), lines))
    return out
