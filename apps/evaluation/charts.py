"""Charts drawn on the server as SVG coordinates, for pages and PDFs alike (WeasyPrint draws SVG).

Each chart is a picture of a table that the page also shows: the SVG carries a title and a short
description (role="img"), and the numbers are in the data table beside it, so a screen reader or
a printed copy loses nothing. Coordinates are formatted here as plain text ("12.5", never a
localised "12,5"). Hidden figures (the small-cell rule) are not drawn: a bar for a hidden value
would show what the table hides.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_W = 190
PAD_R = 24
ROW_H = 34
PAD_T = 12
AXIS_H = 34


def _c(v: float) -> str:
    return f"{round(v, 1):g}"


@dataclass
class Mark:
    label: str
    y: str
    x: str = ""
    x_low: str = ""
    x_high: str = ""
    width: str = ""
    value: object = None
    drawn: bool = True


@dataclass
class Chart:
    width: str
    height: str
    left: str
    right: str
    axis_y: str
    label_x: str
    marks: list[Mark] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    zero_x: str | None = None


def _scale(low: float, high: float):
    span = (high - low) or 1.0
    inner = WIDTH - LABEL_W - PAD_R

    def x(v: float) -> float:
        return LABEL_W + inner * (v - low) / span

    return x


def _ticks(low: float, high: float, x, axis_y: float, count: int = 5) -> list[dict]:
    step = (high - low) / count if high > low else 1
    return [{"x": _c(x(low + n * step)), "value": round(low + n * step, 1), "y": _c(axis_y + 16)} for n in range(count + 1)]


def interval_chart(rows: list[tuple[str, float | None, float | None, float | None]], *, null: float = 0.0) -> Chart | None:
    """Point estimates with their intervals against a line at `null` (no difference)."""
    drawn = [(label, e, lo, hi) for label, e, lo, hi in rows if e is not None and lo is not None and hi is not None]
    if not drawn:
        return None
    low = min(null, *(lo for _l, _e, lo, _h in drawn))
    high = max(null, *(hi for _l, _e, _lo, hi in drawn))
    pad = (high - low) * 0.1 or 1.0
    low, high = low - pad, high + pad
    x = _scale(low, high)
    height = PAD_T + ROW_H * len(rows) + AXIS_H
    axis_y = PAD_T + ROW_H * len(rows)
    chart = Chart(_c(WIDTH), _c(height), _c(LABEL_W), _c(WIDTH - PAD_R), _c(axis_y), _c(LABEL_W - 8), zero_x=_c(x(null)))
    for n, (label, e, lo, hi) in enumerate(rows):
        y = PAD_T + ROW_H * n + ROW_H / 2
        if e is None or lo is None or hi is None:
            chart.marks.append(Mark(label, _c(y), drawn=False))
            continue
        chart.marks.append(Mark(label, _c(y), x=_c(x(e)), x_low=_c(x(lo)), x_high=_c(x(hi)), value=e))
    chart.ticks = _ticks(low, high, x, axis_y)
    return chart


def bar_chart(rows: list[tuple[str, float | None]], *, high: float | None = None) -> Chart | None:
    """Horizontal bars from zero; a row whose value is None (hidden, or no figure) is labelled, not drawn."""
    values = [v for _l, v in rows if v is not None]
    if not values:
        return None
    top = max(high or 0, *values) or 1.0
    x = _scale(0.0, top)
    height = PAD_T + ROW_H * len(rows) + AXIS_H
    axis_y = PAD_T + ROW_H * len(rows)
    chart = Chart(_c(WIDTH), _c(height), _c(LABEL_W), _c(WIDTH - PAD_R), _c(axis_y), _c(LABEL_W - 8), zero_x=_c(x(0)))
    for n, (label, v) in enumerate(rows):
        y = PAD_T + ROW_H * n + 7
        if v is None:
            chart.marks.append(Mark(label, _c(y + 10), drawn=False))
            continue
        chart.marks.append(Mark(label, _c(y), x=_c(LABEL_W), width=_c(max(x(v) - LABEL_W, 0.5)), value=v))
    chart.ticks = _ticks(0.0, top, x, axis_y)
    return chart
