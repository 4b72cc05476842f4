"""Evaluation shows aggregates: a team's fidelity to its members and to the managers whose scope
covers the team (apps.access.gate.open_team with TEAM_AGGREGATE), the county report to managers
(their scope: the county, or their unit), and the pseudonymised research export to researchers
(apps.access.gate.open_organisation). The export is the one personal-data output: every download
is a disclosure, one entry per family."""

from django.utils.translation import gettext_lazy as _

LOG_VIEWS = {
    "research-export": _("Tutkimusaineiston vienti (pseudonymisoitu)"),
}
