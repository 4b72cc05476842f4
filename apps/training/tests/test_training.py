"""Training: a trainer pair, blocks and attendance; each member's status feeds fidelity's
"members trained"; the regional plan as page, PDF and CSV; the trainer never sees a family."""

import datetime

import pytest
from django.test import Client

from apps.evaluation.selectors import team_fidelity
from apps.evaluation.targets import Status
from apps.organisations.models import Membership
from apps.training.models import SessionAttendance, Training, TrainingKind, TrainingSession
from apps.training.selectors import IN_TRAINING, NOT_TRAINED, TRAINED, member_status, training_plan
from tests import factories as f

TODAY = datetime.date.today()
D = datetime.timedelta


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def trained(world):
    """A finished three-block team training of world.team: all but the therapist attended every block,
    the instructor two blocks only."""
    other_trainer = f.user(world.county, "kouluttaja2", first="Terhi", last="Terapeutti", org_role="trainer")
    training = Training.objects.create(
        county=world.county,
        team=world.team,
        name="Tiimivalmennus 2026",
        trainer_social_worker=world.trainer,
        trainer_family_therapist=other_trainer,
        created_by=world.trainer,
    )
    Membership.objects.filter(team=world.team).update(started_on=TODAY - D(days=400))
    blocks = [
        TrainingSession.objects.create(
            training=training, number=n + 1, starts_on=TODAY - D(days=90 - 30 * n), ends_on=TODAY - D(days=88 - 30 * n)
        )
        for n in range(3)
    ]
    for user in (world.consultant, world.worker, world.second_worker, world.coordinator):
        for block in blocks:
            SessionAttendance.objects.create(session=block, user=user)
    for block in blocks[:2]:
        SessionAttendance.objects.create(session=block, user=world.instructor)
    return training, blocks


def test_each_members_training_status(trained, world):
    statuses = member_status([world.team.pk])[world.team.pk]
    assert statuses[world.consultant.pk] == TRAINED
    assert statuses[world.instructor.pk] == IN_TRAINING
    assert statuses[world.therapist.pk] == NOT_TRAINED


def test_members_trained_feeds_fidelity(trained, world):
    indicator = team_fidelity(world.team)["members_trained"]
    assert (indicator.numerator, indicator.denominator) == (4, 6)
    assert indicator.status == Status.NOT_MET  # 67 % is under the 75 % of "partly"


def test_a_training_not_yet_finished_trains_nobody(trained, world):
    _training, blocks = trained
    TrainingSession.objects.filter(pk=blocks[-1].pk).update(starts_on=TODAY + D(days=5), ends_on=TODAY + D(days=7))
    assert team_fidelity(world.team)["members_trained"].numerator == 0


def test_the_trainer_creates_a_training_adds_blocks_and_marks_attendance(world):
    client = _client(world.trainer)
    other = f.user(world.county, "kouluttaja3", org_role="trainer")
    response = client.post(
        "/training/new/",
        {
            "team": world.team.pk,
            "kind": "team_training",
            "name": "Valmennus",
            "trainer_social_worker": world.trainer.pk,
            "trainer_family_therapist": other.pk,
        },
    )
    assert response.status_code == 302
    training = Training.objects.get(name="Valmennus")
    url = f"/training/{training.pk}/"
    assert client.post(url, {"action": "session", "starts_on": str(TODAY), "ends_on": str(TODAY + D(days=2))}).status_code == 302
    session = training.sessions.get()
    client.post(url, {"action": "attendance", "session": session.pk, "attended": [world.worker.pk, world.therapist.pk]})
    assert set(session.attendance.values_list("user_id", flat=True)) == {world.worker.pk, world.therapist.pk}
    # someone outside the team cannot be marked present
    client.post(url, {"action": "attendance", "session": session.pk, "attended": [world.stranger.pk]})
    assert not session.attendance.filter(user=world.stranger).exists()


def test_the_trainer_pair_is_two_people(world):
    response = _client(world.trainer).post(
        "/training/new/",
        {
            "team": world.team.pk,
            "kind": "follow_up",
            "name": "Yksin",
            "trainer_social_worker": world.trainer.pk,
            "trainer_family_therapist": world.trainer.pk,
        },
    )
    assert response.status_code == 200 and not Training.objects.exists()


def test_the_regional_plan_shows_needs_and_schedule_as_page_pdf_and_csv(trained, world):
    training, _blocks = trained
    follow_up = Training.objects.create(
        county=world.county,
        team=world.team,
        kind=TrainingKind.FOLLOW_UP,
        name="Jatkotyönohjaus",
        trainer_social_worker=world.trainer,
        trainer_family_therapist=training.trainer_family_therapist,
        created_by=world.trainer,
    )
    TrainingSession.objects.create(training=follow_up, number=1, starts_on=TODAY + D(days=14), ends_on=TODAY + D(days=14))
    rows = {r.team.pk: r for r in training_plan(world.county.pk)}
    row = rows[world.team.pk]
    assert (row.members, row.trained, row.in_training, row.not_trained) == (6, 4, 1, 1)
    assert len(row.upcoming) == 1 and any("tiimivalmennus" in need for need in row.needs)
    for user in (world.trainer, world.manager):
        client = _client(user)
        page = client.get("/training/")
        assert page.status_code == 200 and "Jatkotyönohjaus" in page.content.decode()
        pdf = client.get("/training/", {"format": "pdf"})
        assert pdf.content.startswith(b"%PDF")
        csv = client.get("/training/", {"format": "csv"}).content.decode("utf-8-sig")
        assert csv.splitlines()[0].startswith("team;unit;kind;members;trained")
        assert f"{world.team.name};" in csv


def test_the_trainer_never_sees_a_family_or_a_teams_pages(trained, world):
    client = _client(world.trainer)
    for url in (f"/families/{world.family.pk}/", f"/teams/{world.team.pk}/", f"/teams/{world.team.pk}/fidelity/", "/evaluation/county/"):
        assert client.get(url).status_code == 404, url
    detail = client.get(f"/training/{trained[0].pk}/").content.decode()
    assert "Mäkinen" not in detail and world.consultant.last_name in detail


def test_managers_read_the_plan_but_do_not_edit_trainings(trained, world):
    client = _client(world.manager)
    assert client.get(f"/training/{trained[0].pk}/").status_code == 200
    assert client.get("/training/new/").status_code == 403
    session = trained[1][0]
    response = client.post(f"/training/{trained[0].pk}/", {"action": "attendance", "session": session.pk, "attended": []})
    assert response.status_code == 403 and session.attendance.count() == 5
    for member in (world.worker, world.consultant):
        assert _client(member).get("/training/").status_code == 404


def test_a_member_who_missed_a_block_of_a_finished_training_is_a_need_in_the_plan(trained, world):
    """The instructor attended two of three blocks and the training is over: the plan says the
    team has a member with blocks to catch up, until a new team training is scheduled."""
    row = next(r for r in training_plan(world.county.pk) if r.team == world.team)
    assert row.in_training == 1
    assert "puuttuvat jaksot 1 jäsenelle" in row.needs
    training, _blocks = trained
    TrainingSession.objects.create(training=training, number=4, starts_on=TODAY + D(days=20), ends_on=TODAY + D(days=21))
    row = next(r for r in training_plan(world.county.pk) if r.team == world.team)
    assert not any("puuttuvat jaksot" in need for need in row.needs)
    csv = _client(world.trainer).get("/training/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "puuttuvat jaksot" not in csv  # scheduled: no longer a need
