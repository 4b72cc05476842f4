"""Writes for ratings: loading instruments, issuing one-time links, storing a family member's rating."""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.clients.models import FamilyMember, Person

from . import scoring
from .definitions import shipped_definitions
from .models import Instrument, Mode, Rating, RatingLink


class LinkUnusable(Exception):
    """The link cannot take a rating any more; the message says why, for the family member."""


def load_shipped_instruments() -> int:
    """Create or refresh the shipped definitions; an organisation's own versions are left alone."""
    for spec in shipped_definitions():
        Instrument.objects.update_or_create(
            code=spec.code, version=spec.version, defaults={"kind": spec.kind, "definition": spec.model_dump(mode="json")}
        )
    return len(shipped_definitions())


def age_on(person: Person, day: date) -> int | None:
    return age_from(person.birth_date, day)


def age_from(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def instrument_for(person: Person, kind: str, day: date) -> Instrument:
    """The active instrument of `kind` whose age band fits the rater; adults' version when age is unknown."""
    age = age_on(person, day)
    candidates = [i for i in Instrument.objects.filter(kind=kind, active=True).order_by("code", "-version")]
    for instrument in candidates:
        if age is not None and instrument.spec.covers_age(age):
            return instrument
    return next(i for i in candidates if i.spec.audience == "adult")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _rater_in_family(access, person_id) -> Person:
    member = FamilyMember.objects.filter(family=access.family, person_id=person_id).select_related("person").first()
    if member is None:
        raise scoring.RatingValueError(_("Arvioija ei ole tämän perheen jäsen."))
    return member.person


def issue_link(access, *, rater_id: int, kind: str, agenda_item=None) -> tuple[RatingLink, str]:
    """A one-time link for one family member; returns the link and its token (shown once, stored hashed)."""
    access.require(Perm.FAMILY_EDIT)
    rater = _rater_in_family(access, rater_id)
    token = secrets.token_urlsafe(18)
    now = timezone.now()
    with transaction.atomic():
        link = RatingLink.objects.create(
            county_id=access.family.county_id,
            family=access.family,
            rater=rater,
            instrument=instrument_for(rater, kind, timezone.localdate()),
            agenda_item=agenda_item,
            token_hash=token_hash(token),
            created_by=access.user,
            created_at=now,
            expires_at=now + timedelta(hours=settings.SYSTEEMI_RATING_LINK_HOURS),
        )
        access.changed([Subject(access.family.pk, rater.pk)], action=Action.CREATE)
    return link, token


def _used_message() -> str:
    return _("Tällä linkillä on jo lähetetty arvio. Kiitos! Jos haluat arvioida uudelleen, pyydä uusi linkki.")


def open_link(token: str) -> RatingLink:
    """The link behind a token, or LinkUnusable; reveals nothing about whose link it is."""
    link = RatingLink.objects.select_related("instrument").filter(token_hash=token_hash(token)).first()
    if link is None:
        raise LinkUnusable(_("Linkkiä ei löydy. Tarkista osoite tai pyydä työntekijältä uusi linkki."))
    if link.used_at is not None:
        raise LinkUnusable(_used_message())
    if link.expired:
        raise LinkUnusable(_("Linkki on vanhentunut. Pyydä työntekijältä uusi linkki."))
    return link


def submit_by_link(token: str, values: dict) -> Rating:
    """Store the rating sent through a link, once: a second submit finds the link used."""
    with transaction.atomic():
        link = open_link(token)
        link = RatingLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise LinkUnusable(_used_message())
        spec = link.instrument.spec
        item_marks = scoring.marks(values, spec)
        rating = Rating.objects.create(
            county_id=link.county_id,
            family_id=link.family_id,
            rater_id=link.rater_id,
            instrument=link.instrument,
            rated_on=timezone.localdate(),
            agenda_item_id=link.agenda_item_id,
            values={k: str(v) for k, v in item_marks.items()},
            total=scoring.total(item_marks) if spec.scored else None,
            mode=Mode.PHONE,
            link=link,
        )
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return rating


def enter_paper(access, *, rater_id: int, instrument: Instrument, rated_on: date, centimetres: dict) -> Rating:
    """A paper form typed in by a worker: marks measured in cm from the line's left end."""
    access.require(Perm.FAMILY_EDIT)
    rater = _rater_in_family(access, rater_id)
    spec = instrument.spec
    if rated_on > timezone.localdate():
        raise scoring.RatingValueError(_("Päivä ei voi olla tulevaisuudessa."))
    values = {item.key: centimetres.get(item.key) for item in spec.items}
    if any(v in (None, "") for v in values.values()):
        raise scoring.RatingValueError(_("Merkitse jokainen jana."))
    item_marks = {k: scoring.from_centimetres(v, spec) for k, v in values.items()}
    with transaction.atomic():
        rating = Rating.objects.create(
            county_id=access.family.county_id,
            family=access.family,
            rater=rater,
            instrument=instrument,
            rated_on=rated_on,
            values={k: str(v) for k, v in item_marks.items()},
            total=scoring.total(item_marks) if spec.scored else None,
            mode=Mode.PAPER,
            entered_by=access.user,
        )
        access.changed([Subject(access.family.pk, rater.pk)], action=Action.CREATE)
    return rating
