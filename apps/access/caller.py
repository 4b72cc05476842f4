"""Who is asking: the signed-in professional with their county, team memberships, organisation
role and manager scope, read once per request.

Every access rule starts here. A caller without a county (anonymous, an inactive user, a user an
administrator has not placed in a county) has no memberships and no scope: deny by default.
"""

from dataclasses import dataclass
from functools import cached_property

from apps.accounts.models import OrgRole
from apps.audit.ledger import current_request
from apps.organisations.models import Membership, Team

from .permissions import Perm, org_permissions

_CACHE_ATTR = "_systeemi_caller"


@dataclass
class Caller:
    user: object

    @property
    def county_id(self) -> int | None:
        return self.user.county_id if self.is_professional else None

    @cached_property
    def is_professional(self) -> bool:
        user = self.user
        return bool(getattr(user, "is_authenticated", False) and user.is_active and user.county_id)

    @cached_property
    def is_partner(self) -> bool:
        """A partner professional of another organisation: outside every team, whatever memberships
        an administrator may have given them by mistake (their only door is a family's consent)."""
        return self.is_professional and self.user.org_role == OrgRole.PARTNER

    @cached_property
    def team_roles(self) -> dict[int, frozenset[str]]:
        """Active memberships of the caller's county: team id -> the caller's roles in that team."""
        if not self.is_professional or self.is_partner:
            return {}
        roles: dict[int, set[str]] = {}
        for team_id, role in Membership.objects.active().filter(user=self.user, county_id=self.county_id).values_list("team_id", "role"):
            roles.setdefault(team_id, set()).add(role)
        return {team_id: frozenset(r) for team_id, r in roles.items()}

    @property
    def team_ids(self) -> list[int]:
        return sorted(self.team_roles)

    @cached_property
    def org_perms(self) -> frozenset[Perm]:
        return org_permissions(self.user) if self.is_professional else frozenset()

    def can(self, perm: Perm) -> bool:
        """An organisation-level permission (the manager's, the auditor's, the researcher's role)."""
        return perm in self.org_perms

    def managed_teams(self):
        """The teams a manager oversees: the county's, or one unit's when the manager leads a unit.
        Nobody else oversees any team."""
        if Perm.CASELOAD_AGGREGATE not in self.org_perms and Perm.EVALUATION_VIEW not in self.org_perms:
            return Team.objects.none()
        teams = Team.objects.filter(county_id=self.county_id)
        if self.user.managed_unit_id:
            teams = teams.filter(unit_id=self.user.managed_unit_id)
        return teams

    @cached_property
    def managed_team_ids(self) -> frozenset[int]:
        return frozenset(self.managed_teams().values_list("id", flat=True))


def caller_of(user) -> Caller:
    """The caller for `user`. The request's own user is read once per request (its memberships
    cannot change mid-request for access purposes); any other user object is read afresh."""
    if isinstance(user, Caller):
        return user
    request = current_request()
    if request is None or getattr(request, "user", None) is not user:
        return Caller(user)
    caller = request.__dict__.get(_CACHE_ATTR)
    if caller is None:
        caller = request.__dict__[_CACHE_ATTR] = Caller(user)
    return caller
