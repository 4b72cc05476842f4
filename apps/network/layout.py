"""The genogram laid out by Graphviz `dot`, drawn as SVG.

What the drawers that work do, and this does:

- Graphviz places every symbol. Each person is a node sized to hold their symbol and their name; each
  couple is one small node on a row of its own just below the partners, so a person with several
  partners keeps them all on one row, and children hang from the couple node, never from one parent
  guessed at. A twin pair hangs from one more point, on the row below the couples.
- Every generation is a `rank=same` row, and an invisible chain of one anchor per row (persons,
  couples, twin points) keeps the rows in order even for parts of the family that are not joined
  (a relative whose link is not yet recorded).
- A couple node's children leave it in birth order (`ordering=out`): siblings run from the eldest on
  the left. Crossings are dot's to minimise: it finds a crossing-free order where one exists far
  more often than any ordering by hand.
  An invisible edge from each child to the next younger holds that order inside a household's
  cluster too. (`newrank` is left off: with it, dot let clusters override the sibling order.)
- Households are dot clusters, so their outlines come from the layout too.
- The lines are drawn from the placed symbols: partners joined below their symbols, children hung
  from the couple's line, and the quality of relationships last, on top of a finished layout, so
  a conflict recorded between two people never moves anyone.

Names never reach Graphviz: the graph it receives holds ids and sizes only. A layout is therefore
kept per process for the same graph (a family's drawing is read far more often than changed), and
that memory holds no personal data.

Graphviz (EPL-1.0) runs as the `dot` program through the `graphviz` Python package (MIT); the
project installs it with tools/system_packages.sh.
"""

import functools
import json
import math
import subprocess
import xml.etree.ElementTree as ET  # nosec B405: builds our own SVG, never parses anything
from collections import defaultdict
from dataclasses import dataclass, field

import graphviz
from django.utils.translation import gettext as _

from .tree import TextSection, Tree, describe_person, text_alternative

SVG_NS = "http://www.w3.org/2000/svg"
POINTS_PER_INCH = 72
SYMBOL = 26.0  # the symbol's side, in points
FONT = 9.0
LINE = 11.0
CHAR = 5.0  # the average width of a character at FONT, to size nodes (text is clipped to it)
MAX_CHARS = 22
MARGIN = 14.0
LAYOUT_CACHE_SIZE = 512  # layouts kept per process: ids and coordinates only

PARENT_DASH = {"biological": "", "adopted": "6 3", "foster": "2 3", "step": "4 2 1 2"}
PARTNER_DASH = {"married": "", "cohabiting": "6 3", "dating": "2 3", "separated": "", "divorced": ""}
QUALITY_STYLE = {
    # colour, width, dash, zigzag: each tie is told apart by its pattern, not by colour only
    "close": ("#1b7a3a", 3.0, "", False),
    "distant": ("#555555", 1.5, "1 4", False),
    "conflicted": ("#b35900", 1.5, "", True),
    "cut_off": ("#333333", 1.5, "10 4", False),
    "abusive": ("#b00020", 2.5, "", True),
}


class LayoutError(RuntimeError):
    """Graphviz could not lay the drawing out."""


@dataclass
class Box:
    x: float  # centre
    y: float
    w: float
    h: float


@dataclass
class Placed:
    """Where dot put everything, in SVG coordinates (y down), and the drawing's size."""

    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    clusters: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # x0, y0, x1, y1


def _lines(person) -> list[str]:
    lines = [person.name[:MAX_CHARS]]
    if person.years():
        lines.append(person.years())
    return lines


def _node_size(person) -> tuple[float, float]:
    chars = max(len(line) for line in _lines(person))
    return SYMBOL + 4 + chars * CHAR + 4, max(SYMBOL, LINE * 2) + 4


@dataclass
class Couple:
    key: str
    parents: tuple[int, ...]
    partnership: object = None  # TPartnership or None (a child's two parents without a recorded partnership)
    children: list[tuple[int, str]] = field(default_factory=list)  # (child, kind), oldest first


