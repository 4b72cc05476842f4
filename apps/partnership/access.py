"""Who may open a family's shared plan, and the consent rule that lets a partner professional in.

The team (its members in their roles, the sending team during a transfer's handover) opens the plan
through the family rule (apps/clients/access.py). A partner professional opens it only with the
family's active consent: role "partner", purpose "consented_cooperation", permissions
`PARTNER_PERMISSIONS` (read the plan, mark their own steps done). Anyone else gets 404, and so does
a partner whose consent was withdrawn or has passed its last day: the consent is read on every
request, so its end ends access on the partner's next request.

Every partner read is in the access log (`Access.shown`) and is a disclosure out of the team
(`disclose_to_partner`): the plan leaves the team with its recipient and the legal basis, the
family's consent.
"""

from dataclasses import replace

from django.db.models import QuerySet
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.access.caller import caller_of
from apps.access.gate import Access, open_team, refuse
from apps.access.permissions import PARTNER_PERMISSIONS, Perm
from apps.audit.services import Subject
from apps.clients.access import family_access, family_members
from apps.clients.models import Family
from apps.network.access import ecomap_subjects
from apps.network.models import Ecomap

from .models import Consent, HandoverSummary, PeerGroup, PeerGroupMember, SharedPlan, SharedStep, StepOwner

PURPOSE_CONSENTED_COOPERATION = "consented_cooperation"
ROLE_PARTNER = "partner"

LOG_VIEWS = {
    "shared-plan": _("Yhteinen suunnitelma"),
    "shared-plan-versions": _("Yhteisen suunnitelman versiot"),
    "shared-plan-family": _("Yhteinen suunnitelma perheelle"),
    "consents": _("Perheen suostumukset"),
    "consent-withdraw": _("Suostumuksen peruminen"),
    "joint-assessments": _("Yhdessä-arvioinnit"),
    "joint-assessment": _("Yhdessä-arviointi"),
    "joint-link": _("Yhdessä-arvioinnin linkki"),
    "handovers": _("Siirtoyhteenvedot"),
    "handover": _("Siirtoyhteenveto"),
    "partner-handover": _("Siirtoyhteenveto (kumppani)"),
    "notifier-feedback": _("Palaute ilmoittajalle"),
    "peer-group": _("Vertaisryhmä"),
    "peer-group-invite": _("Kutsu vertaisryhmään"),
    "peer-group-resend": _("Vertaisryhmän kutsu uudelleen"),
    "peer-group-invite-made": _("Vertaisryhmän puhelinkutsu tehty"),
    "peer-group-meeting": _("Vertaisryhmän tapaaminen"),
    "peer-group-plan": _("Vertaisryhmän suunnitelma"),
    "peer-group-contribution": _("Kokemusasiantuntijan panos"),
    "partner-home": _("Kumppanin suunnitelmat"),
    "partner-plan": _("Yhteinen suunnitelma (kumppani)"),
    "partner-step-done": _("Kumppanin askeleen kuittaus"),
    "partner-ecomap": _("Verkostokartta (kumppani)"),
}


def active_consents(user, *, family_id=None) -> QuerySet[Consent]:
    """The caller's consents in force today (a partner's; nobody else holds any)."""
    caller = caller_of(user)
    if not caller.is_partner:
        return Consent.objects.none()
    consents = Consent.objects.active().filter(partner=caller.user, county_id=caller.county_id)
    return consents if family_id is None else consents.filter(family_id=family_id)


def consented_scopes(user, family_id) -> frozenset[str]:
    """What `user` may see of one family by its consent today: {"shared_plan", "own_steps"} and
    "ecomap" when a consent in force says so; empty for everyone without one (a team member's access
    comes from the family rule, not from here). For apps built on this one (the ecomap)."""
    scopes: set[str] = set()
    for consent in active_consents(user, family_id=family_id).only("ecomap"):
        scopes.update(consent.scopes)
    return frozenset(scopes)


