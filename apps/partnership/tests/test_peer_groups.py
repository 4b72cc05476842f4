"""Peer groups: a team's after-care youth group or experts by experience; people of the right age
from the team's families are invited at the contact details they consented to; meetings record who
came; the group keeps its own plan. The group's page is the team's: logged, 404 outside it."""

import datetime

from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.partnership.models import PeerGroup, PeerGroupMember, PeerMeeting
from tests import factories as f

TODAY = timezone.localdate()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _young_person(world, age, first="Niko"):
    person = f.person(world.county, first, "Mäkinen", birth=TODAY - datetime.timedelta(days=age * 366))
    return world.family.members.create(county=world.county, person=person, relation="child")


def test_an_aftercare_group_invites_young_people_of_its_age_at_their_consented_contact(world):
    worker = _client(world.worker)
    response = worker.post(f"/teams/{world.team.pk}/peer-groups/", {"name": "Nuorten ilta", "kind": "aftercare"})
    group = PeerGroup.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/peer-groups/{group.pk}/")
    youth = _young_person(world, 19)
    url = f"/teams/{world.team.pk}/peer-groups/{group.pk}/"
    page = worker.get(url).content.decode()
    assert f'value="{youth.pk}"' in page  # offered; the 12–14-year-olds and the parents are not
    for m in world.family.members.all():
        assert f'value="{m.pk}"' not in page or m.pk == youth.pk
    missing = worker.post(url, {"action": "invite", "member": youth.pk, "contact": "", "consent_on": TODAY.isoformat()})
    assert missing.status_code == 400 and not PeerGroupMember.objects.exists()
    child = world.family.members.filter(relation="child").exclude(pk=youth.pk).first()
    too_young = worker.post(url, {"action": "invite", "member": child.pk, "contact": "x@example.org", "consent_on": TODAY.isoformat()})
    assert too_young.status_code == 400 and not PeerGroupMember.objects.exists()
    ok = worker.post(url, {"action": "invite", "member": youth.pk, "contact": "niko@example.org", "consent_on": TODAY.isoformat()})
    assert ok.status_code == 302
    member = PeerGroupMember.objects.get()
    assert member.contact == "niko@example.org" and member.invited_by == world.worker


def test_meetings_record_who_came_and_the_group_keeps_its_own_plan(world):
    parent = world.family.members.exclude(relation="child").first()
    group = f.peer_group(world.team, world.worker, members=[parent])
    member = group.members.get()
    url = f"/teams/{world.team.pk}/peer-groups/{group.pk}/"
    worker = _client(world.worker)
    held = TODAY - datetime.timedelta(days=3)
    assert (
        worker.post(
            url, {"action": "meeting", "held_on": held.isoformat(), "topic": "Asiakkaan ääni", "attendees": [member.pk]}
        ).status_code
        == 302
    )
    assert list(PeerMeeting.objects.get().attendees.all()) == [member]
    assert worker.post(url, {"action": "plan", "group_plan": "Kevään teema: ensimmäinen oma koti."}).status_code == 302
    before = AccessLogEntry.objects.count()
    page = worker.get(url).content.decode()
    assert "Kevään teema: ensimmäinen oma koti." in page and "Asiakkaan ääni" in page and "paikalla 1 kerran" in page
    entries = AccessLogEntry.objects.all()[before:]
    assert {(e.view_name, e.person_id) for e in entries} == {("peer-group", parent.person_id)}
    future = worker.post(url, {"action": "meeting", "held_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "attendees": []})
    assert future.status_code == 400 and PeerMeeting.objects.count() == 1


def test_only_the_team_reaches_its_groups_and_the_therapist_only_reads(world):
    parent = world.family.members.exclude(relation="child").first()
    group = f.peer_group(world.team, world.worker, members=[parent])
    url = f"/teams/{world.team.pk}/peer-groups/{group.pk}/"
    for persona in ("stranger", "partner", "manager"):
        assert _client(getattr(world, persona)).get(url).status_code == 404, persona
    therapist = _client(world.therapist)
    assert therapist.get(url).status_code == 200
    assert therapist.post(url, {"action": "plan", "group_plan": "x"}).status_code == 403
    group.refresh_from_db()
    assert group.group_plan == ""
