"""Writes to families, people and client relationships.

Each service validates, writes and logs in one transaction, so a change and its access-log
entry land together or not at all. Callers (views, API, commands) pass the `Access` the gate
returned, which proves the caller may edit.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.core.dates import check_record_date, short

from .access import family_access, responsible_for_contact
from .models import ClientRelationship, Family, FamilyMember, Person, Phase, PhaseEvent, ResponsibilityPeriod


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def family_create(*, access: Access, name: str, municipality: str = "", parents_worker=None) -> Family:
    """`access`: the team's (apps.access.gate.open_team); the new family belongs to that team."""
    access.require(Perm.FAMILY_EDIT)
    team = access.team
    family = _save(Family(county_id=team.county_id, team=team, name=name, municipality=municipality, parents_worker=parents_worker))
    family_access(access.user, family).changed([Subject(family.pk)], action=Action.CREATE)
    return family


@transaction.atomic
def family_update(*, access: Access, **fields) -> Family:
    access.require(Perm.FAMILY_EDIT)
    family = access.family
    for name, value in fields.items():
        setattr(family, name, value)
    _save(family)
    access.changed([Subject(family.pk)])
    return family


@transaction.atomic
def person_add_to_family(*, access: Access, relation: str, is_guardian: bool = False, note: str = "", **fields) -> Person:
    access.require(Perm.FAMILY_EDIT)
    family = access.family
    person = _save(Person(county_id=family.county_id, **fields))
    _save(FamilyMember(county_id=family.county_id, family=family, person=person, relation=relation, is_guardian=is_guardian, note=note))
    access.changed([Subject(family.pk, person.pk)], action=Action.CREATE)
    return person


@transaction.atomic
def person_update(*, access: Access, person: Person, member: FamilyMember | None = None, member_fields=None, **fields) -> Person:
    access.require(Perm.FAMILY_EDIT)
    if person.non_disclosure and not responsible_for_contact(access.user, person, access.family):
        touched = set(fields) & {*Person.CONTACT_FIELDS, "non_disclosure"}
        if touched:
            raise PermissionDenied
    for name, value in fields.items():
        setattr(person, name, value)
    _save(person)
    if member is not None and member_fields:
        for name, value in member_fields.items():
            setattr(member, name, value)
        _save(member)
    access.changed([Subject(access.family.pk, person.pk)])
    return person


@transaction.atomic
def relationship_open(
    *, access: Access, child: Person, responsible_worker, opened_on: datetime.date, phase: str = Phase.NOTIFICATION
) -> ClientRelationship:
    access.require(Perm.PHASE_EDIT)
    family = access.family
    check_record_date(opened_on, "opened_on")
    if child.birth_date and opened_on < child.birth_date:
        raise ValidationError({"opened_on": _("Asiakkuus ei voi alkaa ennen lapsen syntymää.")})
    if ClientRelationship.objects.filter(child=child, closed_on__isnull=True).exists():
        raise ValidationError(_("Lapsella on jo avoin asiakkuus. Yhdellä lapsella on kerrallaan yksi asiakkuus ja yksi vastuutyöntekijä."))
    rel = _save(
        ClientRelationship(
            county_id=family.county_id,
            family=family,
            child=child,
            responsible_worker=responsible_worker,
            opened_on=opened_on,
            current_phase=phase,
        )
    )
    _save(PhaseEvent(county_id=family.county_id, relationship=rel, phase=phase, started_on=opened_on, recorded_by=access.user))
    _start_responsibility(rel, opened_on)
    access.changed([Subject(family.pk, child.pk)], action=Action.CREATE)
    return rel


def _start_responsibility(rel: ClientRelationship, on: datetime.date) -> None:
    if rel.responsible_worker_id:
        ResponsibilityPeriod.objects.create(county_id=rel.county_id, relationship=rel, worker_id=rel.responsible_worker_id, started_on=on)


def _end_responsibility(rel: ClientRelationship, on: datetime.date) -> None:
    """Close the current period; a period that would end before it began is simply removed."""
    current = ResponsibilityPeriod.objects.filter(relationship=rel, ended_on__isnull=True).first()
    if current is None:
        return
    if on < current.started_on:
        current.delete()
    else:
        current.ended_on = on
        current.save(update_fields=["ended_on"])


def validate_phase_date(rel: ClientRelationship, started_on: datetime.date, *, today=None) -> None:
    today = today or timezone.localdate()
    if started_on > today:
        raise ValidationError({"started_on": _("Päivämäärä ei voi olla tulevaisuudessa.")})
    if started_on < rel.opened_on:
        raise ValidationError({"started_on": _("Vaihe ei voi alkaa ennen asiakkuuden alkua (%(date)s).") % {"date": short(rel.opened_on)}})
    last = rel.phases.order_by("-started_on", "-id").first()
    if last and started_on < last.started_on:
        raise ValidationError(
            {"started_on": _("Vaihe ei voi alkaa ennen edellistä vaihetta (%(date)s).") % {"date": short(last.started_on)}}
        )


@transaction.atomic
def phase_record(*, access: Access, relationship: ClientRelationship, phase: str, started_on: datetime.date, note: str = "") -> PhaseEvent:
    access.require(Perm.PHASE_EDIT)
    relationship = ClientRelationship.objects.select_for_update().get(pk=relationship.pk, family=access.family)
    if not relationship.is_open:
        raise ValidationError(_("Asiakkuus on päättynyt. Avaa uusi asiakkuus."))
    validate_phase_date(relationship, started_on)
    event = _save(
        PhaseEvent(
            county_id=relationship.county_id,
            relationship=relationship,
            phase=phase,
            started_on=started_on,
            note=note,
            recorded_by=access.user,
        )
    )
    relationship.current_phase = phase
    if phase == Phase.CLOSED:
        relationship.closed_on = started_on
        _end_responsibility(relationship, started_on)
    _save(relationship)
    access.changed([Subject(access.family.pk, relationship.child_id)])
    return event


@transaction.atomic
def relationship_assign_worker(*, access: Access, relationship: ClientRelationship, responsible_worker) -> ClientRelationship:
    access.require(Perm.PHASE_EDIT)
    if relationship.responsible_worker_id != getattr(responsible_worker, "pk", None):
        today = timezone.localdate()
        _end_responsibility(relationship, today - datetime.timedelta(days=1))
        relationship.responsible_worker = responsible_worker
        _start_responsibility(relationship, today)
    _save(relationship)
    access.changed([Subject(access.family.pk, relationship.child_id)])
    return relationship
