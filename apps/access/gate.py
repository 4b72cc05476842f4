"""The access core: one `Access` for every resource kind, the team and organisation rules, and the
scope a transfer's handover gives. Imports only the ground (organisations, accounts) and the
log (audit).

Each domain app owns the rule for its own resources in `apps/<app>/access.py`, built from these
parts: it loads its object *within the caller's county*, asks who the caller is for it, and returns
an `Access`. The rules are the same everywhere:

- deny by default: a caller with no relationship to the object gets 404, so a stranger cannot learn
  that a record exists;
- a caller who may see the object but not do what is asked gets 403 (`Access.require`);
- what is shown is logged through the access (`Access.shown`), changes through the service's
  transaction (`Access.changed`), exports as disclosures (`Access.disclosed`) — all through
  apps/audit/ledger.py, which writes a page's entries only once the page is actually shown.
"""

from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.audit import ledger
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.organisations.models import Team

from .caller import Caller, caller_of
from .models import Handover
from .permissions import TEAM_ROLE_PERMISSIONS, Perm, team_role_permissions

PURPOSE_CLIENT_WORK = "client_work"
PURPOSE_HANDOVER = "handover"
PURPOSE_AUDIT = "log_audit"
PURPOSE_AGGREGATE = "aggregate"

ROLE_HANDOVER = "handover"

# What a manager may do with a team in their scope: its counts, never its families.
_MANAGER_TEAM_PERMS = frozenset({Perm.TEAM_AGGREGATE})
_ORG_TEAM_PERMS = frozenset({Perm.CASELOAD_AGGREGATE, Perm.EVALUATION_VIEW})
# What only a team's members may do: asking for it without membership is "no such team" (404).
_MEMBER_PERMS = frozenset().union(*TEAM_ROLE_PERMISSIONS.values())


@dataclass(frozen=True)
class Access:
    """What the caller may do with one resource, and in which capacity (for the log).

    `team` is the team the access goes through, `family` the family whose data it reaches (None
    for team aggregates and organisation pages), `resource` the object opened (a meeting, an
    agenda item, a notification …), `members` the family's members as the family rule read them
    (a page that shows them shows exactly those the log names).
    """

    caller: Caller
    county_id: int
    perms: frozenset = field(default_factory=frozenset)
    role: str = ""
    purpose: str = PURPOSE_CLIENT_WORK
    team: object = None
    family: object = None
    resource: object = None
    members: tuple = ()

    @property
    def user(self):
        return self.caller.user

    def can(self, perm: Perm) -> bool:
        return perm in self.perms

    def require(self, perm: Perm) -> "Access":
        """403 unless the caller may `perm` here (they already know the object exists)."""
        if perm not in self.perms:
            raise PermissionDenied
        return self

    def on(self, resource) -> "Access":
        """The same access, for an object found within this one (an item of the family, a meeting of the team)."""
        return replace(self, resource=resource)

    def shown(self, subjects, *, action: str = Action.VIEW) -> None:
        ledger.shown(
            actor=self.user, county_id=self.county_id, role=self.role, purpose=self.purpose, subjects=_subjects(subjects), action=action
        )

    def changed(self, subjects, *, action: str = Action.EDIT) -> None:
        ledger.changed(
            actor=self.user, county_id=self.county_id, role=self.role, purpose=self.purpose, subjects=_subjects(subjects), action=action
        )

    def disclosed(self, subjects, *, recipient: str, legal_basis: str) -> None:
        ledger.disclosed(
            actor=self.user,
            county_id=self.county_id,
            role=self.role,
            recipient=recipient,
            legal_basis=legal_basis,
            subjects=_subjects(subjects),
        )

    def families_listed(self, family_ids) -> None:
        """A list shows these families' names: one 'list' entry per family."""
        self.shown([Subject(pk) for pk in sorted(set(family_ids))], action=Action.LIST)


def _subjects(subjects) -> list[Subject]:
    return [s if isinstance(s, Subject) else Subject(*s) for s in subjects]


