"""`{% figure f %}`: one aggregate figure as the pages show it (apps/core/disclosure.Figure).

A tag rather than an `{% include %}` per cell: a team's outcome table has over a hundred figures,
and an include costs about 100 µs each in Django's template engine (the team ratings page became
12 % slower when its cells went through the suppression rule with an include each).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def figure(f, share_only=False):
    """A hidden figure reads "*" (and "piilotettu" to a screen reader); a share-only cell shows its
    percentage; otherwise the count with its share. "–" where there is no figure."""
    if f.hidden or (share_only and f.share_hidden):
        return format_html('<span aria-hidden="true">*</span><span class="visually-hidden">{}</span>', _("piilotettu"))
    if f.value is None:
        return "–"
    if share_only:
        return "–" if f.percent is None else f"{f.percent} %"
    if f.percent is not None:
        return f"{f.value} ({f.percent} %)"
    return str(f.value)
