"""The family page: members, workers, phases and history; turvakielto; constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AccessLogEntry
from tests import factories as f


@pytest.fixture
def worker_client(client, world):
    client.force_login(world.worker)
    return client


def test_family_page_shows_members_workers_and_phase_history(worker_client, world):
    body = worker_client.get(f"/families/{world.family.pk}/").content.decode()
    for m in world.family.members.select_related("person"):
        assert m.person.first_names in body
    assert world.worker.get_full_name() in body  # child's responsible social worker
    assert world.second_worker.get_full_name() in body  # parents' worker
    assert "avohuollon asiakkuus" in body and "lastensuojeluilmoitus" in body
    assert "Koivukuja 3 A 5" in body  # contact details visible without turvakielto


def test_reading_the_family_page_logs_every_member(worker_client, world):
    worker_client.get(f"/families/{world.family.pk}/")
    logged = set(AccessLogEntry.objects.filter(actor=world.worker, view_name="family-detail").values_list("person_id", flat=True))
    assert logged == set(world.family.members.values_list("person_id", flat=True))


def test_turvakielto_hides_contact_details_from_all_but_responsible_workers(client, world):
    # both parents share the address, so both carry the non-disclosure marking
    from apps.clients.models import Person

    Person.objects.filter(memberships__family=world.family, memberships__relation="parent").update(non_disclosure=True)
    parent = world.family.members.filter(relation="parent").first().person
    for user, visible in [(world.worker, False), (world.coordinator, False), (world.consultant, False), (world.second_worker, True)]:
        client.force_login(user)
        body = client.get(f"/families/{world.family.pk}/").content.decode()
        assert ("Koivukuja 3 A 5" in body) is visible, user.username
        api = client.get(f"/api/v1/people/{parent.pk}").json()
        assert api["contact_hidden"] is not visible and (api["street_address"] == "Koivukuja 3 A 5") is visible
    # ...and never in a log line
    assert not AccessLogEntry.objects.filter(view_name__contains="Koivukuja").exists()
    assert "Koivukuja" not in " ".join(str(v) for row in AccessLogEntry.objects.values_list() for v in row)


def test_turvakielto_edit_form_omits_contact_fields_for_others(client, world):
    parent = world.family.members.filter(relation="parent").first().person
    parent.non_disclosure = True
    parent.save()
    client.force_login(world.coordinator)
    body = client.get(f"/families/{world.family.pk}/people/{parent.pk}/edit/").content.decode()
    assert "Koivukuja" not in body and 'name="street_address"' not in body
    # Saving the form without the contact fields keeps them intact
    response = client.post(
        f"/families/{world.family.pk}/people/{parent.pk}/edit/",
        {
            "first_names": "Sanna",
            "last_name": "Mäkinen",
            "language": "fi",
            "relation": "parent",
            "is_guardian": "on",
            "non_disclosure": "on",
        },
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.street_address == "Koivukuja 3 A 5" and parent.non_disclosure


def _family_page_queries(client, family):
    client.get(f"/families/{family.pk}/")  # first read in a county creates its chain head
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/families/{family.pk}/").status_code == 200
    return len(ctx)


def test_family_page_queries_do_not_grow_with_members(worker_client, world):
    small = f.family(world.team, "Pieni", children=1, parents=1, worker=world.worker)
    large = f.family(world.team, "Suuri", children=5, parents=2, worker=world.worker)
    assert _family_page_queries(worker_client, small) == _family_page_queries(worker_client, large)


def test_closed_relationship_stays_in_history(worker_client, world):
    rel = world.family.relationships.first()
    response = worker_client.post(
        f"/families/{world.family.pk}/relationships/{rel.pk}/phases/new/",
        {"phase": "closed", "started_on": datetime.date.today().isoformat(), "note": "Tuen tarve päättyi"},
    )
    assert response.status_code == 302
    body = worker_client.get(f"/families/{world.family.pk}/").content.decode()
    assert "Päättynyt asiakkuus" in body and "Tuen tarve päättyi" in body


def test_family_page_shows_each_childs_latest_plan_and_personal_meeting(worker_client, world):
    from apps.casework.models import ClientPlan, PersonalMeeting

    first, second = world.family.relationships.order_by("child__birth_date")[:2]
    for made_on, per_year, kind in ((datetime.date(2025, 1, 10), 0, "initial"), (datetime.date(2026, 2, 3), 4, "review")):
        ClientPlan.objects.create(
            county=world.county, relationship=first, made_on=made_on, meetings_per_year=per_year, kind=kind, recorded_by=world.worker
        )
    for met_on in (datetime.date(2026, 1, 5), datetime.date(2026, 9, 14)):
        PersonalMeeting.objects.create(county=world.county, relationship=first, met_on=met_on, worker=world.worker)
    body = worker_client.get(f"/families/{world.family.pk}/").content.decode()
    card = body[body.index(f'id="person-{first.child_id}"') : body.index(f'id="person-{second.child_id}"')]
    assert (
        "Asiakassuunnitelma tarkistettu 3.2.2026." in card
        and "Tapaamiset lapsen kanssa 4 kertaa vuodessa." in card
        and "10.1.2025" not in card
    )
    assert "Viimeisin henkilökohtainen tapaaminen 14.9.2026." in card and "5.1.2026" not in card
    other = body[body.index(f'id="person-{second.child_id}"') :]
    assert "Ei asiakassuunnitelmaa." in other.split("</article>")[0]


def test_family_page_lists_notifications_newest_first_and_the_undecided_one_as_a_deadline(worker_client, world):
    child = world.family.relationships.first().child
    today = datetime.date.today()
    decided = f.notification(world.family, child, world.worker, received_on=today - datetime.timedelta(days=60), notifier_type="police")
    decided.decision, decided.decided_on = "start_investigation", today - datetime.timedelta(days=55)
    decided.save()
    undecided = f.notification(world.family, child, world.worker, received_on=today - datetime.timedelta(days=2), notifier_type="school")
    body = worker_client.get(f"/families/{world.family.pk}/").content.decode()
    listed = body[body.index('id="notifications-h"') :].split("</section>")[0]
    newer, older = listed.index(f"/notifications/{undecided.pk}/"), listed.index(f"/notifications/{decided.pk}/")
    assert newer < older
    assert f'href="/families/{world.family.pk}/notifications/{undecided.pk}/"' in listed
    assert "koulu" in listed[newer:older] and "päätös tekemättä" in listed[newer:older]
    assert "poliisi" in listed[older:] and "lastensuojelutarpeen selvitys aloitetaan" in listed[older:]
    deadlines = body[body.index('id="deadlines-h"') :].split("</section>")[0]
    assert f"/notifications/{undecided.pk}/" in deadlines and f"/notifications/{decided.pk}/" not in deadlines
    worker_client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    swedish = worker_client.get(f"/families/{world.family.pk}/").content.decode()
    assert "skola eller läroanstalt" in swedish[swedish.index('id="notifications-h"') :].split("</section>")[0]


def test_family_page_reads_the_notifications_once(worker_client, world):
    from apps.casework.models import Notification

    child = world.family.relationships.first().child
    f.notification(world.family, child, world.worker)
    worker_client.get(f"/families/{world.family.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        worker_client.get(f"/families/{world.family.pk}/")
    reads = [q["sql"] for q in ctx.captured_queries if f'FROM "{Notification._meta.db_table}"' in q["sql"]]
    assert len(reads) == 1
