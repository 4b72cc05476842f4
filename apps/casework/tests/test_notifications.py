"""Registering notifications, deciding on them, telling the notifier; deadlines on every list."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.casework.calendar import add_working_days, is_working_day
from apps.casework.models import Assessment, Notification
from apps.clients.models import ClientRelationship, Phase
from tests import factories as f

TODAY = datetime.date.today()


def _register(client, family, child, **extra):
    data = {
        "child": child.pk,
        "kind": "notification",
        "received_on": extra.pop("received_on", TODAY).isoformat(),
        "notifier_type": "school",
        "notifier_name": "Opettaja Ojala",
        "summary": "Lapsi on kertonut, ettei kotona ole ruokaa.",
        **extra,
    }
    return client.post(f"/families/{family.pk}/notifications/new/", data)


def test_notification_for_new_child_opens_a_relationship_and_shows_the_deadline(client, world):
    client.force_login(world.worker)
    child = f.person(world.county, "Vilja", "Mäkinen", datetime.date(2018, 8, 8))
    world.family.members.create(county=world.county, person=child, relation="child")
    response = _register(client, world.family, child)
    assert response.status_code == 200 and "vastuusosiaalityöntekijä" in response.content.decode()  # must pick a worker
    response = _register(client, world.family, child, responsible_worker=world.worker.pk)
    assert response.status_code == 302
    n = Notification.objects.get(child=child)
    rel = ClientRelationship.objects.get(child=child, closed_on__isnull=True)
    assert n.relationship == rel and rel.current_phase == Phase.NOTIFICATION and rel.responsible_worker == world.worker
    due = add_working_days(TODAY, 7)
    body = client.get(response["Location"]).content.decode()
    assert due.strftime("%-d.%-m.%Y") in body and "26 §" in body
    assert "Vilja" in client.get("/deadlines/").content.decode()


def test_repeat_notifications_are_linked_by_child(client, world):
    client.force_login(world.worker)
    child = world.family.relationships.first().child
    _register(client, world.family, child, received_on=TODAY - datetime.timedelta(days=40), notifier_type="police")
    _register(client, world.family, child)
    latest = Notification.objects.filter(child=child).order_by("-received_on").first()
    body = client.get(f"/families/{world.family.pk}/notifications/{latest.pk}/").content.decode()
    assert "Aiemmat ilmoitukset samasta lapsesta" in body and "poliisi" in body


def test_future_received_date_is_refused_and_input_kept(client, world):
    client.force_login(world.worker)
    child = world.family.relationships.first().child
    response = _register(client, world.family, child, received_on=TODAY + datetime.timedelta(days=2))
    assert response.status_code == 200 and "tulevaisuudessa" in response.content.decode()
    assert "Opettaja Ojala" in response.content.decode()
    assert not Notification.objects.exists()


def test_decision_starts_assessment_and_notifier_reply_is_owed_until_recorded(client, world):
    client.force_login(world.worker)
    child = f.person(world.county, "Vilja", "Mäkinen", datetime.date(2018, 8, 8))
    world.family.members.create(county=world.county, person=child, relation="child")
    received = TODAY - datetime.timedelta(days=10)
    _register(client, world.family, child, received_on=received, responsible_worker=world.worker.pk, notifier_contact="040 555 1234")
    n = Notification.objects.get(child=child)
    url = f"/families/{world.family.pk}/notifications/{n.pk}/"
    early = client.post(
        url + "decision/", {"decision": "start_investigation", "decided_on": (received - datetime.timedelta(days=1)).isoformat()}
    )
    assert "ennen ilmoituksen saapumista" in early.content.decode()
    assert client.post(url + "decision/", {"decision": "start_investigation", "decided_on": TODAY.isoformat()}).status_code == 302
    assessment = Assessment.objects.get(notification=n)
    assert assessment.matter_arrived_on == received
    rel = ClientRelationship.objects.get(child=child, closed_on__isnull=True)
    assert rel.current_phase == Phase.ASSESSMENT
    team_page = client.get(f"/teams/{world.team.pk}/deadlines/").content.decode()
    assert "Ilmoittajalle kertomatta" in team_page and "Vilja" in team_page
    page = client.get(url).content.decode()
    assert "Opettaja Ojala" in page and "040 555 1234" in page  # whom to tell, and how to reach them
    assert client.post(url + "notifier-informed/", {"informed_on": TODAY.isoformat(), "how": "puhelimitse"}).status_code == 302
    n.refresh_from_db()
    assert n.notifier_informed_how == "puhelimitse" and not n.owes_notifier_reply


def test_no_investigation_closes_a_relationship_opened_by_the_notification(client, world):
    client.force_login(world.worker)
    child = f.person(world.county, "Vilja", "Mäkinen", datetime.date(2018, 8, 8))
    world.family.members.create(county=world.county, person=child, relation="child")
    _register(client, world.family, child, responsible_worker=world.worker.pk)
    n = Notification.objects.get(child=child)
    client.post(
        f"/families/{world.family.pk}/notifications/{n.pk}/decision/",
        {"decision": "no_investigation", "decided_on": TODAY.isoformat()},
    )
    rel = ClientRelationship.objects.get(child=child)
    assert rel.closed_on == TODAY and rel.current_phase == Phase.CLOSED


def test_overdue_decision_is_on_the_team_list_and_family_page(client, world):
    child = world.family.relationships.first().child
    f.notification(world.family, child, world.worker, received_on=TODAY - datetime.timedelta(days=30))
    client.force_login(world.consultant)
    team_page = client.get(f"/teams/{world.team.pk}/deadlines/")
    overdue = [d for d in team_page.context["overdue"] if d.kind == "investigation_decision"]
    assert [d.child_name for d in overdue] == [child.full_name]
    family_page = client.get(f"/families/{world.family.pk}/").content.decode()
    assert "myöhässä" in family_page and "Päätös lastensuojelutarpeen selvityksen aloittamisesta" in family_page


def test_assessment_completion_moves_phase(client, world):
    client.force_login(world.worker)
    rel = world.family.relationships.first()
    rel.current_phase = Phase.ASSESSMENT
    rel.save()
    assessment = f.assessment(world.family, rel.child, world.worker)
    url = f"/families/{world.family.pk}/assessments/{assessment.pk}/complete/"
    assert client.post(url, {"completed_on": TODAY.isoformat(), "outcome": "child_protection"}).status_code == 302
    rel.refresh_from_db()
    assert rel.current_phase == Phase.OPEN_CARE
    assert client.post(url, {"completed_on": TODAY.isoformat(), "outcome": "no_need"}).status_code == 200  # already complete


def test_partner_sees_no_casework(client, world):
    f.notification(world.family, world.family.relationships.first().child, world.worker)
    client.force_login(world.partner)
    body = client.get(f"/families/{world.family.pk}/").content.decode()
    assert "Rehtori Rantanen" not in body and "Ilmoitukset" not in body


def test_team_deadlines_queries_constant(client, world):
    client.force_login(world.consultant)
    url = f"/teams/{world.team.pk}/deadlines/"
    child = world.family.relationships.first().child
    f.notification(world.family, child, world.worker, received_on=TODAY - datetime.timedelta(days=30))
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(6):
        fam = f.family(world.team, f"Perhe{i}", children=2, worker=world.worker)
        for rel in fam.relationships.all():
            f.notification(fam, rel.child, world.worker, received_on=TODAY - datetime.timedelta(days=30))
            f.assessment(fam, rel.child, world.worker)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_client_plan_and_placed_child_meetings(client, world):
    client.force_login(world.worker)
    rel = world.family.relationships.first()
    page = client.get(f"/families/{world.family.pk}/").content.decode()
    assert "Asiakassuunnitelma laadittava" in page  # open care without a plan
    base = f"/families/{world.family.pk}/relationships/{rel.pk}"
    bad = client.post(
        f"{base}/plans/new/",
        {"kind": "initial", "made_on": (rel.opened_on - datetime.timedelta(days=1)).isoformat(), "meetings_per_year": 4},
    )
    assert bad.status_code == 200 and "ennen asiakkuuden alkua" in bad.content.decode()
    typo = client.post(f"{base}/plans/new/", {"kind": "initial", "made_on": TODAY.isoformat(), "meetings_per_year": 400})
    assert typo.status_code == 200 and "enintään 52 tapaamista vuodessa" in typo.content.decode()
    assert 'value="400"' in typo.content.decode() and not rel.plans.exists()
    made = TODAY - datetime.timedelta(days=50)
    assert client.post(f"{base}/plans/new/", {"kind": "initial", "made_on": made.isoformat(), "meetings_per_year": 4}).status_code == 302
    client.post(f"{base}/phases/new/", {"phase": "care_order", "started_on": TODAY.isoformat()})
    items = {d.kind: d for d in client.get("/deadlines/").context["deadlines"] if d.child_name == rel.child.full_name}
    assert "client_plan" not in items
    year_later = made + relativedelta(years=1)  # on a weekend or holiday: the working day before it
    assert items["client_plan_review"].due_on == max(
        d for d in (year_later - datetime.timedelta(days=n) for n in range(5)) if is_working_day(d)
    )
    assert items["placed_child_meeting"].due_on == made + datetime.timedelta(days=91)
    assert client.post(f"{base}/meetings/new/", {"met_on": TODAY.isoformat(), "note": "Sijaisperheessä"}).status_code == 302
    items = {d.kind: d for d in client.get("/deadlines/").context["deadlines"] if d.child_name == rel.child.full_name}
    assert items["placed_child_meeting"].due_on == TODAY + datetime.timedelta(days=91)


def test_a_date_before_the_child_welfare_act_is_refused_with_nothing_saved(client, world):
    """A mistyped year (1900) once saved the notification and a relationship for a child born in
    2024, then took down the team's deadline lists and the county report."""
    client.force_login(world.worker)
    child = f.person(world.county, "Iris", "Viitala", datetime.date(2024, 3, 3))
    world.family.members.create(county=world.county, person=child, relation="child")
    response = _register(client, world.family, child, received_on=datetime.date(1900, 1, 1), responsible_worker=world.worker.pk)
    body = response.content.decode()
    assert response.status_code == 200 and "ennen lastensuojelulain voimaantuloa (1.1.2008)" in body
    assert "Opettaja Ojala" in body  # what was typed is kept
    before_birth = _register(client, world.family, child, received_on=datetime.date(2023, 1, 1), responsible_worker=world.worker.pk)
    assert "ennen lapsen syntymää (3.3.2024)" in before_birth.content.decode()
    assert not Notification.objects.filter(child=child).exists()
    assert not ClientRelationship.objects.filter(child=child).exists()


