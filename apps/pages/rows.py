"""The team page's family table, rendered in Python.

Django's template language spent about 110 µs on each family row (eleven variable lookups, two
inner loops, a URL and a date filter, each resolved, localised and escaped through the engine):
6 of the team page's 10 ms of rendering for a 55-family team (issue 8). `format_html` was not
much faster (60 µs a row: its lazy-argument checks on every escape). The rows are built here
with the standard library's `html.escape` — the function Django's own `escape` calls — on every
value that is not our own markup, and marked safe once; a test renders a family whose name is
markup and finds it escaped.
"""

from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.core.links import id_links

DASH = "–"


def _name(user) -> str:
    return escape((user.get_full_name() if user is not None else "") or DASH)


def _day(moment, zone) -> str:
    if moment is None:
        return DASH
    local = moment.astimezone(zone)
    return f"{local.day}.{local.month}.{local.year}"


def family_rows(families) -> SafeString:
    """One `<tr>` per family: name and municipality, open children and phase, their workers,
    the parents' worker, the last team discussion and open plan steps. Column labels repeat in
    `data-label` for the phone layout, where each row becomes a card."""
    children, workers, parents, discussed, steps = map(
        escape,
        (_("Asiakaslapset ja vaihe"), _("Vastuutyöntekijät"), _("Vanhempien työntekijä"), _("Viimeksi käsitelty"), _("Avoimet askeleet")),
    )
    link = id_links("family-detail")  # reversing per row was half of this function's time
    zone = timezone.get_current_timezone()
    none = escape(_("ei avointa asiakkuutta"))  # not inside the f-string below: xgettext skips those
    none = f"<small>{none}</small>"
    rows = []
    for f in families:
        rels = f.open_relationships
        kids = "<br>".join(f"{escape(r.child.first_names)} – {escape(r.get_current_phase_display())}" for r in rels)
        rows.append(
            f'<tr><td><a href="{escape(link(f.pk))}">{escape(f.name)}</a>'
            f"<br><small>{escape(f.municipality)}</small></td>"
            f'<td data-label="{children}">{kids or none}</td>'
            f'<td data-label="{workers}">{"<br>".join(_name(r.responsible_worker) for r in rels)}</td>'
            f'<td data-label="{parents}">{_name(f.parents_worker)}</td>'
            f'<td data-label="{discussed}">{_day(f.last_discussed, zone)}</td>'
            f'<td data-label="{steps}" class="num">{int(f.open_steps)}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308 B703 - every value above is escaped