def couples_of(tree: Tree) -> list[Couple]:
    """One couple node per partnership and per set of parents a child hangs from."""
    couples: dict[tuple, Couple] = {}
    for p in sorted(tree.partnerships, key=lambda p: p.sort_key()):
        parents = tuple(sorted((p.first, p.second)))
        couples.setdefault(parents, Couple(f"u{p.id}", parents, p))
    for parents, kind, kids in tree.child_groups():
        if kind == "step":
            continue  # a step-parent's tie is drawn on its own (below)
        parents = parents[:2]
        couple = couples.get(parents)
        if couple is None:
            couple = couples[parents] = Couple("s" + "_".join(map(str, parents)), parents)
        couple.children.extend((c, kind) for c in kids)
    people = tree.by_id()
    for couple in couples.values():
        couple.children.sort(key=lambda ck: people[ck[0]].birth_key())
    return list(couples.values())


def _twin_root(people, pid) -> int:
    seen = set()
    while people[pid].twin_of and people[pid].twin_of in people and pid not in seen:
        seen.add(pid)
        pid = people[pid].twin_of
    return pid


def dot_source(tree: Tree, *, clusters: bool = True, ordering: bool = True) -> str:
    """The graph dot lays out: ids and sizes, no names."""
    people = tree.by_id()
    gens = tree.generations()
    g = graphviz.Digraph("genogram")
    g.attr("graph", **({"newrank": "true"} if clusters and tree.households else {}))
    g.attr("graph", nodesep="0.25", ranksep="0.22", splines="false", margin="0")
    g.attr("node", shape="box", fixedsize="true", label="")
    g.attr("edge", dir="none")
    depth = max(gens.values(), default=0)
    rows: dict[tuple[int, int], list[str]] = defaultdict(list)  # (generation, level) -> nodes
    for level_gen in range(depth + 1):
        for level in range(3):
            anchor = f"a{level_gen}_{level}"
            g.node(anchor, shape="point", width="0.01", height="0.01", style="invis")
            rows[(level_gen, level)].append(anchor)
    anchors = [f"a{gen}_{level}" for gen in range(depth + 1) for level in range(3)]
    for a, b in zip(anchors, anchors[1:], strict=False):
        g.edge(a, b, style="invis")

    households = {}
    for h in tree.households if clusters else []:
        for m in h.members:
            households.setdefault(m, h.id)
    for p in sorted(tree.people, key=lambda p: (gens[p.id], p.birth_key())):
        w, h = _node_size(p)
        attrs = {"width": f"{w / POINTS_PER_INCH:.3f}", "height": f"{h / POINTS_PER_INCH:.3f}"}
        rows[(gens[p.id], 0)].append(f"p{p.id}")
        if p.id in households:
            continue  # declared in its cluster below
        g.node(f"p{p.id}", **attrs)
    for h in tree.households if clusters else []:
        with g.subgraph(name=f"cluster_h{h.id}") as c:
            # Room for the household's name at the top: a stand-in of the same length (no names to dot).
            c.attr(margin="6", label="n" * min(len(h.name), 40), fontsize="8", labeljust="l")
            for m in h.members:
                if households.get(m) == h.id and m in people:
                    w, hh = _node_size(people[m])
                    c.node(f"p{m}", width=f"{w / POINTS_PER_INCH:.3f}", height=f"{hh / POINTS_PER_INCH:.3f}")

    twin_points = {}
    for couple in couples_of(tree):
        gen = max(gens[pid] for pid in couple.parents)
        g.node(couple.key, shape="point", width="0.05", height="0.05", **({"ordering": "out"} if ordering else {}))
        rows[(gen, 1)].append(couple.key)
        for pid in couple.parents:
            g.edge(f"p{pid}", couple.key, weight="4")
        emitted = set()
        for child, _kind in couple.children:
            root = _twin_root(people, child)
            twins = [c for c, _k in couple.children if _twin_root(people, c) == root]
            if len(twins) > 1:
                point = twin_points.setdefault((couple.key, root), f"t{couple.key}_{root}")
                if point not in emitted:
                    emitted.add(point)
                    g.node(point, shape="point", width="0.04", height="0.04", **({"ordering": "out"} if ordering else {}))
                    rows[(gen, 2)].append(point)
                    g.edge(couple.key, point, weight="3")
                g.edge(point, f"p{child}", weight="3")
            else:
                g.edge(couple.key, f"p{child}", minlen="2", weight="3")
        # Eldest on the left: an invisible edge from each child to the next younger keeps the order
        # where `ordering` alone gives way (inside a household's cluster).
        for (older, _k1), (younger, _k2) in zip(couple.children, couple.children[1:], strict=False):
            if ordering:
                g.edge(f"p{older}", f"p{younger}", style="invis")
    for _row, names in sorted(rows.items()):
        with g.subgraph() as s:
            s.attr(rank="same")
            for name in names:
                s.node(name)
    return g.source


