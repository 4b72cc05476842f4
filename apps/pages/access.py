"""Access to the pages assembled here: the family and team pages use the family and team rules of
their apps; the auditor opens one client's log through the organisation rule (auditors only, their
own county), and the person's name on that page is itself a read of personal data."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.access import gate
from apps.access.permissions import Perm
from apps.audit.services import Subject
from apps.clients.models import Person

LOG_VIEWS = {
    "family-detail": _("Perheen sivu"),
    "team-detail": _("Tiimin sivu"),
    "audit-search": _("Lokitarkastus: henkilöhaku"),
    "audit-person-log": _("Lokitarkastus: henkilön käyttöloki"),
    "audit-person-log-export": _("Lokitarkastus: käyttölokin luovutus"),
}


def open_person_log(user, person_id, *, need: Perm = Perm.AUDIT_LOG_VIEW, show: bool = True) -> tuple[gate.Access, Person]:
    access = gate.open_organisation(user, need)
    person = Person.objects.filter(county_id=access.county_id, pk=person_id).first()
    if person is None:
        raise Http404
    if show:
        access.shown([Subject(None, person.pk)])
    return access.on(person), person