def open_partner_home(user) -> Access:
    """A partner's own list (the families whose consent is in force): partners only, 404 for others."""
    caller = caller_of(user)
    if not caller.is_partner:
        raise Http404
    return Access(caller, caller.county_id, PARTNER_PERMISSIONS, role=ROLE_PARTNER, purpose=PURPOSE_CONSENTED_COOPERATION)


TEAM, PARTNER, ANYONE = "team", "partner", "anyone"


def shared_plan_access(user, family: Family, *, side: str = ANYONE) -> Access:
    """The caller's access to one loaded family's shared plan: the family rule for the team, the
    family's active consent for a partner, else an empty Access (404). `side`: the team's pages
    admit only the team, the partner's pages only partners (the other side gets 404 there)."""
    caller = caller_of(user)
    if caller.is_partner != (side == PARTNER) and side != ANYONE:
        return Access(caller, family.county_id, family=family)
    if caller.is_partner:
        if active_consents(caller.user, family_id=family.pk).exists():
            return Access(
                caller, family.county_id, PARTNER_PERMISSIONS, role=ROLE_PARTNER, purpose=PURPOSE_CONSENTED_COOPERATION, family=family
            )
        return Access(caller, family.county_id, family=family)
    return family_access(caller, family)


def open_shared_plan(user, *, family_id=None, plan_id=None, need: Perm = Perm.SHARED_PLAN_VIEW, side: str = ANYONE) -> Access:
    """Open a family's shared plan by the family's id or the plan's; `resource` is the plan (unsaved,
    version 0, until the team first saves it). Records each family member as shown."""
    caller = caller_of(user)
    if not caller.is_professional or (family_id is None) == (plan_id is None):
        raise Http404
    if plan_id is not None:
        plan = SharedPlan.objects.filter(county_id=caller.county_id, pk=plan_id).select_related("family__team").first()
        if plan is None:
            raise Http404
        family = plan.family
    else:
        family = Family.objects.filter(county_id=caller.county_id, pk=family_id).select_related("team").first()
        if family is None:
            raise Http404
        plan = SharedPlan.objects.filter(family=family).first() or SharedPlan(county_id=family.county_id, family=family)
    access = shared_plan_access(caller, family, side=side)
    refuse(access, need, visible=Perm.SHARED_PLAN_VIEW)
    members = family_members(family)
    access.shown([Subject(family.pk, m.person_id) for m in members] or [Subject(family.pk)])
    return replace(access, resource=plan, members=members)


