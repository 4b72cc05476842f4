"""Ratings are a family's record: the worker pages open them through the family rule
(apps/clients/access.py) with casework permissions, and hand them out only with edit permission
(the register's keepers). The team's outcome summary is a team aggregate
(apps.access.gate.open_team with TEAM_AGGREGATE: the team's members and the managers whose scope
covers the team). The family member's own rating page has no login: its one-time token is the key
(apps/ratings/services.py)."""

from django.utils.translation import gettext_lazy as _

LOG_VIEWS = {
    "family-ratings": _("Perheen arviot"),
    "rating-link-create": _("Arviointilinkin luonti"),
    "rating-link": _("Arviointilinkki"),
    "rating-paper": _("Paperisen arvion kirjaus"),
    "ratings-export": _("Arvioiden vienti"),
}
