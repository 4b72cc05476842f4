"""Who may open a family, a person, and the records kept inside a family.

The family rule: a member of the family's team acts in their team roles; the sending team of a
transfer reads until the agreed handover date. Anyone else — another team, another county, a
manager, an auditor, a researcher, a partner professional — gets 404. A partner's door is the
family's consent to share its plan (apps/partnership/access.py), which never opens the family. The list (`visible_families`) and the detail
(`open_family`) are the same rule, so a list can never show what the detail page would refuse.

Opening a family records its members as shown (apps/audit/ledger.py writes them only if the page
is actually shown). Records of the family (a relationship, a notification, a rating link …) are
looked up *within* the family with `record_of`: an id of another family's record is a 404 and,
since nothing is shown, nothing is logged.
"""

from dataclasses import replace

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.access.caller import caller_of
from apps.access.gate import PURPOSE_HANDOVER, ROLE_HANDOVER, Access, handed_over, handover_family_ids, refuse, roles_label
from apps.access.permissions import HANDOVER_PERMISSIONS, Perm, team_role_permissions
from apps.audit.services import Subject

from .models import Family, FamilyMember, Person

# How the log names this app's views (the URL names), in the reader's language.
LOG_VIEWS = {
    "family-create": _("Perheen lisäys"),
    "family-detail": _("Perheen sivu"),
    "family-edit": _("Perheen tietojen muutos"),
    "person-create": _("Henkilön lisäys"),
    "person-edit": _("Henkilön tietojen muutos"),
    "relationship-open": _("Asiakkuuden avaus"),
    "phase-create": _("Asiakkuuden vaiheen kirjaus"),
    "relationship-assign": _("Vastuutyöntekijän vaihto"),
}


def visible_families(user) -> QuerySet[Family]:
    """The families `user` may open: the list-side twin of `open_family`."""
    caller = caller_of(user)
    if not caller.is_professional:
        return Family.objects.none()
    if not caller.team_ids:
        return Family.objects.none()
    scope = Q(team_id__in=caller.team_ids) | Q(id__in=handover_family_ids(caller))
    return Family.objects.filter(county_id=caller.county_id).filter(scope)


def family_access(user, family: Family) -> Access:
    """The caller's permissions on one loaded family: team membership, else a handover (an empty
    Access when none: the caller may not see the family)."""
    caller = caller_of(user)
    roles = caller.team_roles.get(family.team_id)
    if roles:
        return Access(caller, family.county_id, team_role_permissions(roles), role=roles_label(roles), team=family.team, family=family)
    if handed_over(caller, family.pk):
        return Access(caller, family.county_id, HANDOVER_PERMISSIONS, role=ROLE_HANDOVER, purpose=PURPOSE_HANDOVER, family=family)
    return Access(caller, family.county_id, family=family)


def family_members(family: Family) -> tuple:
    return tuple(FamilyMember.objects.filter(family=family).select_related("person").order_by("person__birth_date", "id"))


def open_family(user, family_id, *, need: Perm = Perm.FAMILY_VIEW) -> Access:
    """Open one family; records each member as shown, since the family's pages show each of them."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    family = Family.objects.filter(county_id=caller.county_id, pk=family_id).select_related("team", "parents_worker").first()
    if family is None:
        raise Http404
    access = family_access(caller, family)
    refuse(access, need, visible=Perm.FAMILY_VIEW)
    members = family_members(family)
    access.shown([Subject(family.pk, m.person_id) for m in members] or [Subject(family.pk)])
    return replace(access, members=members)


def open_member(user, family_id, person_id, *, need: Perm = Perm.FAMILY_VIEW) -> Access:
    """Open one person in the context of one family (`resource` is the FamilyMember); records that person only."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    member = (
        FamilyMember.objects.filter(county_id=caller.county_id, family_id=family_id, person_id=person_id)
        .select_related("family__team", "family__parents_worker", "person")
        .first()
    )
    if member is None:
        raise Http404
    access = family_access(caller, member.family).on(member)
    refuse(access, need, visible=Perm.FAMILY_VIEW)
    access.shown([Subject(member.family_id, member.person_id)])
    return access


def open_person(user, person_id, *, need: Perm = Perm.FAMILY_VIEW) -> Access:
    """Open one person through the family the caller may do most with (`resource` is the Person)."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    person = Person.objects.filter(county_id=caller.county_id, pk=person_id).first()
    if person is None:
        raise Http404
    best = None
    for family in visible_families(caller.user).filter(members__person=person).select_related("team", "parents_worker"):
        access = family_access(caller, family)
        if best is None or len(access.perms) > len(best.perms):
            best = access
    if best is None:
        raise Http404
    refuse(best, need, visible=Perm.FAMILY_VIEW)
    best.shown([Subject(best.family.pk, person.pk)])
    return best.on(person)


def record_of(access: Access, queryset, pk):
    """A record of the opened family, or 404 (an id of another family's record shows nothing)."""
    obj = queryset.filter(family=access.family, pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise Http404
    return obj


def responsible_for_contact(user, person: Person, family: Family, *, child_worker_ids=None) -> bool:
    """Turvakielto: only the person's responsible workers may see address and contact details.

    Responsible workers are the child's responsible social worker (open relationships) and the
    family's parents' worker.
    """
    if not person.non_disclosure:
        return True
    if child_worker_ids is None:
        child_worker_ids = set(person.client_relationships.filter(closed_on__isnull=True).values_list("responsible_worker_id", flat=True))
    user_id = getattr(user, "pk", None)
    return user_id in child_worker_ids or user_id == family.parents_worker_id
