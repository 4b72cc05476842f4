"""The joint assessment (Yhdessä): one-time links for family members' phones, the views side by
side with the widest differences marked, the shared conclusion, and the meeting agenda."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from apps.clients.access import family_access
from apps.clients.models import FamilyMember, Relation
from apps.meetings.models import Meeting, ProposalReason
from apps.meetings.selectors import agenda_proposals
from apps.partnership import selectors, services
from apps.partnership.models import JointAnswer, JointLink
from tests import factories as f

TODAY = timezone.localdate()
ALL_GOOD = {"daily_life": 5, "relationships": 4, "school_work": 4, "health": 5, "safety": 5, "leisure": 4, "housing": 5, "finances": 4}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _member(world, relation):
    return world.family.members.filter(relation=relation).select_related("person").first()


def _young_child(world, age=8):
    child = f.person(world.county, "Lilja", "Mäkinen", birth=TODAY - datetime.timedelta(days=age * 366))
    return FamilyMember.objects.create(county=world.county, family=world.family, person=child, relation=Relation.CHILD)


def _link(world, member):
    assessment, _l, _t = f.joint_assessment(world.family, world.worker)
    link, token = services.joint_link_issue(access=family_access(world.worker, world.family), assessment=assessment, member_id=member.pk)
    return assessment, link, token


def test_a_child_answers_once_on_a_page_without_names(world):
    teen = _member(world, Relation.CHILD)  # 14 years old: the young people's wording, no faces
    assessment, link, token = _link(world, teen)
    assert link.audience == JointLink.Audience.CHILD and link.token_hash != token and token not in link.token_hash
    client = Client()
    page = client.get(f"/y/{token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Miten sinulla menee?" in body
    assert "Mäkinen" not in body and teen.person.first_names not in body and teen.person.personal_identity_code not in body
    assert "Tuntuuko kotona ja muualla turvalliselta?" in body  # the child's wording
    assert 'class="face"' not in body and "scale-number" in body
    assert page["Referrer-Policy"] == "same-origin" and "noindex" in page["X-Robots-Tag"]
    response = client.post(f"/y/{token}/", {"safety": "2", "words_safety": "Illalla pelottaa joskus.", "school_work": "4"})
    assert response.status_code == 200 and "Kiitos" in response.content.decode()
    answer = JointAnswer.objects.get(assessment=assessment, member=teen)
    assert (answer.role, answer.mode, answer.marks, answer.words) == (
        "child",
        "phone",
        {"safety": 2, "school_work": 4},
        {"safety": "Illalla pelottaa joskus."},
    )
    again = client.get(f"/y/{token}/")
    assert again.status_code == 410 and "jo vastattu" in again.content.decode()
    assert client.post(f"/y/{token}/", {"safety": "5"}).status_code == 410
    assert JointAnswer.objects.get(assessment=assessment, member=teen).marks["safety"] == 2


def test_the_youngest_get_faces_and_pictures(world):
    _assessment, link, token = _link(world, _young_child(world, age=7))
    assert link.audience == JointLink.Audience.YOUNG_CHILD
    body = Client().get(f"/y/{token}/").content.decode()
    assert body.count('class="face"') == 8 * 5 and body.count('class="area-icon"') == 8
    adult = _member(world, Relation.PARENT)
    _assessment, link, token = _link(world, adult)
    body = Client().get(f"/y/{token}/").content.decode()
    assert link.audience == JointLink.Audience.ADULT and "Onko kotona ja lasten elämässä turvallista?" in body


def test_bad_answers_are_explained_and_kept(world):
    _assessment, _link_obj, token = _link(world, _member(world, Relation.CHILD))
    client = Client()
    empty = client.post(f"/y/{token}/", {"words_health": "Väsyttää"})
    assert empty.status_code == 400 and "ainakin yhdestä kohdasta" in empty.content.decode() and "Väsyttää" in empty.content.decode()
    odd = client.post(f"/y/{token}/", {"health": "9", "safety": "3", "words_safety": "x" * 1001})
    body = odd.content.decode()
    assert odd.status_code == 400 and "1–5" in body and "1001 merkkiä" in body and "x" * 1001 in body
    assert 'value="3" checked' in body  # the valid mark stays chosen


def test_an_expired_or_unknown_link_says_so(world):
    _assessment, _link_obj, token = _link(world, _member(world, Relation.CHILD))
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25), tick=False):
        assert "vanhentunut" in Client().get(f"/y/{token}/").content.decode()
    assert Client().get("/y/ei-tallaista-linkkia/").status_code == 410


def test_the_link_page_is_rate_limited_per_address(world, settings):
    settings.SYSTEEMI_RATING_RATE = "3/m"
    client = Client()
    statuses = [client.get(f"/y/arvaus-{n}/").status_code for n in range(5)]
    assert statuses[:3] == [410, 410, 410] and statuses[3:] == [429, 429]


def test_views_side_by_side_with_the_widest_difference_marked(world):
    child, parent = _member(world, Relation.CHILD), _member(world, Relation.PARENT)
    assessment, _l, _t = f.joint_assessment(
        world.family,
        world.worker,
        answers=[
            (child, {**ALL_GOOD, "safety": 1, "school_work": 3}),
            (parent, {**ALL_GOOD, "safety": 5, "school_work": 5}),
            (world.worker, {**ALL_GOOD, "safety": 3, "school_work": 4}),
        ],
    )
    _qset, columns, rows = selectors.joint_table(assessment)
    assert [c.answer.role for c in columns] == ["child", "parent", "professional"]
    by_key = {r.area.key: r for r in rows}
    assert by_key["safety"].spread == 4 and by_key["safety"].most
    assert by_key["school_work"].differs and not by_key["school_work"].most
    assert not by_key["health"].differs
    body = _client(world.worker).get(f"/families/{world.family.pk}/joint-assessments/{assessment.pk}/").content.decode()
    assert "eniten eroa" in body and "näkemykset eroavat" in body and "zone-red" in body and "zone-green" in body


def test_the_worker_records_views_and_a_partner_only_with_consent(world):
    assessment, _l, _t = f.joint_assessment(world.family, world.worker)
    access = family_access(world.worker, world.family)
    services.joint_answer_record(access=access, assessment=assessment, marks={"health": 3}, words={}, user=world.partner)
    assert JointAnswer.objects.get(user=world.partner).role == "professional"
    with pytest.raises(ValidationError) as exc:
        services.joint_answer_record(access=access, assessment=assessment, marks={"health": 3}, words={}, user=world.partner_expired)
    assert "suostumus" in str(exc.value)
    services.joint_answer_record(access=access, assessment=assessment, marks={"health": 4}, words={"health": "Parempi"}, user=world.partner)
    assert JointAnswer.objects.get(user=world.partner).marks == {"health": 4}  # replaced, not added
    response = _client(world.worker).post(
        f"/families/{world.family.pk}/joint-assessments/{assessment.pk}/",
        {"action": "answer", "participant": f"member:{_member(world, Relation.PARENT).pk}", "mark_health": "2", "words_health": "Väsynyt"},
    )
    assert response.status_code == 302
    assert JointAnswer.objects.get(member=_member(world, Relation.PARENT)).mode == "worker"


def test_the_conclusion_closes_the_assessment(world):
    assessment, _l, token = f.joint_assessment(world.family, world.worker, answers=[(world.worker, ALL_GOOD)])
    client = _client(world.worker)
    url = f"/families/{world.family.pk}/joint-assessments/{assessment.pk}/"
    empty = client.post(url, {"action": "conclude", "conclusion": ""})
    assert empty.status_code == 400
    assert client.post(url, {"action": "conclude", "conclusion": "Arki sujuu, turvallisuudesta puhutaan lisää."}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.concluded_by == world.worker and assessment.concluded_at
    assert Client().get(f"/y/{token}/").status_code == 410
    with pytest.raises(ValidationError):
        services.joint_answer_record(
            access=family_access(world.worker, world.family), assessment=assessment, marks={"health": 1}, words={}, user=world.worker
        )


def test_a_worker_makes_a_link_and_sees_its_qr_code_once(world):
    assessment, _l, _t = f.joint_assessment(world.family, world.worker)
    client = _client(world.worker)
    url = f"/families/{world.family.pk}/joint-assessments/{assessment.pk}/"
    response = client.post(url, {"action": "link", "member": _member(world, Relation.CHILD).pk})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "/y/" in page and "data:image/svg+xml" in page
    other = _client(world.consultant).get(response.url).content.decode()
    assert "/y/" not in other  # shown only to its creator, once


def test_widely_differing_views_propose_the_family_for_the_team_meeting(world):
    meeting = Meeting.objects.create(
        county=world.county, team=world.team, starts_at=timezone.now() + datetime.timedelta(days=2), created_by=world.coordinator
    )
    reasons = {p.family.pk: p.reasons for p in agenda_proposals(meeting, viewer=world.coordinator)}
    assert ProposalReason.JOINT_ASSESSMENT not in reasons.get(world.family.pk, [])
    child, parent = _member(world, Relation.CHILD), _member(world, Relation.PARENT)
    assessment, _l, _t = f.joint_assessment(world.family, world.worker, answers=[(child, {"safety": 1}), (parent, {"safety": 4})])
    reasons = {p.family.pk: p.reasons for p in agenda_proposals(meeting, viewer=world.coordinator)}
    assert ProposalReason.JOINT_ASSESSMENT in reasons[world.family.pk]
    services.joint_conclude(access=family_access(world.worker, world.family), assessment=assessment, conclusion="Puhuttu yhdessä.")
    reasons = {p.family.pk: p.reasons for p in agenda_proposals(meeting, viewer=world.coordinator)}
    assert ProposalReason.JOINT_ASSESSMENT not in reasons.get(world.family.pk, [])
