"""Peer-group invitations: the consented contact read as an e-mail address or a Finnish phone number,
the invitation's text in the language the worker chose, and the e-mail sent.

The text names the group, says what the group is, gives the next meeting if the group has agreed
it and whom to contact in the team. It never names another member and says nothing about the
addressee's case: it may reach a shared mailbox or a phone someone else reads. Systeemi has no
SMS gateway: a phone invitation is the same text, for the worker to read out or send themself.
"""

import datetime
import logging
import re
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.dates import short

from .models import InvitationChannel, PeerGroup

logger = logging.getLogger(__name__)

# A Finnish number as people write it: 040 123 4567, 040-1234567, (09) 123 456, +358 40 123 4567,
# 00358 40 1234567. After the leading 0 (or +358) an area or operator code that is not 0, and 5 to
# 11 digits in all.
_SEPARATORS = re.compile(r"[\s\-().]")
_FINNISH_PHONE = re.compile(r"^(?:\+358|00358|0)[1-9]\d{4,10}$")


def contact_channel(contact: str) -> str:
    """How an invitation reaches `contact`: by e-mail or by phone. A ValidationError (on the
    field "contact") for anything that is neither an e-mail address nor a Finnish phone number."""
    contact = (contact or "").strip()
    if not contact:
        raise ValidationError({"contact": _("Kirjaa yhteystieto, johon henkilö suostui ottamaan kutsun vastaan.")})
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError(
                {"contact": _("Sähköpostiosoite ei ole kelvollinen. Tarkista se (esimerkiksi nimi@esimerkki.fi).")}
            ) from None
        return InvitationChannel.EMAIL
    if _FINNISH_PHONE.match(_SEPARATORS.sub("", contact)):
        return InvitationChannel.PHONE
    raise ValidationError(
        {"contact": _("Kirjaa sähköpostiosoite (nimi@esimerkki.fi) tai suomalainen puhelinnumero (040 123 4567 tai +358 40 123 4567).")}
    )


def tidy_contact(contact: str) -> str:
    """The contact as stored: spaces collapsed, nothing else changed (the worker reads it back)."""
    return " ".join((contact or "").split())


@dataclass(frozen=True)
class Invitation:
    subject: str
    body: str

    @property
    def text(self) -> str:
        """Subject and body, as recorded on the member and shown to the worker."""
        return f"{self.subject}\n\n{self.body}"


def _kind_text(kind: str) -> str:
    if kind == PeerGroup.Kind.EXPERTS:
        return _(
            "Kokemusasiantuntijat kertovat omista kokemuksistaan lastensuojelusta, jotta tiimi voi kehittää "
            "työtään. Sinun kokemuksesi on tärkeä, ja sinä päätät itse, mitä kerrot."
        )
    return _("Ryhmässä jälkihuollon nuoret tapaavat toisiaan noin kerran kuukaudessa. Ryhmä päättää itse, mistä puhutaan ja mitä tehdään.")


def compose(*, group: PeerGroup, channel: str, language: str, sender, today: datetime.date) -> Invitation:
    """The invitation in `language`: the group, what it is, its next meeting if agreed and in the
    future, and the team's contact (the inviting worker). Nothing about any member."""
    with translation.override(language):
        name = " ".join(group.name.split())
        lines = [_("Hei!"), "", _("Sinut kutsutaan mukaan ryhmään %(group)s.") % {"group": name}, "", _kind_text(group.kind)]
        if group.next_meeting_on and group.next_meeting_on >= today:
            lines += ["", _("Seuraava tapaaminen on %(date)s.") % {"date": short(group.next_meeting_on)}]
        lines += ["", _("Osallistuminen on vapaaehtoista. Kysy lisää tai kerro, tuletko mukaan:")]
        lines.append(f"{sender}, {group.team.name}")
        if sender.email:
            lines.append(sender.email)
        lines += [
            "",
            _("Saat tämän kutsun, koska annoit luvan ottaa yhteyttä tähän osoitteeseen.")
            if channel == InvitationChannel.EMAIL
            else _("Saat tämän kutsun, koska annoit luvan ottaa yhteyttä tähän numeroon."),
            _("Jos et halua enää kutsuja, kerro siitä yhteyshenkilölle."),
        ]
        subject = _("Kutsu: %(group)s") % {"group": name}
    return Invitation(subject=subject, body="\n".join(lines))


def send_email(*, to: str, invitation: Invitation, language: str, reply_to: str = "") -> None:
    """Send the invitation to `to` alone. A mail server that refuses or does not answer is a
    ValidationError (on "contact"), so nothing is recorded as sent."""
    message = EmailMessage(
        subject=invitation.subject,
        body=invitation.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Content-Language": language},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError):
        logger.exception("peer-group invitation could not be sent")
        raise ValidationError(
            {"contact": _("Kutsua ei voitu lähettää: sähköpostipalvelin ei vastaanottanut sitä. Yritä hetken kuluttua uudelleen.")}
        ) from None
