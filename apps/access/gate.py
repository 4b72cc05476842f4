"""The access gate: the one place that decides who may see a family, a person or a team.

Every view and API endpoint calls these functions. Each loads the object *within the caller's
county*, resolves what the caller may do from active team memberships and grants (the same rule
the list filter uses), refuses strangers with 404 so nobody learns that a record exists, refuses
read-only callers with 403, and writes the access-log entries itself before returning data.
"""

from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from apps.audit.models import Action
from apps.audit.services import Subject, access_log_append
from apps.clients.models import Family, FamilyMember, Person
from apps.organisations.models import Membership, Team

from .models import AccessGrant, Handover
from .permissions import (
    GRANT_EDIT_PERMISSIONS,
    GRANT_READ_PERMISSIONS,
    HANDOVER_PERMISSIONS,
    Perm,
    org_permissions,
    team_role_permissions,
)

PURPOSE_CLIENT_WORK = "client_work"
PURPOSE_CONSENTED_GRANT = "consented_grant"
PURPOSE_HANDOVER = "handover"


@dataclass(frozen=True)
class Access:
    """What the caller may do with one family, and in which capacity (for the log)."""

    family: Family
    perms: frozenset = field(default_factory=frozenset)
    role: str = ""
    purpose: str = PURPOSE_CLIENT_WORK
    # The family's members with their persons, as `get_family` logged them: a page that shows
    # them shows exactly who was logged, and does not read them a second time.
    members: tuple = ()

    def can(self, perm: Perm) -> bool:
        return perm in self.perms


def _is_professional(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.county_id)


def _active_team_ids(user) -> QuerySet:
    return Membership.objects.active().filter(user=user, county_id=user.county_id).values("team_id")


def _active_grant_family_ids(user) -> QuerySet:
    return AccessGrant.objects.active().filter(grantee=user, county_id=user.county_id).values("family_id")


def visible_families(user) -> QuerySet[Family]:
    """The families `user` may open: the list-side twin of `get_family`."""
    if not _is_professional(user):
        return Family.objects.none()
    return Family.objects.filter(county_id=user.county_id).filter(
        Q(team_id__in=_active_team_ids(user)) | Q(id__in=_active_grant_family_ids(user)) | Q(id__in=_handover_family_ids(user))
    )


def _handover_family_ids(user) -> QuerySet:
    return Handover.objects.active().filter(county_id=user.county_id, from_team_id__in=_active_team_ids(user)).values("family_id")


def visible_teams(user) -> QuerySet[Team]:
    if not _is_professional(user):
        return Team.objects.none()
    return Team.objects.filter(county_id=user.county_id, id__in=_active_team_ids(user))


def resolve(user, family: Family) -> Access:
    """Resolve the caller's permissions on one family: team membership, else a grant, else a handover."""
    roles = list(Membership.objects.active().filter(user=user, team_id=family.team_id).values_list("role", flat=True))
    if roles:
        return Access(family, team_role_permissions(roles), role=",".join(sorted(roles)))
    grants = list(AccessGrant.objects.active().filter(grantee=user, family=family).values_list("can_edit", flat=True))
    if grants:
        perms = GRANT_EDIT_PERMISSIONS if any(grants) else GRANT_READ_PERMISSIONS
        return Access(family, perms, role="grant", purpose=PURPOSE_CONSENTED_GRANT)
    if Handover.objects.active().filter(family=family, from_team_id__in=_active_team_ids(user)).exists():
        return Access(family, HANDOVER_PERMISSIONS, role="handover", purpose=PURPOSE_HANDOVER)
    return Access(family)


def _log(user, access: Access, *, action: str, view_name: str, subjects: list[Subject]) -> None:
    access_log_append(
        actor=user,
        county_id=access.family.county_id,
        actor_role=access.role,
        action=action,
        view_name=view_name,
        purpose=access.purpose,
        subjects=subjects,
    )


def _require(access: Access, need: Perm) -> None:
    if not access.can(Perm.FAMILY_VIEW):
        raise Http404
    if not access.can(need):
        raise PermissionDenied


def get_family(user, family_id, *, view_name: str, need: Perm = Perm.FAMILY_VIEW, action: str = Action.VIEW) -> Access:
    """Open one family; logs one entry per member, since the page shows each of them."""
    if not _is_professional(user):
        raise Http404
    family = Family.objects.filter(county_id=user.county_id, pk=family_id).select_related("team", "parents_worker").first()
    if family is None:
        raise Http404
    access = resolve(user, family)
    _require(access, need)
    members = tuple(FamilyMember.objects.filter(family=family).select_related("person").order_by("person__birth_date", "id"))
    subjects = [Subject(family.pk, m.person_id) for m in members] or [Subject(family.pk, None)]
    _log(user, access, action=action, view_name=view_name, subjects=subjects)
    return replace(access, members=members)