def _run_dot(source: str) -> dict:
    try:
        out = graphviz.Source(source).pipe(format="json", engine="dot")
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError) as exc:
        raise LayoutError(str(exc)) from exc
    return json.loads(out)


@functools.lru_cache(maxsize=LAYOUT_CACHE_SIZE)
def _dot_layout(source: str) -> dict:
    data = _run_dot(source)
    return {
        "bb": data["bb"],
        "objects": [
            {k: o[k] for k in ("name", "pos", "width", "height", "bb") if k in o}
            for o in data.get("objects", [])
            if "pos" in o or o.get("name", "").startswith("cluster")
        ],
    }


def place(source: str) -> Placed:
    """Run dot (or take this process's answer for the same graph) and read where it put everything."""
    data = _dot_layout(source)
    _x0, _y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    placed = Placed(width=x1 + 2 * MARGIN, height=y1 + 2 * MARGIN)
    for o in data["objects"]:
        if "pos" in o:
            x, y = (float(v) for v in o["pos"].split(","))
            placed.nodes[o["name"]] = Box(
                x + MARGIN, y1 - y + MARGIN, float(o["width"]) * POINTS_PER_INCH, float(o["height"]) * POINTS_PER_INCH
            )
        elif "bb" in o:
            a, b, c, d = (float(v) for v in o["bb"].split(","))
            placed.clusters[o["name"]] = (a + MARGIN, y1 - d + MARGIN, c + MARGIN, y1 - b + MARGIN)
    return placed


_placed_by_structure: dict[tuple, Placed] = {}


def _structure(tree: Tree) -> tuple:
    """What the layout depends on: ids, sizes, birth order, twins and the ties, never a name."""
    return (
        tuple((p.id, _node_size(p), p.birth_key(), p.twin_of) for p in tree.people),
        tuple((p.id, p.first, p.second, p.started_year) for p in tree.partnerships),
        tuple((p.parent, p.child, p.kind) for p in tree.parentages),
        tuple((h.id, len(h.name), tuple(h.members)) for h in tree.households),
    )


def layout(tree: Tree) -> Placed:
    """Lay the tree out with its households as clusters. Where keeping a household together would
    break a rule of the drawing (a household with the eldest and the youngest sibling but not the
    one between them cannot be both together and in birth order), or dot refuses the clusters, the
    family is laid out without them and each household outlined where its members stand.

    Kept per process by the tree's structure (no names), so a drawing read again is not laid out
    again, nor its graph written again."""
    key = _structure(tree)
    placed = _placed_by_structure.get(key)
    if placed is None:
        placed = _layout(tree)
        if len(_placed_by_structure) >= LAYOUT_CACHE_SIZE:
            _placed_by_structure.pop(next(iter(_placed_by_structure)))
        _placed_by_structure[key] = placed
    return placed


def forget_layouts() -> None:
    """Drop every layout kept in this process (for measuring a layout from scratch)."""
    _placed_by_structure.clear()
    _dot_layout.cache_clear()


def _layout(tree: Tree) -> Placed:
    if tree.households:
        try:
            placed = place(dot_source(tree, clusters=True))
            if _rules_hold(tree, placed):
                return placed
        except LayoutError:
            pass
    return place(dot_source(tree, clusters=False))


def _rules_hold(tree: Tree, placed: Placed) -> bool:
    people = tree.by_id()
    gens = tree.generations()
    rows: dict[int, set] = defaultdict(set)
    for pid in people:
        box = placed.nodes.get(f"p{pid}")
        if box is None:
            return False
        rows[gens[pid]].add(round(box.y))
    if any(len(ys) != 1 for ys in rows.values()):
        return False
    for _parents, _kind, children in tree.child_groups():
        xs = [placed.nodes[f"p{c}"].x for c in children]
        if xs != sorted(xs):
            return False
    return all(f"cluster_h{h.id}" in placed.clusters for h in tree.households if h.members)


