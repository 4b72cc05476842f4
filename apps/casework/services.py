"""Writes for notifications and assessments; each also moves the child's client relationship on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.clients import services as client_services
from apps.clients.models import ClientRelationship, Phase
from apps.core.dates import check_record_date, short

from .models import Assessment, ClientPlan, Decision, InterfaceAssessment, Notification, PersonalMeeting


@transaction.atomic
def notification_register(*, access: Access, child, responsible_worker=None, **fields) -> Notification:
    """Register a notification; a child without an open client relationship gets one (phase: notification)."""
    access.require(Perm.PHASE_EDIT)
    check_record_date(fields["received_on"], "received_on")
    relationship = ClientRelationship.objects.filter(child=child, closed_on__isnull=True).first()
    if relationship is None:
        if child.birth_date and fields["received_on"] < child.birth_date:
            raise ValidationError(
                {"received_on": _("Ilmoitus ei voi olla ennen lapsen syntymää (%(date)s).") % {"date": short(child.birth_date)}}
            )
        if responsible_worker is None:
            raise ValidationError(
                {"responsible_worker": _("Valitse lapselle vastuusosiaalityöntekijä: lapsella ei ole avointa asiakkuutta.")}
            )
        relationship = client_services.relationship_open(
            access=access, child=child, responsible_worker=responsible_worker, opened_on=fields["received_on"]
        )
    notification = Notification(
        county_id=access.family.county_id, family=access.family, child=child, relationship=relationship, registered_by=access.user, **fields
    )
    notification.full_clean()
    notification.save()
    access.changed([Subject(access.family.pk, child.pk)], action=Action.CREATE)
    return notification


@transaction.atomic
def notification_decide(*, access: Access, notification: Notification, decision: str, decided_on: datetime.date) -> Notification:
    access.require(Perm.PHASE_EDIT)
    if notification.decided_on:
        raise ValidationError(_("Ilmoituksesta on jo tehty päätös."))
    check_record_date(decided_on, "decided_on")
    if decided_on < notification.received_on:
        raise ValidationError({"decided_on": _("Päätös ei voi olla ennen ilmoituksen saapumista.")})
    notification.decision, notification.decided_on, notification.decided_by = decision, decided_on, access.user
    notification.full_clean()
    notification.save()
    rel = notification.relationship
    if decision == Decision.START_INVESTIGATION:
        Assessment.objects.create(
            county_id=notification.county_id,
            family=notification.family,
            child=notification.child,
            notification=notification,
            matter_arrived_on=notification.received_on,
            started_on=decided_on,
        )
        if rel and rel.is_open and rel.current_phase == Phase.NOTIFICATION:
            client_services.phase_record(access=access, relationship=rel, phase=Phase.ASSESSMENT, started_on=decided_on)
    elif decision == Decision.NO_INVESTIGATION and rel and rel.is_open and rel.current_phase == Phase.NOTIFICATION:
        client_services.phase_record(
            access=access, relationship=rel, phase=Phase.CLOSED, started_on=decided_on, note=_("Selvitystä ei aloitettu.")
        )
    access.changed([Subject(access.family.pk, notification.child_id)])
    return notification


@transaction.atomic
def notification_inform_notifier(*, access: Access, notification: Notification, informed_on: datetime.date, how: str) -> Notification:
    access.require(Perm.PHASE_EDIT)
    check_record_date(informed_on, "informed_on")
    if notification.decided_on is None:
        raise ValidationError(_("Kirjaa ensin päätös; ilmoittajalle kerrotaan, aloitettiinko selvitys."))
    if informed_on < notification.decided_on:
        raise ValidationError({"informed_on": _("Ilmoittajalle ei voi kertoa päätöksestä ennen päätöstä.")})
    notification.notifier_informed_on, notification.notifier_informed_how = informed_on, how
    notification.save(update_fields=["notifier_informed_on", "notifier_informed_how"])
    access.changed([Subject(access.family.pk, notification.child_id)])
    return notification


OUTCOME_PHASE = {
    Assessment.Outcome.CHILD_PROTECTION: Phase.OPEN_CARE,
    Assessment.Outcome.FAMILY_SOCIAL_WORK: Phase.CLOSED,
    Assessment.Outcome.NO_NEED: Phase.CLOSED,
}


@transaction.atomic
def assessment_complete(*, access: Access, assessment: Assessment, completed_on: datetime.date, outcome: str) -> Assessment:
    access.require(Perm.PHASE_EDIT)
    if assessment.completed_on:
        raise ValidationError(_("Arviointi on jo valmis."))
    check_record_date(completed_on, "completed_on")
    if completed_on < assessment.started_on:
        raise ValidationError({"completed_on": _("Arviointi ei voi valmistua ennen alkamistaan.")})
    assessment.completed_on, assessment.outcome = completed_on, outcome
    assessment.full_clean()
    assessment.save()
    rel = ClientRelationship.objects.filter(child=assessment.child, closed_on__isnull=True).first()
    if rel and rel.current_phase == Phase.ASSESSMENT:
        client_services.phase_record(access=access, relationship=rel, phase=OUTCOME_PHASE[outcome], started_on=completed_on)
    access.changed([Subject(access.family.pk, assessment.child_id)])
    return assessment


def _in_relationship(rel: ClientRelationship, day: datetime.date, field: str) -> None:
    check_record_date(day, field)
    if day < rel.opened_on:
        raise ValidationError({field: _("Päivämäärä ei voi olla ennen asiakkuuden alkua.")})
    if not rel.is_open:
        raise ValidationError(_("Asiakkuus on päättynyt."))


@transaction.atomic
def client_plan_record(*, access: Access, relationship: ClientRelationship, **fields) -> ClientPlan:
    access.require(Perm.PHASE_EDIT)
    _in_relationship(relationship, fields["made_on"], "made_on")
    plan = ClientPlan(county_id=relationship.county_id, relationship=relationship, recorded_by=access.user, **fields)
    plan.full_clean()
    plan.save()
    access.changed([Subject(access.family.pk, relationship.child_id)], action=Action.CREATE)
    return plan


@transaction.atomic
def personal_meeting_record(*, access: Access, relationship: ClientRelationship, **fields) -> PersonalMeeting:
    access.require(Perm.PHASE_EDIT)
    _in_relationship(relationship, fields["met_on"], "met_on")
    meeting = PersonalMeeting(county_id=relationship.county_id, relationship=relationship, worker=access.user, **fields)
    meeting.full_clean()
    meeting.save()
    access.changed([Subject(access.family.pk, relationship.child_id)], action=Action.CREATE)
    return meeting


@transaction.atomic
def family_transfer(
    *,
    access: Access,
    to_team,
    responsible_worker,
    handover_days: int,
    criteria: list[str],
    reasoning: str,
    joint_meeting_on: datetime.date,
    family_agreed: bool,
    family_view: str = "",
) -> InterfaceAssessment:
    """Move a family to another team (rajapinta): the receiving team gains access at once, the
    sending team keeps read access for the agreed handover period, and the history stays whole."""
    access.require(Perm.PHASE_EDIT)
    from apps.access.models import Handover
    from apps.clients.models import FamilyMember

    family = access.family
    if to_team.county_id != family.county_id or to_team.pk == family.team_id:
        raise ValidationError({"to_team": _("Valitse toinen saman hyvinvointialueen tiimi.")})
    check_record_date(joint_meeting_on, "joint_meeting_on")
    today = timezone.localdate()
    assessment = InterfaceAssessment(
        county_id=family.county_id,
        family=family,
        from_team_id=family.team_id,
        to_team=to_team,
        criteria=criteria,
        reasoning=reasoning,
        joint_meeting_on=joint_meeting_on,
        family_agreed=family_agreed,
        family_view=family_view,
        handover_until=today + datetime.timedelta(days=handover_days),
        decided_by=access.user,
    )
    assessment.full_clean()
    assessment.save()
    Handover.objects.create(
        county_id=family.county_id,
        family=family,
        from_team_id=family.team_id,
        to_team=to_team,
        transferred_on=today,
        until=assessment.handover_until,
        created_by=access.user,
    )
    for rel in ClientRelationship.objects.filter(family=family, closed_on__isnull=True):
        client_services.relationship_assign_worker(access=access, relationship=rel, responsible_worker=responsible_worker)
    family.team = to_team
    family.parents_worker = responsible_worker
    family.save(update_fields=["team", "parents_worker", "updated_at"])
    person_ids = FamilyMember.objects.filter(family=family).values_list("person_id", flat=True)
    access.changed([Subject(family.pk, pid) for pid in person_ids] or [Subject(family.pk)])
    return assessment
