"""The two repeated parts of a family's rating charts, rendered in Python.

A family followed for two years has ten series of dozens of ratings: as template loops the data
tables and chart points were two thirds of the ratings page's time (about 16 ms of 36 at national
scale, issue 8), and Django's format_html costs nearly as much per cell. Every value is escaped
with the standard library's html.escape (the same five characters Django's escape replaces)
before the markup is marked safe.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _esc(value) -> str:
    return escape(str(value), quote=True)


def _day(d) -> str:
    """A date as "j.n.Y" (23.11.2026), the format the pages use in every language."""
    return f"{d.day}.{d.month}.{d.year}"


@register.simple_tag
def chart_points(chart):
    """Each total as a dot, with its running number under the axis."""
    label_y = _esc(chart["label_y"])
    return mark_safe(  # noqa: S308  # nosec B308 B703 - every value is escaped above or here
        "".join(
            f'<circle class="point" cx="{_esc(p.x)}" cy="{_esc(p.y)}" r="5"/>'
            f'<text class="axis" x="{_esc(p.x)}" y="{label_y}" text-anchor="middle">{_esc(p.label)}</text>'
            for p in chart["points"]
        )
    )


@register.simple_tag
def rating_rows(series):
    """The chart's data table body: number, day, item values, total, how it was given, the meeting."""
    other_meeting = _esc(gettext("muu tapaaminen"))

    def meeting(r) -> str:
        if r.agenda_item is None:
            return other_meeting
        return _esc(gettext("tiimikokous %(d)s") % {"d": _day(timezone.localtime(r.agenda_item.meeting.starts_at))})

    rows = []
    for n, row in enumerate(series.rows(), start=1):
        r = row.rating
        cells = "".join(f"<td>{_esc(v)}</td>" for v in row.cells)
        last = f"<td>{meeting(r)}</td>" if series.is_session else ""
        day = _day(r.rated_on)
        rows.append(f"<tr><td>{n}</td><td>{day}</td>{cells}<td>{_esc(row.total)}</td><td>{_esc(row.mode)}</td>{last}</tr>")
    return mark_safe("".join(rows))  # noqa: S308  # nosec B308 B703 - every value is escaped above