def get_member(
    user, family_id, person_id, *, view_name: str, need: Perm = Perm.FAMILY_VIEW, action: str = Action.VIEW
) -> tuple[FamilyMember, Access]:
    """Open one person in the context of one family; logs that person only."""
    if not _is_professional(user):
        raise Http404
    member = (
        FamilyMember.objects.filter(county_id=user.county_id, family_id=family_id, person_id=person_id)
        .select_related("family__team", "person")
        .first()
    )
    if member is None:
        raise Http404
    access = resolve(user, member.family)
    _require(access, need)
    _log(user, access, action=action, view_name=view_name, subjects=[Subject(family_id, member.person_id)])
    return member, access


def get_person(user, person_id, *, view_name: str, need: Perm = Perm.FAMILY_VIEW, action: str = Action.VIEW) -> tuple[Person, Access]:
    """Open one person through a family the caller may open; logs that person only."""
    if not _is_professional(user):
        raise Http404
    person = Person.objects.filter(county_id=user.county_id, pk=person_id).first()
    if person is None:
        raise Http404
    best = None
    for family in visible_families(user).filter(members__person=person).select_related("team"):
        access = resolve(user, family)
        if best is None or len(access.perms) > len(best.perms):
            best = access
    if best is None:
        raise Http404
    _require(best, need)
    _log(user, best, action=action, view_name=view_name, subjects=[Subject(best.family.pk, person.pk)])
    return person, best


def get_team(user, team_id) -> tuple[Team, frozenset, str]:
    """Open a team page: members only (managers use the aggregate views)."""
    if not _is_professional(user):
        raise Http404
    team = Team.objects.filter(county_id=user.county_id, pk=team_id).select_related("unit").first()
    if team is None:
        raise Http404
    roles = list(Membership.objects.active().filter(user=user, team=team).values_list("role", flat=True))
    perms = team_role_permissions(roles)
    if Perm.TEAM_VIEW not in perms:
        raise Http404
    return team, perms, ",".join(sorted(roles))


def get_meeting(user, meeting_id):
    """Open a team meeting: members of the meeting's team only."""
    from apps.meetings.models import Meeting

    if not _is_professional(user):
        raise Http404
    meeting = Meeting.objects.filter(county_id=user.county_id, pk=meeting_id).select_related("team").first()
    if meeting is None:
        raise Http404
    _team, perms, role = get_team(user, meeting.team_id)
    return meeting, perms, role


PURPOSE_AUDIT = "log_audit"


def _log_own(user, *, role: str, purpose: str, action: str, view_name: str, subjects: list[Subject]) -> None:
    """Log reads that are not through one family's Access (lists, the auditor's views)."""
    if subjects:
        access_log_append(
            actor=user,
            county_id=user.county_id,
            actor_role=role,
            action=action,
            view_name=view_name,
            purpose=purpose,
            subjects=subjects,
        )


def get_person_for_audit(user, person_id, *, view_name: str, action: str = Action.VIEW) -> Person:
    """An auditor opens one client's log: the person's name is shown, so this read is logged too."""
    require_org_perm(user, Perm.AUDIT_LOG_VIEW)
    person = Person.objects.filter(county_id=user.county_id, pk=person_id).first()
    if person is None:
        raise Http404
    subjects = [Subject(None, person.pk)]
    _log_own(user, role=user.org_role, purpose=PURPOSE_AUDIT, action=action, view_name=view_name, subjects=subjects)
    return person


def log_family_list(user, families, *, role: str, view_name: str) -> None:
    """A list shows family names: one 'list' entry per family shown."""
    log_family_ids(user, [f.pk for f in families], role=role, view_name=view_name)


def log_family_ids(user, family_ids, *, role: str, view_name: str) -> None:
    """As log_family_list, for ids the caller read through `visible_families` (no second read)."""
    subjects = [Subject(pk, None) for pk in sorted(family_ids)]
    _log_own(user, role=role, purpose=PURPOSE_CLIENT_WORK, action=Action.LIST, view_name=view_name, subjects=subjects)


def log_audit_search(user, people, *, view_name: str) -> None:
    """The auditor's search shows names and birth dates: one 'list' entry per person shown."""
    subjects = [Subject(None, p.pk) for p in people]
    _log_own(user, role=user.org_role, purpose=PURPOSE_AUDIT, action=Action.LIST, view_name=view_name, subjects=subjects)


def require_org_perm(user, perm: Perm) -> None:
    """Organisation-level pages (aggregates, logs): deny by default, 404 for everyone else."""
    if not _is_professional(user) or perm not in org_permissions(user):
        raise Http404


def responsible_for_contact(user, person: Person, family: Family, *, child_worker_ids=None) -> bool:
    """Turvakielto: only the person's responsible workers may see address and contact details.

    Responsible workers are the child's responsible social worker (open relationships) and the
    family's parents' worker.
    """
    if not person.non_disclosure:
        return True
    if child_worker_ids is None:
        child_worker_ids = set(person.client_relationships.filter(closed_on__isnull=True).values_list("responsible_worker_id", flat=True))
    return user.pk in child_worker_ids or user.pk == family.parents_worker_id


def log_edit(user, access: Access, *, view_name: str, subjects: list[Subject], action: str = Action.EDIT) -> None:
    """Services call this inside their transaction, so the change and its log entry land together."""
    _log(user, access, action=action, view_name=view_name, subjects=subjects)
