"""Ratings as a worker and a family member would use them: links, the phone page, paper forms,
charts and flags, the team view and exports."""

import csv
import datetime
import io
import json
import re

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from fhirclient.models.bundle import Bundle

from apps.audit.models import AccessLogEntry, EntryKind
from apps.ratings.models import Rating, RatingLink
from apps.ratings.selectors import family_flags
from tests import factories as f


def _child(world):
    return world.family.relationships.order_by("child__birth_date").first().child  # born 2012: ORS


def _parent(world):
    return world.family.members.filter(relation="parent").first().person


def _token_from(response):
    return re.search(r"/r/([\w-]+)/", response.content.decode()).group(1)


def test_worker_creates_a_link_and_sees_its_qr_code(client, world):
    client.force_login(world.worker)
    parent = _parent(world)
    response = client.post(f"/families/{world.family.pk}/ratings/links/", {"rater": parent.pk, "kind": "session"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'src="data:image/svg+xml' in body and "/r/" in body
    link = RatingLink.objects.get(family=world.family)
    assert link.instrument.code == "SRS" and link.rater == parent
    assert _token_from(response) not in link.token_hash  # stored hashed only
    entry = AccessLogEntry.objects.filter(actor=world.worker, view_name="rating-link-create", action="create").get()
    assert entry.person_id == parent.pk and entry.action == "create"


def test_a_colleague_opening_the_link_page_later_does_not_see_the_token(client, world):
    link, _token = f.rating_link(world.family, _parent(world), world.worker)
    client.force_login(world.second_worker)
    body = client.get(f"/families/{world.family.pk}/ratings/links/{link.pk}/").content.decode()
    assert "/r/" not in body and "vain sen luojalle" in body


def test_family_member_rates_on_the_phone_page_without_seeing_any_name(client, world):
    link, token = f.rating_link(world.family, _parent(world), world.worker)
    page = client.get(f"/r/{token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Tilannearvio (ORS)" in body and 'type="range"' in body
    for name in ["Mäkinen", "Sanna", "Aino", "Sari", "Systeemitiimi"]:
        assert name not in body
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    response = client.post(f"/r/{token}/", {"individually": "3.2", "interpersonally": "4", "socially": "6,5", "overall": "5.05"})
    assert response.status_code == 200 and "Kiitos" in response.content.decode()
    rating = Rating.objects.get()
    assert rating.mode == "phone" and rating.rater == link.rater and rating.family == world.family
    assert rating.values == {"individually": "3.2", "interpersonally": "4.0", "socially": "6.5", "overall": "5.1"}
    assert str(rating.total) == "18.8"


def test_a_link_works_once_and_a_double_submit_keeps_the_first_rating(client, world):
    _link, token = f.rating_link(world.family, _parent(world), world.worker)
    values = {"individually": "3", "interpersonally": "4", "socially": "5", "overall": "6"}
    assert client.post(f"/r/{token}/", values).status_code == 200
    again = client.post(f"/r/{token}/", {**values, "overall": "9"})
    assert again.status_code == 410 and "jo lähetetty" in again.content.decode()
    assert Rating.objects.count() == 1 and Rating.objects.get().values["overall"] == "6.0"
    assert client.get(f"/r/{token}/").status_code == 410


def test_an_expired_link_says_so_and_takes_nothing(client, world):
    _link, token = f.rating_link(world.family, _parent(world), world.worker)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        response = client.post(f"/r/{token}/", {"individually": "3", "interpersonally": "4", "socially": "5", "overall": "6"})
    assert response.status_code == 410 and "vanhentunut" in response.content.decode()
    assert not Rating.objects.exists()


def test_an_unknown_link_reveals_nothing(client, world):
    response = client.get("/r/keksitty-linkki-123/")
    assert response.status_code == 410 and "Linkkiä ei löydy" in response.content.decode()


def test_out_of_range_values_get_a_message_and_keep_what_was_marked(client, world):
    _link, token = f.rating_link(world.family, _parent(world), world.worker)
    response = client.post(f"/r/{token}/", {"individually": "3.3", "interpersonally": "11", "socially": "5", "overall": "6"})
    body = response.content.decode()
    assert response.status_code == 400 and "0–10" in body and 'value="3.3"' in body
    assert not Rating.objects.exists()
    ok = client.post(f"/r/{token}/", {"individually": "3.3", "interpersonally": "9", "socially": "5", "overall": "6"})
    assert ok.status_code == 200 and Rating.objects.count() == 1  # the link still works after a mistake


@override_settings(SYSTEEMI_RATING_RATE="3/m")
def test_guessing_links_is_rate_limited(client, world):
    codes = [client.get(f"/r/arvaus-{i}/").status_code for i in range(5)]
    assert codes[:3] == [410, 410, 410] and codes[3:] == [429, 429]


@override_settings(SYSTEEMI_RATING_RATE="3/m")
def test_the_rate_limit_counts_in_the_database_that_every_worker_shares(client, world):
    """Behind several WSGI workers each must see the same count: with a per-process counter each of
    N workers let an address guess at the full rate."""
    from django.core.cache import caches
    from django.db import connection

    assert [client.get(f"/r/arvaus-{i}/").status_code for i in range(3)] == [410, 410, 410]
    del caches["default"]  # a fresh cache object, as a worker started now would have
    assert client.get("/r/arvaus-3/").status_code == 429  # the count came from the database
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM systeemi_cache")
    assert client.get("/r/arvaus-4/").status_code == 410  # and only from there


def test_a_child_gets_the_smiley_version_and_a_small_child_the_faces(client, world):
    school_child = f.person(world.county, "Lilja", "Mäkinen", birth=timezone.localdate() - datetime.timedelta(days=9 * 365))
    small_child = f.person(world.county, "Onni", "Mäkinen", birth=timezone.localdate() - datetime.timedelta(days=4 * 365))
    for p in (school_child, small_child):
        world.family.members.create(county=world.county, person=p, relation="child")
    _l, token = f.rating_link(world.family, school_child, world.worker)
    body = client.get(f"/r/{token}/").content.decode()
    assert "(CORS)" in body and 'class="face"' in body and 'type="range"' in body
    _l, token = f.rating_link(world.family, small_child, world.worker, kind="session")
    body = client.get(f"/r/{token}/").content.decode()
    assert "(YCSRS)" in body and 'type="radio"' in body and 'type="range"' not in body
    assert client.post(f"/r/{token}/", {"how_was_today": "7.5"}).status_code == 200
    assert Rating.objects.get(rater=small_child).total is None  # the young child's form is not scored


def test_paper_form_in_centimetres_is_marked_as_entered_by_the_worker(client, world):
    client.force_login(world.worker)
    parent = _parent(world)
    url = f"/families/{world.family.pk}/ratings/paper/?instrument=ORS"
    form = client.get(url).content.decode()
    assert "senttimetreinä" in form
    assert f'type="date" name="rated_on" value="{timezone.localdate().isoformat()}"' in form  # today, as a date picker shows it
    data = {
        "rater": parent.pk,
        "rated_on": "2026-11-02",
        "cm_individually": "4,2",
        "cm_interpersonally": "5",
        "cm_socially": "6",
        "cm_overall": "12",
    }
    bad = client.post(url, {**data, "rated_on": "2.11.2026"})
    assert bad.status_code == 200 and "10" in bad.content.decode() and 'value="4,2"' in bad.content.decode()
    assert 'value="2026-11-02"' in bad.content.decode()  # the typed Finnish date is kept, in the picker's form
    assert not Rating.objects.exists()
    response = client.post(url, {**data, "cm_overall": "7"})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.mode == "paper" and rating.entered_by == world.worker and str(rating.total) == "22.2"
    assert AccessLogEntry.objects.filter(view_name="rating-paper", action="create", person_id=parent.pk).exists()


def test_paper_form_refuses_a_future_date(client, world):
    client.force_login(world.worker)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = {
        "rater": _parent(world).pk,
        "rated_on": future,
        "cm_individually": "4",
        "cm_interpersonally": "5",
        "cm_socially": "6",
        "cm_overall": "7",
    }
    response = client.post(f"/families/{world.family.pk}/ratings/paper/?instrument=ORS", data)
    assert "tulevaisuudessa" in response.content.decode() and not Rating.objects.exists()


def _series(world, rater, totals, code="ORS"):
    start = timezone.localdate() - datetime.timedelta(days=7 * len(totals))
    for i, t in enumerate(totals):
        f.rating(world.family, rater, t, code=code, rated_on=start + datetime.timedelta(days=7 * i))


def test_chart_draws_totals_against_the_cutoff_with_a_data_table(client, world):
    parent = _parent(world)
    _series(world, parent, [18, 21, 26])
    client.force_login(world.worker)
    body = client.get(f"/families/{world.family.pk}/ratings/").content.decode()
    assert body.count('class="point"') == 3 and 'class="cutoff"' in body and 'class="band"' in body
    assert "kliininen raja 25" in body
    table = body[body.index('<table class="data">') :]
    first_day = timezone.localdate() - datetime.timedelta(days=21)
    # One row per rating: number, day, the four lines in the instrument's order, total, how given.
    row = f"<tr><td>1</td><td>{first_day:%-d.%-m.%Y}</td><td>4,5</td><td>4,5</td><td>4,5</td><td>4,5</td><td>18,0</td><td>paperilomake, työntekijä syötti</td></tr>"
    assert row in table and ">26,0<" in table  # Finnish decimal comma


def test_chart_table_follows_the_readers_language(client, world):
    from django.test import override_settings

    _series(world, _parent(world), [18, 21])
    client.force_login(world.worker)
    with override_settings(LANGUAGE_CODE="en"):
        client.cookies["django_language"] = "en"
        body = client.get(f"/families/{world.family.pk}/ratings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = body[body.index('<table class="data">') :]
    assert "<td>4.5</td>" in table and "<td>18.0</td>" in table


def test_ratings_page_makes_the_same_number_of_queries_for_one_or_many_raters(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.worker)
    _series(world, _parent(world), [18, 21])
    client.get(f"/families/{world.family.pk}/ratings/")  # the session's first request writes it
    with CaptureQueriesContext(connection) as few:
        client.get(f"/families/{world.family.pk}/ratings/")
    for member in world.family.members.all():
        _series(world, member.person, [20, 22, 24, 26])
        _series(world, member.person, [35, 38], code="SRS")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/families/{world.family.pk}/ratings/")
    assert len(many) == len(few)


def test_flags_find_deterioration_no_change_and_low_session_ratings(world):
    parent, child = _parent(world), _child(world)
    _series(world, parent, [30, 24])  # reliable deterioration
    _series(world, child, [20, 21, 22])  # no reliable change after three
    other_parent = world.family.members.filter(relation="parent").last().person
    f.rating(world.family, other_parent, None, code="SRS", values={"relationship": 9, "goals": 9, "approach": 8, "overall": 9.5})
    texts = [flag.text for flag in family_flags([world.family.pk])[world.family.pk]]
    assert any("ORS: luotettava heikkeneminen" in t and parent.first_names in t for t in texts)
    assert any("ei luotettavaa paranemista 3 arvion jälkeen" in t and child.first_names in t for t in texts)
    assert not any("paranemista" in t and parent.first_names in t for t in texts)  # worse says more than "not better"
    assert any("Jokin kohta alle 9" in t for t in texts)
    assert family_flags([world.other_family.pk]) == {}


def test_the_family_page_shows_flags_with_the_raters_names_from_the_members_it_already_read(client, world):
    parent = _parent(world)
    _series(world, parent, [30, 24])  # reliable deterioration
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.worker)
    client.get(f"/families/{world.family.pk}/")  # the county's chain head exists from here on
    with CaptureQueriesContext(connection) as reading:
        body = client.get(f"/families/{world.family.pk}/").content.decode()
    assert f"{parent.first_names} {parent.last_name}: ORS: luotettava heikkeneminen" in body
    assert not [q for q in reading if 'FROM "clients_person"' in q["sql"]]  # the gate's members were enough


def test_a_family_whose_ratings_are_fine_has_no_flag_and_is_not_proposed(world):
    from apps.meetings.models import Meeting, ProposalReason
    from apps.meetings.selectors import agenda_proposals

    _series(world, _parent(world), [18, 24, 29])  # reliable improvement
    f.rating(world.family, _parent(world), None, code="SRS", values={"relationship": 9.5, "goals": 9.8, "approach": 9.2, "overall": 9.6})
    assert family_flags([world.family.pk]) == {}
    meeting = Meeting.objects.create(
        county=world.county, team=world.team, starts_at=timezone.now() + datetime.timedelta(days=2), created_by=world.coordinator
    )
    assert not any(ProposalReason.RATINGS in p.reasons for p in agenda_proposals(meeting, viewer=world.coordinator))


def _cells(body, label):
    row = re.search(rf"{label}</th>(.*?)</tr>", body, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_team_view_suppresses_groups_under_five_and_shows_them_at_five(client, world):
    client.force_login(world.consultant)
    url = f"/teams/{world.team.pk}/ratings/"
    body = client.get(url).content.decode()
    assert _cells(body, "Sari Sosiaalinen") == ["*piilotettu"] * 6 and "Mäkinen" not in body
    start = timezone.localdate() - datetime.timedelta(days=30)
    f.rating(world.family, _parent(world), 15, rated_on=start)
    f.rating(world.family, _parent(world), 27, rated_on=start + datetime.timedelta(days=14))
    for i in range(10):
        fam = f.family(world.team, f"Perhe{i}", children=1, parents=1, worker=world.worker)
        rater = fam.members.filter(relation="parent").first().person
        f.rating(fam, rater, 15, rated_on=start)
        f.rating(fam, rater, 27 if i < 5 else 8, rated_on=start + datetime.timedelta(days=14))
    body = client.get(url).content.decode()
    # 11 families, all rating: 6 reliably better (all clinically significant), 5 worse, none unchanged.
    assert _cells(body, "Sari Sosiaalinen") == ["11", "11 (100 %)", "11", "6 (55 %)", "5 (45 %)", "6 (55 %)"]
    # Toni has one family (the parents' worker of Mäkinen, which is also Sari's): his row is hidden.
    # The rows overlap, so the team's total does not give his figures away.
    assert _cells(body, "Toni Toinen") == ["*piilotettu"] * 6
    assert _cells(body, "Systeemitiimi A") == ["11", "11 (100 %)", "11", "6 (55 %)", "5 (45 %)", "6 (55 %)"]


def test_a_workers_small_count_is_not_given_away_by_the_team_total(client, world):
    """Workers whose families do not overlap add up to the team: one hidden cell in a column
    would be the team's figure minus the others, so a second one is hidden."""
    start = timezone.localdate() - datetime.timedelta(days=30)
    world.family.parents_worker = None
    world.family.save(update_fields=["parents_worker"])
    for i, (worker, better) in enumerate([(world.worker, True)] * 6 + [(world.worker, False)] * 6 + [(world.second_worker, False)] * 6):
        fam = f.family(world.team, f"Perhe{i}", children=1, parents=1, worker=worker)
        rater = fam.members.filter(relation="parent").first().person
        f.rating(fam, rater, 15, rated_on=start)
        # Toni: 2 of 6 reliably better, which alone would read "2 (33 %)" and 8 − 6 in the total.
        up = better or (worker == world.second_worker and i % 3 == 0)
        f.rating(fam, rater, 27 if up else 15, rated_on=start + datetime.timedelta(days=14))
    client.force_login(world.manager)
    body = client.get(f"/teams/{world.team.pk}/ratings/").content.decode()
    toni, sari, team = (_cells(body, name) for name in ("Toni Toinen", "Sari Sosiaalinen", "Systeemitiimi A"))
    assert toni[3] == "*piilotettu" and team[3] == "8 (44 %)"
    assert sari[3] == "*piilotettu"  # 6 of Sari's: hidden beside Toni's 2, or 8 − 6 = 2
    assert "33 %" not in body


def test_manager_sees_the_team_figures_and_a_stranger_does_not(client, world):
    client.force_login(world.manager)
    assert client.get(f"/teams/{world.team.pk}/ratings/").status_code == 200
    client.force_login(world.stranger)
    assert client.get(f"/teams/{world.team.pk}/ratings/").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "fhir"])
def test_export_is_disclosure_logged_and_valid(client, world, fmt):
    parent = _parent(world)
    _series(world, parent, [18, 21])
    _series(world, parent, [37, 39], code="SRS")
    client.force_login(world.worker)
    data = {"format": fmt, "recipient": "Perheneuvola", "legal_basis": "Huoltajan suostumus"}
    if fmt == "fhir":
        data["child"] = _child(world).pk  # a FHIR export is about one child of the two
    response = client.post(f"/families/{world.family.pk}/ratings/export/", data)
    assert response.status_code == 200
    content = response.content.decode()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
        assert len(rows) == 16 and {r["instrument"] for r in rows} == {"ORS", "SRS"}
    else:
        bundle = json.loads(content)
        Bundle(bundle, strict=True)
        responses = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
        assert len(responses) == 4
        total = next(i for i in responses[0]["item"] if i["linkId"] == "total")
        assert total["answer"][0]["valueDecimal"] in (18.0, 37.0)
    entry = AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE, view_name="ratings-export", person_id=parent.pk).get()
    assert entry.recipient == "Perheneuvola" and entry.legal_basis == "Huoltajan suostumus"


def test_export_form_without_recipient_explains_and_exports_nothing(client, world):
    client.force_login(world.worker)
    response = client.post(f"/families/{world.family.pk}/ratings/export/", {"format": "csv", "recipient": "", "legal_basis": ""})
    assert response.status_code == 200 and "Tämä kenttä vaaditaan" in response.content.decode()
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()


def test_a_family_with_a_rating_flag_is_proposed_for_the_next_team_meeting(world):
    from apps.meetings.models import Meeting, ProposalReason
    from apps.meetings.selectors import agenda_proposals

    meeting = Meeting.objects.create(
        county=world.county, team=world.team, starts_at=timezone.now() + datetime.timedelta(days=2), created_by=world.coordinator
    )
    assert not any(ProposalReason.RATINGS in p.reasons for p in agenda_proposals(meeting, viewer=world.coordinator))
    _series(world, _parent(world), [30, 24])
    proposal = next(p for p in agenda_proposals(meeting, viewer=world.coordinator) if p.family == world.family)
    assert ProposalReason.RATINGS in proposal.reasons and "perheen arvioissa huomautettavaa" in proposal.reason_labels()


def test_api_lists_ratings_with_flags_and_takes_paper_forms_and_links(client, world):
    client.force_login(world.worker)
    parent = _parent(world)
    _series(world, parent, [30, 24])
    listed = client.get(f"/api/v1/families/{world.family.pk}/ratings").json()
    assert [r["total"] for r in listed["ratings"]] == ["30.0", "24.0"] and "ORS: luotettava heikkeneminen" in listed["flags"][0]
    body = {"rater_id": parent.pk, "instrument": "ORS", "rated_on": "2026-11-20", "centimetres": {"individually": 11}}
    bad = client.post(f"/api/v1/families/{world.family.pk}/ratings", json.dumps(body), content_type="application/json")
    assert bad.status_code == 422 and "jokainen jana" in json.dumps(bad.json(), ensure_ascii=False)
    body["centimetres"] = {"individually": 4, "interpersonally": 5, "socially": 6, "overall": 7.25}
    created = client.post(f"/api/v1/families/{world.family.pk}/ratings", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["total"] == "22.3" and created.json()["mode"] == "paper"
    link = client.post(
        f"/api/v1/families/{world.family.pk}/rating-links",
        json.dumps({"rater_id": parent.pk, "kind": "session"}),
        content_type="application/json",
    ).json()
    assert link["instrument"] == "SRS" and "/r/" in link["url"]
    client.logout()
    assert client.get(link["url"].split("testserver")[1]).status_code == 200


def test_a_session_rating_link_can_name_the_team_meeting_it_rates(client, world):
    item = f.meeting_item(world.family, world.coordinator, starts_at=timezone.now() - datetime.timedelta(hours=2))
    client.force_login(world.worker)
    parent = _parent(world)
    response = client.post(
        f"/families/{world.family.pk}/ratings/links/", {"rater": parent.pk, "kind": "session", "agenda_item": item.pk}, follow=True
    )
    token = _token_from(response)
    client.logout()
    client.post(f"/r/{token}/", {"relationship": "9", "goals": "9.5", "approach": "9", "overall": "9.8"})
    assert Rating.objects.get().agenda_item == item
    client.force_login(world.worker)
    body = client.get(f"/families/{world.family.pk}/ratings/").content.decode()
    assert f"tiimikokous {timezone.localtime(item.meeting.starts_at):%-d.%-m.%Y}" in body


def test_report_changes_read_one_row_per_series_and_agree_with_the_family_charts(world):
    """outcome_changes (team view, county report) reads first/last/count per series in SQL; the
    family page computes each change from every rating. Both must tell the same story."""
    from apps.ratings.selectors import family_series, instrument_specs, outcome_changes

    _series(world, _parent(world), [30, 24, 26, 22])  # reliable deterioration, four ratings
    _series(world, _child(world), [10, 10, 26])  # a child: the child cut-off applies
    _series(world, _parent(world), [35, 39], code="SRS")  # session ratings are not outcomes
    other_parent = world.family.members.filter(relation="parent").last().person
    _series(world, other_parent, [25])  # one rating: no change yet
    someone_else = world.other_family.members.first().person
    for weeks_ago, total in ((2, 12), (1, 30)):
        f.rating(world.other_family, someone_else, total, rated_on=timezone.localdate() - datetime.timedelta(weeks=weeks_ago))
    families = [world.family.pk, world.other_family.pk]

    reported = outcome_changes(Rating.objects.filter(family_id__in=families), instrument_specs())
    for family_id in families:
        charted = [s.change for s in family_series(family_id) if s.spec.kind == "outcome"]
        charted = [c for c in charted if c is not None and c.reliable_change is not None]
        key = lambda c: (c.baseline, c.latest, c.sessions)  # noqa: E731
        assert sorted(reported.get(family_id, []), key=key) == sorted(charted, key=key)
    assert sorted((c.baseline, c.latest, c.sessions) for c in reported[world.family.pk]) == [(10, 26, 3), (30, 22, 4)]
    assert [(c.baseline, c.latest, c.sessions) for c in reported[world.other_family.pk]] == [(12, 30, 2)]


def test_the_ratings_csv_opens_in_a_finnish_spreadsheet_without_running_names_as_formulas(client, world):
    parent = _parent(world)
    parent.first_names = "+SUM(1;2)"
    parent.save(update_fields=["first_names"])
    _series(world, parent, [18.5, 21])
    client.force_login(world.worker)
    response = client.post(
        f"/families/{world.family.pk}/ratings/export/", {"format": "csv", "recipient": "Perheneuvola", "legal_basis": "Suostumus"}
    )
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert {r["rater"] for r in rows} == {f"'+SUM(1;2) {parent.last_name}"}
    assert "18,5" in {r["total"] for r in rows}  # a decimal comma, as Finnish Excel reads numbers


def test_the_read_only_therapist_cannot_hand_ratings_out(client, world):
    _series(world, _parent(world), [18, 21])
    client.force_login(world.therapist)
    assert "Vie arviot" not in client.get(f"/families/{world.family.pk}/ratings/").content.decode()
    data = {"format": "csv", "recipient": "Perheneuvola", "legal_basis": "Suostumus"}
    assert client.post(f"/families/{world.family.pk}/ratings/export/", data).status_code == 403
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()
    client.force_login(world.worker)
    assert "Vie arviot" in client.get(f"/families/{world.family.pk}/ratings/").content.decode()


def test_the_change_distribution_reads_on_the_scale_of_the_change(client, world):
    """A change runs from -40 to 40 with one decimal: the bins name the values they hold."""
    from decimal import Decimal

    from apps.ratings.selectors import change_bins

    bins = change_bins([Decimal(40), Decimal("10"), Decimal("9.9"), Decimal(-40), Decimal("-0.1"), Decimal(0)])
    assert [(b["low"], b["high"], b["count"]) for b in bins] == [
        (-40, Decimal("-10.1"), 1),
        (-10, Decimal("-5.1"), 0),
        (-5, Decimal("-0.1"), 1),
        (0, Decimal("4.9"), 1),
        (5, Decimal("9.9"), 1),
        (10, 40, 2),
    ]
    client.force_login(world.consultant)
    body = client.get(f"/teams/{world.team.pk}/ratings/").content.decode()
    assert "10 … 40</th>" in body and "5 … 9,9</th>" in body and "… 41" not in body