def open_step(user, step_id, *, need: Perm = Perm.SHARED_PLAN_VIEW, side: str = ANYONE) -> Access:
    """Open one step of a shared plan (`resource` is the step). A partner sees only the steps of the
    family and the team and their own; another partner's step is not theirs to see (404)."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    step = (
        SharedStep.objects.filter(county_id=caller.county_id, pk=step_id).select_related("plan", "owner_user").first()
        if str(step_id).isdigit()
        else None
    )
    if step is None:
        raise Http404
    access = open_shared_plan(caller.user, plan_id=step.plan_id, need=Perm.SHARED_PLAN_VIEW, side=side)
    if access.role == ROLE_PARTNER and not partner_sees_step(step, caller.user):
        raise Http404
    refuse(access, need, visible=Perm.SHARED_PLAN_VIEW)
    return access.on(step)


def partner_sees_step(step: SharedStep, partner) -> bool:
    """Data minimisation (703/2023, GDPR art. 5(1)(c)): a partner sees the family's and the team's
    steps and their own, never another partner's (which would tell a school that the family visits a
    psychiatric clinic)."""
    return step.owner_kind != StepOwner.PARTNER or step.owner_user_id == partner.pk


def disclose_to_partner(access: Access, subjects=None, *, ecomap: bool = False) -> None:
    """A partner's read of the plan (or of what else the consent opens: the ecomap) is it leaving the
    team: a disclosure-log entry naming the partner and the consent it rests on. `subjects`: those
    shown, the family's members (as the plan names them) unless told; `ecomap`: the basis is a consent
    that includes the ecomap."""
    if access.role != ROLE_PARTNER:
        return
    if subjects is None:
        subjects = [Subject(access.family.pk, m.person_id) for m in access.members] or [Subject(access.family.pk)]
    consents = active_consents(access.user, family_id=access.family.pk)
    consent = (consents.filter(ecomap=True) if ecomap else consents).order_by("valid_from", "id").first()
    basis = gettext("Perheen suostumus %(start)s–%(end)s: %(purpose)s") % {
        "start": formats.date_format(consent.valid_from, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(consent.valid_until, "SHORT_DATE_FORMAT"),
        "purpose": consent.purpose,
    }
    access.disclosed(
        subjects,
        recipient=access.user.professional_label,
        legal_basis=basis,
    )


def open_partner_handover(user, handover_id) -> Access:
    """A handover summary as its receiving partner reads it: shared with them, and the family's
    consent still in force; 404 for everyone else (the team reads it on the family's pages)."""
    caller = caller_of(user)
    if not caller.is_partner:
        raise Http404
    summary = (
        HandoverSummary.objects.filter(county_id=caller.county_id, pk=handover_id, shares__recipient=caller.user)
        .select_related("family", "relationship__child")
        .first()
        if str(handover_id).isdigit()
        else None
    )
    if summary is None:
        raise Http404
    access = shared_plan_access(caller, summary.family, side=PARTNER)
    refuse(access, Perm.SHARED_PLAN_VIEW, visible=Perm.SHARED_PLAN_VIEW)
    members = family_members(summary.family)
    access.shown([Subject(summary.family_id, m.person_id) for m in members] or [Subject(summary.family_id)])
    return replace(access, resource=summary, members=members)


def open_partner_ecomap(user, family_id) -> Access:
    """The family's latest ecomap as a partner professional reads it (`resource`; None before the
    team has drawn one). Only a consent in force that includes the ecomap opens it: the family chose
    what the partner sees (703/2023 § 11, data minimisation). Anyone else, and a partner whose consent
    covers only the plan, gets 404 like every page that is not theirs. Logs nothing yet."""
    caller = caller_of(user)
    if not caller.is_partner or not str(family_id).isdigit():
        raise Http404
    family = Family.objects.filter(county_id=caller.county_id, pk=family_id).first()
    if family is None or Consent.Scope.ECOMAP not in consented_scopes(caller.user, family.pk):
        raise Http404
    ecomap = Ecomap.objects.filter(family=family).select_related("viewpoint_person", "centre").order_by("-drawn_on", "-id").first()
    perms = frozenset({Perm.NETWORK_VIEW})
    return Access(caller, family.county_id, perms, role=ROLE_PARTNER, purpose=PURPOSE_CONSENTED_COOPERATION, family=family, resource=ecomap)


def show_partner_ecomap(access: Access, ecomaps) -> None:
    """What the partner reads is logged as shown and, since it leaves the team, as disclosed to them
    with the consent that includes the ecomap as its legal basis."""
    subjects = ecomap_subjects(access.family.pk, ecomaps)
    access.shown(subjects)
    disclose_to_partner(access, subjects, ecomap=True)


def open_peer_group(user, team_id, peer_group_id, *, need: Perm = Perm.TEAM_VIEW) -> Access:
    """A team's peer group, for the team's members (404 for everyone else, and for another team's
    group); 403 for a member whose role may not `need` (the therapist reads, does not record)."""
    access = open_team(user, team_id)
    group = PeerGroup.objects.filter(team=access.team, pk=peer_group_id).first() if str(peer_group_id).isdigit() else None
    if group is None:
        raise Http404
    access.require(need)
    return access.on(group)


def peer_member_of(access: Access, peer_member_id) -> PeerGroupMember:
    """A member of the opened group, or 404."""
    member = access.resource.members.filter(pk=peer_member_id).select_related("member").first() if str(peer_member_id).isdigit() else None
    if member is None:
        raise Http404
    return member
