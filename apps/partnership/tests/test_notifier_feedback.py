"""Feedback to the notifier: what was told and on what basis is recorded, and each telling is a
disclosure to the notifier in the log; more than "being handled" needs the family's consent."""

import datetime

from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.partnership.models import NotifierFeedback
from tests import factories as f

TODAY = timezone.localdate()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(world, user, **data):
    url = f"/families/{world.family.pk}/notifier-feedback/"
    return _client(user).post(url, {"told_on": TODAY.isoformat(), "how": "puhelimitse", **data})


def _notification(world, **kw):
    child = world.family.relationships.first().child
    return f.notification(world.family, child, world.worker, **kw)


def test_telling_the_notifier_the_matter_is_handled_is_recorded_and_disclosed(world):
    n = _notification(world, decision="start_investigation", decided_on=TODAY - datetime.timedelta(days=20))
    before = AccessLogEntry.objects.filter(kind="disclosure").count()
    response = _post(world, world.worker, notification=n.pk, basis="handled", message="Ilmoitus on vastaanotettu ja asia on käsittelyssä.")
    assert response.status_code == 302
    feedback = NotifierFeedback.objects.get()
    assert feedback.basis == "handled" and feedback.consent_givers == []
    disclosure = AccessLogEntry.objects.filter(kind="disclosure").order_by("id")[before:].get()
    assert "Rehtori Rantanen" in disclosure.recipient and "käsittelyssä" in disclosure.legal_basis
    assert disclosure.person_id == n.child_id and disclosure.view_name == "notifier-feedback"
    n.refresh_from_db()  # the notification's own reply record is filled in: its reminder goes
    assert n.notifier_informed_on == TODAY and n.notifier_informed_how == "puhelimitse" and not n.owes_notifier_reply
    page = _client(world.worker).get(f"/families/{world.family.pk}/notifier-feedback/").content.decode()
    assert "Ilmoitus on vastaanotettu ja asia on käsittelyssä." in page


def test_telling_more_needs_an_adult_family_members_consent(world):
    n = _notification(world)
    members = list(world.family.members.select_related("person"))
    child = next(m for m in members if m.relation == "child")
    parent = next(m for m in members if m.relation != "child")
    said = "Selvitys on aloitettu, ja perhe saa tukea kotiin."
    missing = _post(world, world.worker, notification=n.pk, basis="consent", message=said)
    assert missing.status_code == 400 and "kuka perheestä antoi suostumuksen" in missing.content.decode()
    assert said in missing.content.decode()  # what was typed comes back
    only_child = _post(world, world.worker, notification=n.pk, basis="consent", message=said, givers=[child.pk])
    assert only_child.status_code == 400 and "täysi-ikäinen" in only_child.content.decode()
    assert not NotifierFeedback.objects.exists() and not AccessLogEntry.objects.filter(kind="disclosure").exists()
    ok = _post(world, world.worker, notification=n.pk, basis="consent", message=said, givers=[parent.pk])
    assert ok.status_code == 302
    assert NotifierFeedback.objects.get().consent_givers == [parent.pk]
    disclosure = AccessLogEntry.objects.get(kind="disclosure")
    assert "suostumuksella" in disclosure.legal_basis and parent.person.first_names in disclosure.legal_basis
    n.refresh_from_db()
    assert n.notifier_informed_on is None  # not decided yet: the casework reply stays owed after the decision


def test_no_feedback_to_an_anonymous_notifier_and_none_by_a_read_only_role(world):
    anonymous = _notification(world, anonymous=True, notifier_name="")
    response = _post(world, world.worker, notification=anonymous.pk, basis="handled", message="Asia on käsittelyssä.")
    assert response.status_code == 400 and not NotifierFeedback.objects.exists()
    named = _notification(world, notifier_name="Terveydenhoitaja Heino")
    assert _post(world, world.therapist, notification=named.pk, basis="handled", message="x").status_code == 403
    assert _post(world, world.stranger, notification=named.pk, basis="handled", message="x").status_code == 404
    assert not NotifierFeedback.objects.exists()
