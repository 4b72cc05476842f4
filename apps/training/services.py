"""Writes for training: a training with its trainer pair, its blocks and who attended them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.organisations.models import Membership

from .models import SessionAttendance, Training, TrainingSession


def training_create(*, access: Access, team, kind: str, name: str, trainer_social_worker, trainer_family_therapist) -> Training:
    access.require(Perm.TRAINING_EDIT)
    if team.county_id != access.county_id:
        raise ValidationError(_("Tiimi ei ole tällä hyvinvointialueella."))
    training = Training(
        county_id=access.county_id,
        team=team,
        kind=kind,
        name=name,
        trainer_social_worker=trainer_social_worker,
        trainer_family_therapist=trainer_family_therapist,
        created_by=access.user,
    )
    training.full_clean()
    with transaction.atomic():
        training.save()
    return training


def session_add(
    *, access: Access, starts_on: datetime.date, ends_on: datetime.date, partner_participants: int = 0, partner_organisations: str = ""
) -> TrainingSession:
    access.require(Perm.TRAINING_EDIT)
    training = access.resource
    with transaction.atomic():
        number = (training.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        session = TrainingSession(
            training=training,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            partner_participants=partner_participants,
            partner_organisations=partner_organisations,
        )
        session.full_clean()
        session.save()
    return session


def attendance_set(*, access: Access, session: TrainingSession, user_ids) -> None:
    """Who of the training's team attended one block: the team's members on its first day only."""
    access.require(Perm.TRAINING_EDIT)
    members = set(Membership.objects.active(session.starts_on).filter(team_id=access.resource.team_id).values_list("user_id", flat=True))
    unknown = set(user_ids) - members
    if unknown:
        raise ValidationError(_("Läsnäoloon voi merkitä vain tiimin jäseniä."))
    with transaction.atomic():
        SessionAttendance.objects.filter(session=session).exclude(user_id__in=user_ids).delete()
        SessionAttendance.objects.bulk_create(
            [SessionAttendance(session=session, user_id=u) for u in sorted(user_ids)], ignore_conflicts=True
        )