def refuse(access: Access, need: Perm, *, visible: Perm) -> None:
    """Deny by default: 404 when the caller may not even see the object (`visible`), 403 when they
    may see it but not do `need`."""
    if visible not in access.perms:
        raise Http404
    if need not in access.perms:
        raise PermissionDenied


def roles_label(roles) -> str:
    return ",".join(sorted(roles))


# ---- teams -------------------------------------------------------------------------------------


def team_perms(caller: Caller, team_id: int) -> tuple[frozenset, str]:
    """The caller's permissions on one team and the capacity they act in: their roles in it, and the
    aggregate view a manager has of the teams in their scope."""
    roles = caller.team_roles.get(team_id, frozenset())
    perms = set(team_role_permissions(roles))
    if roles:
        perms.add(Perm.TEAM_AGGREGATE)
    role = roles_label(roles)
    if team_id in caller.managed_team_ids:
        perms |= _MANAGER_TEAM_PERMS | (caller.org_perms & _ORG_TEAM_PERMS)
        role = role or caller.user.org_role
    return frozenset(perms), role


def open_team(user, team_id, *, need: Perm = Perm.TEAM_VIEW) -> Access:
    """Open a team: its members for its pages, managers in scope for its aggregates.

    A manager who asks for a member's page gets 404, as a stranger does: managers see counts,
    never the team's families."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    team = Team.objects.filter(county_id=caller.county_id, pk=team_id).select_related("unit").first()
    if team is None:
        raise Http404
    perms, role = team_perms(caller, team.pk)
    purpose = PURPOSE_CLIENT_WORK if Perm.TEAM_VIEW in perms else PURPOSE_AGGREGATE
    access = Access(caller, team.county_id, perms, role=role, purpose=purpose, team=team, resource=team)
    refuse(access, need, visible=Perm.TEAM_VIEW if need in _MEMBER_PERMS else need)
    return access


def visible_teams(user):
    """The teams whose pages the caller may open (their own)."""
    caller = caller_of(user)
    if not caller.is_professional:
        return Team.objects.none()
    return Team.objects.filter(county_id=caller.county_id, id__in=caller.team_ids)


def managed_teams(user):
    """The teams whose aggregates a manager oversees: the county's, or only their unit's."""
    return caller_of(user).managed_teams()


# ---- organisation pages ------------------------------------------------------------------------

_ORG_PURPOSE = {Perm.AUDIT_LOG_VIEW: PURPOSE_AUDIT, Perm.AUDIT_LOG_EXPORT: PURPOSE_AUDIT}


def open_organisation(user, need: Perm) -> Access:
    """Organisation-level pages (aggregates, the log, the research export): deny by default, 404
    for everyone without the organisation role's permission."""
    caller = caller_of(user)
    if not caller.is_professional or need not in caller.org_perms:
        raise Http404
    return Access(caller, caller.county_id, caller.org_perms, role=caller.user.org_role, purpose=_ORG_PURPOSE.get(need, PURPOSE_AGGREGATE))


def own_work(user) -> Access:
    """The caller's own work lists (my deadlines, my steps): what they show comes from the caller's
    own teams' families, logged in the caller's team roles. A partner professional has no team
    work: their own list is the shared plans families consented to (apps/partnership)."""
    caller = caller_of(user)
    if not caller.is_professional or caller.is_partner:
        raise Http404
    roles = {r for team_roles in caller.team_roles.values() for r in team_roles}
    return Access(caller, caller.county_id, team_role_permissions(roles), role=roles_label(roles))


# ---- handovers: the scope beyond the caller's own teams ------------------------------------------


def handed_over(caller: Caller, family_id: int) -> bool:
    """Has one of the caller's teams handed this family over, with read access still running?"""
    return bool(caller.team_ids) and Handover.objects.active().filter(family_id=family_id, from_team_id__in=caller.team_ids).exists()


def handover_family_ids(caller: Caller):
    return Handover.objects.active().filter(county_id=caller.county_id, from_team_id__in=caller.team_ids).values("family_id")
