"""Evaluation shows aggregates: a team's fidelity to its members and to the managers whose scope
covers the team (apps.access.gate.open_team with TEAM_AGGREGATE), the county report and the
effectiveness view to managers (their scope: the county, or their unit; the national comparison
by kind of team, all counties together), and the pseudonymised research export to researchers
(apps.access.gate.open_organisation). The export is the one personal-data output: every download
is a disclosure, one entry per family."""

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from apps.access import gate
from apps.access.gate import Access
from apps.access.permissions import Perm

LOG_VIEWS = {
    "research-export": _("Tutkimusaineiston vienti (pseudonymisoitu)"),
    "research-download": _("Tutkimusaineiston lataus (pseudonymisoitu)"),
    "fidelity-records": _("Mallin toteutuminen: mittarin taustalla olevat perheet"),
}


def open_placement_costs(user, *, need: Perm = Perm.EVALUATION_VIEW) -> Access:
    """The county's placement prices: every manager reads them; only a manager of the whole county
    (no unit of their own) sets them — the county decides its prices, not one unit."""
    access = gate.open_organisation(user, Perm.EVALUATION_VIEW)
    if user.managed_unit_id:
        access = replace(access, perms=access.perms - {Perm.PLACEMENT_COST_SET})
    if not access.can(need):
        raise PermissionDenied
    return access