def test_an_old_undecided_matter_from_before_the_known_rules_keeps_every_list_working(client, world):
    """Rows older than a rule's first version (migrated history, a 2014 assessment) are held to the
    earliest known rule instead of failing the pages that list deadlines."""
    rel = world.family.relationships.first()
    old = datetime.date(2007, 6, 1)
    n = Notification.objects.create(
        county=world.county,
        family=world.family,
        child=rel.child,
        relationship=rel,
        registered_by=world.worker,
        kind="notification",
        received_on=old,
        notifier_type="school",
        summary="Vanha ilmoitus.",
    )
    Assessment.objects.create(
        county=world.county,
        family=world.family,
        child=rel.child,
        notification=n,
        matter_arrived_on=datetime.date(2014, 5, 5),
        started_on=datetime.date(2014, 5, 6),
    )
    client.force_login(world.worker)
    for url in (
        "/deadlines/",
        f"/teams/{world.team.pk}/deadlines/",
        f"/families/{world.family.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "myöhässä" in response.content.decode(), url
    detail = client.get(f"/families/{world.family.pk}/notifications/{n.pk}/").content.decode()
    assert add_working_days(old, 7).strftime("%-d.%-m.%Y") in detail
    client.force_login(world.manager)
    assert client.get("/evaluation/county/").status_code == 200