def household_outlines(tree: Tree, placed: Placed) -> list[tuple[object, list[tuple[float, float, float, float]]]]:
    """Each household's outline: its cluster's box, or where the household could not be kept
    together, a box around each run of its members standing side by side."""
    rows: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for p in tree.people:
        box = placed.nodes.get(f"p{p.id}")
        if box is not None:
            rows[round(box.y)].append((box.x, p.id))
    outlines = []
    for h in tree.households:
        cluster = placed.clusters.get(f"cluster_h{h.id}")
        if cluster is not None:
            outlines.append((h, [cluster]))
            continue
        members, boxes = set(h.members), []
        for _y, row in sorted(rows.items()):
            run = []
            for _x, pid in sorted(row) + [(None, None)]:
                if pid in members:
                    run.append(placed.nodes[f"p{pid}"])
                elif run:
                    boxes.append(
                        (
                            min(b.x - b.w / 2 for b in run) - 5,
                            min(b.y - b.h / 2 for b in run) - 12,
                            max(b.x + b.w / 2 for b in run) + 5,
                            max(b.y + b.h / 2 for b in run) + 5,
                        )
                    )
                    run = []
        if boxes:
            outlines.append((h, boxes))
    return outlines


# ---- SVG ----------------------------------------------------------------------------------------


def _el(parent, tag, **attrs):
    return ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items() if v not in (None, "")})


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _symbol(group, person, cx, cy):
    half = SYMBOL / 2
    common = {"fill": "#ffffff", "stroke": "#1a1a1a", "stroke_width": "1.5"}
    shapes = []
    if person.sex == "male":
        shapes.append(("rect", {"x": _fmt(cx - half), "y": _fmt(cy - half), "width": _fmt(SYMBOL), "height": _fmt(SYMBOL)}))
        inner = ("rect", {"x": _fmt(cx - half + 3), "y": _fmt(cy - half + 3), "width": _fmt(SYMBOL - 6), "height": _fmt(SYMBOL - 6)})
    elif person.sex == "female":
        shapes.append(("circle", {"cx": _fmt(cx), "cy": _fmt(cy), "r": _fmt(half)}))
        inner = ("circle", {"cx": _fmt(cx), "cy": _fmt(cy), "r": _fmt(half - 3)})
    else:
        points = f"{_fmt(cx)},{_fmt(cy - half)} {_fmt(cx + half)},{_fmt(cy)} {_fmt(cx)},{_fmt(cy + half)} {_fmt(cx - half)},{_fmt(cy)}"
        shapes.append(("polygon", {"points": points}))
        inner_points = f"{_fmt(cx)},{_fmt(cy - half + 4)} {_fmt(cx + half - 4)},{_fmt(cy)} {_fmt(cx)},{_fmt(cy + half - 4)} {_fmt(cx - half + 4)},{_fmt(cy)}"
        inner = ("polygon", {"points": inner_points})
    for tag, attrs in shapes:
        _el(group, tag, class_="symbol", **attrs, **common)
    if person.is_index:
        tag, attrs = inner
        _el(group, tag, class_="index-mark", fill="none", stroke="#1a1a1a", stroke_width="1.5", **attrs)
    if person.death_year or person.deceased:
        d = half - 2
        _el(
            group,
            "path",
            class_="death-mark",
            d=f"M{_fmt(cx - d)},{_fmt(cy - d)} L{_fmt(cx + d)},{_fmt(cy + d)} M{_fmt(cx + d)},{_fmt(cy - d)} L{_fmt(cx - d)},{_fmt(cy + d)}",
            stroke="#1a1a1a",
            stroke_width="1.5",
        )


def _symbol_centre(box: Box) -> tuple[float, float]:
    return box.x - box.w / 2 + SYMBOL / 2 + 2, box.y


def _path(parent, d, *, dash="", width=1.5, colour="#1a1a1a", cls=""):
    _el(parent, "path", d=d, fill="none", stroke=colour, stroke_width=_fmt(width), stroke_dasharray=dash, class_=cls)


def _zigzag(x1, y1, x2, y2, bulge: float) -> str:
    """A curve between two symbols, as a zigzag polyline (conflict, abuse)."""
    points = _curve_points(x1, y1, x2, y2, bulge, 24)
    out = [points[0]]
    for i in range(1, len(points) - 1):
        (ax, ay), (bx, by) = points[i - 1], points[i + 1]
        dx, dy = bx - ax, by - ay
        n = math.hypot(dx, dy) or 1
        off = 4 if i % 2 else -4
        out.append((points[i][0] - dy / n * off, points[i][1] + dx / n * off))
    out.append(points[-1])
    return "M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in out)


def _curve_points(x1, y1, x2, y2, bulge, steps):
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    n = math.hypot(dx, dy) or 1
    cx, cy = mx + dy / n * bulge, my - dx / n * bulge
    return [
        ((1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t**2 * x2, (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t**2 * y2)
        for t in (i / steps for i in range(steps + 1))
    ]


def render_svg(tree: Tree, *, title: str, placed: Placed | None = None, with_description: bool = True) -> str:
    """The genogram as a standalone SVG document: symbols, lines, households and relationship
    quality, with a title and (for downloads) the text alternative as its description."""
    placed = placed or layout(tree)
    people = tree.by_id()
    gens = tree.generations()
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {_fmt(placed.width)} {_fmt(placed.height)}",
            "width": _fmt(placed.width),
            "height": _fmt(placed.height),
            "role": "img",
            "aria-labelledby": "genogram-title",
            "class": "genogram",
            "font-family": "DejaVu Sans, Verdana, sans-serif",
            "font-size": _fmt(FONT),
        },
    )
    _el(svg, "title", id="genogram-title").text = title
    if with_description:
        _el(svg, "desc").text = "\n".join(f"{s.heading}: " + "; ".join(s.lines) for s in text_alternative(tree))
    outlines = _el(svg, "g", class_="households")
    for h, boxes in household_outlines(tree, placed):
        for x0, y0, x1, y1 in boxes:
            _el(
                outlines,
                "rect",
                x=_fmt(x0),
                y=_fmt(y0),
                width=_fmt(x1 - x0),
                height=_fmt(y1 - y0),
                rx="8",
                fill="none",
                stroke="#4b6f9e",
                stroke_width="1.2",
                stroke_dasharray="5 3",
                class_="household",
                data_household=h.id,
            )
            _el(outlines, "text", x=_fmt(x0 + 4), y=_fmt(y0 + 9), fill="#2f4f7a", font_size="8").text = h.name[:40]
    lines = _el(svg, "g", class_="lines")
    ties = _el(svg, "g", class_="relationships")
    nodes = placed.nodes
    row_couples: dict[float, int] = defaultdict(int)
    for couple in couples_of(tree):
        u = nodes.get(couple.key)
        if u is None:
            continue
        stagger = row_couples[round(u.y)] % 4
        row_couples[round(u.y)] += 1
        bar_y = u.y - 3 + stagger * 3
        xs = []
        for pid in couple.parents:
            box = nodes.get(f"p{pid}")
            if box is None:
                continue
            sx, sy = _symbol_centre(box)
            xs.append(sx)
            if len(couple.parents) > 1:
                _path(lines, f"M{_fmt(sx)},{_fmt(sy + SYMBOL / 2)} V{_fmt(bar_y)}", dash=_partner_dash(couple), cls="partner")
        if not xs:
            continue
        left, right = min(xs), max(xs)
        if len(couple.parents) > 1:
            _path(lines, f"M{_fmt(left)},{_fmt(bar_y)} H{_fmt(right)}", dash=_partner_dash(couple), cls="partner")
            _marks(lines, couple, left, right, bar_y)
        else:
            sx, sy = xs[0], nodes[f"p{couple.parents[0]}"].y
            _path(lines, f"M{_fmt(sx)},{_fmt(sy + SYMBOL / 2)} V{_fmt(bar_y)}", cls="partner")
        if not couple.children:
            continue
        drop_x = (left + right) / 2
        child_boxes = [(c, k, nodes[f"p{c}"]) for c, k in couple.children if f"p{c}" in nodes]
        if not child_boxes:
            continue
        top = min(b.y - SYMBOL / 2 for _c, _k, b in child_boxes)
        sib_y = top - 10 - stagger * 3
        _path(lines, f"M{_fmt(drop_x)},{_fmt(bar_y)} V{_fmt(sib_y)}", cls="descent")
        points = []
        twin_groups = defaultdict(list)
        for c, k, b in child_boxes:
            cx, cy = _symbol_centre(b)
            root = _twin_root(people, c)
            twin_groups[root].append((c, k, cx, cy))
        for members in twin_groups.values():
            if len(members) > 1:
                tx = sum(m[2] for m in members) / len(members)
                points.append(tx)
                for _c, k, cx, cy in members:
                    _path(
                        lines,
                        f"M{_fmt(tx)},{_fmt(sib_y)} L{_fmt(cx)},{_fmt(cy - SYMBOL / 2)}",
                        dash=PARENT_DASH.get(k, ""),
                        cls="descent twin",
                    )
                if any(people[m[0]].identical_twin for m in members):
                    mid_y = (sib_y + members[0][3] - SYMBOL / 2) / 2
                    ax = (tx + members[0][2]) / 2
                    bx = (tx + members[-1][2]) / 2
                    _path(lines, f"M{_fmt(ax)},{_fmt(mid_y)} H{_fmt(bx)}", cls="identical")
            else:
                _c, k, cx, cy = members[0]
                points.append(cx)
                _path(lines, f"M{_fmt(cx)},{_fmt(sib_y)} V{_fmt(cy - SYMBOL / 2)}", dash=PARENT_DASH.get(k, ""), cls="descent")
        span = [*points, drop_x]
        _path(lines, f"M{_fmt(min(span))},{_fmt(sib_y)} H{_fmt(max(span))}", cls="sibship")
    for parents, kind, kids in tree.child_groups():
        if kind != "step":
            continue
        for pid in parents:
            for c in kids:
                a, b = nodes.get(f"p{pid}"), nodes.get(f"p{c}")
                if a and b:
                    ax, ay = _symbol_centre(a)
                    bx, by = _symbol_centre(b)
                    _path(
                        ties,
                        f"M{_fmt(ax)},{_fmt(ay + SYMBOL / 2)} L{_fmt(bx)},{_fmt(by - SYMBOL / 2)}",
                        dash=PARENT_DASH["step"],
                        width=1,
                        colour="#666666",
                        cls="step",
                    )
    for n, r in enumerate(tree.relationships):
        a, b = nodes.get(f"p{r.first}"), nodes.get(f"p{r.second}")
        if not (a and b):
            continue
        colour, width, dash, zig = QUALITY_STYLE.get(r.quality, ("#333333", 1.5, "", False))
        (ax, ay), (bx, by) = _symbol_centre(a), _symbol_centre(b)
        bulge = 18 + (n % 3) * 8
        if zig:
            d = _zigzag(ax, ay, bx, by, bulge)
        else:
            pts = _curve_points(ax, ay, bx, by, bulge, 16)
            d = "M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)
        tie = _el(ties, "g", class_=f"tie tie-{r.quality}", data_relationship=r.id)
        _el(tie, "title").text = f"{people[r.first].name} – {people[r.second].name}: {_quality_label(r.quality)}"
        _path(tie, d, dash=dash, width=width, colour=colour)
    symbols = _el(svg, "g", class_="people")
    for p in sorted(tree.people, key=lambda p: (gens[p.id], p.birth_key())):
        box = nodes.get(f"p{p.id}")
        if box is None:
            continue
        group = _el(symbols, "g", class_="person", id=f"gp-{p.id}", data_person=p.id, data_generation=gens[p.id])
        _el(group, "title").text = describe_person(p, _sex_labels())
        cx, cy = _symbol_centre(box)
        _symbol(group, p, cx, cy)
        text_x = box.x - box.w / 2 + SYMBOL + 6
        lines_ = _lines(p)
        start = cy - (len(lines_) - 1) * LINE / 2 + FONT / 3
        for i, line in enumerate(lines_):
            _el(group, "text", x=_fmt(text_x), y=_fmt(start + i * LINE), fill="#1a1a1a", font_weight="bold" if i == 0 else None).text = line
    return ET.tostring(svg, encoding="unicode")


def _partner_dash(couple: Couple) -> str:
    if couple.partnership is None:
        return "1 3"
    return PARTNER_DASH.get(couple.partnership.kind, "")


def _marks(parent, couple: Couple, left, right, y):
    """Separation: one slash across the partners' line; divorce: two."""
    p = couple.partnership
    if p is None or p.kind not in ("separated", "divorced"):
        return
    mid = (left + right) / 2
    offsets = (-3, 3) if p.kind == "divorced" else (0,)
    d = " ".join(f"M{_fmt(mid + o - 3)},{_fmt(y + 5)} L{_fmt(mid + o + 3)},{_fmt(y - 5)}" for o in offsets)
    _path(parent, d, cls=f"mark-{p.kind}")


def _sex_labels():
    from apps.core.choices import labels

    from .models import GenogramPerson

    return labels(GenogramPerson._meta.get_field("sex"))


def _quality_label(code):
    from apps.core.choices import labels

    from .models import Relationship

    return labels(Relationship._meta.get_field("quality")).get(code, code)


def empty_title() -> str:
    return _("Sukupuu")


__all__ = ["Placed", "layout", "render_svg", "text_alternative", "TextSection", "LayoutError"]
