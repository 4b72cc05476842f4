"""The team page: members and roles, families, each social worker's caseload; constant queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AccessLogEntry
from tests import factories as f


def test_login_lands_on_team_page(client, world):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.worker, name="Todennussovellus", confirmed=True)
    response = client.post("/accounts/login/", {"username": "sosiaalityontekija", "password": f.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/verify/?next=%2F"  # then the second factor
    response = client.post("/accounts/2fa/verify/", {"code": f"{totp(device.bin_key):06d}", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/teams/{world.team.pk}/"
    body = response.content.decode()
    assert "Systeemitiimi A" in body
    for text in ["konsultoiva sosiaalityöntekijä", "sosiaaliohjaaja", "koordinaattori", "perheterapeutti", "Mäkinen"]:
        assert text in body
    assert "Salainen" not in body  # another team's family


def test_caseload_counts_children_per_worker(client, world):
    client.force_login(world.consultant)
    f.family(world.team, "Lahtinen", children=3, worker=world.worker)
    response = client.get(f"/teams/{world.team.pk}/")
    rows = {row["user"]: row["children"] for row in response.context["caseload"]}
    assert rows[world.worker] == 5 and rows[world.second_worker] == 0 and rows[world.consultant] == 0


def test_closed_relationships_do_not_count(client, world):
    client.force_login(world.worker)
    world.family.relationships.update(closed_on=datetime.date.today(), current_phase="closed")
    rows = {row["user"]: row["children"] for row in client.get(f"/teams/{world.team.pk}/").context["caseload"]}
    assert rows[world.worker] == 0


def test_team_list_is_logged_per_family(client, world):
    client.force_login(world.therapist)
    client.get(f"/teams/{world.team.pk}/")
    assert AccessLogEntry.objects.filter(actor=world.therapist, action="list", family_id=world.family.pk).count() == 1
    assert not AccessLogEntry.objects.filter(actor=world.therapist, family_id=world.other_family.pk).exists()


def test_search_filters_families(client, world):
    client.force_login(world.worker)
    f.family(world.team, "Lahtinen", children=1, worker=world.worker)
    response = client.get(f"/teams/{world.team.pk}/", {"q": "lahti"})
    assert [fam.name for fam in response.context["families"]] == ["Lahtinen"]


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_team_page_queries_are_constant_in_the_number_of_families(client, world):
    client.force_login(world.worker)
    url = f"/teams/{world.team.pk}/"
    few = _queries(client, url)
    for i in range(15):
        f.family(world.team, f"Perhe{i}", children=2, parents=2, worker=world.worker, parents_worker=world.second_worker)
    assert _queries(client, url) == few


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_language_choice_changes_the_ui(client, world):
    client.force_login(world.worker)
    assert '<html lang="fi">' in client.get(f"/teams/{world.team.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert '<html lang="sv">' in client.get(f"/teams/{world.team.pk}/").content.decode()


def test_user_without_team_gets_guidance(client, world):
    client.force_login(f.user(world.county, "uusi"))
    assert "Et kuulu vielä mihinkään tiimiin" in client.get("/", follow=True).content.decode()


def _row(body: str, family_pk: int) -> str:
    start = body.index(f'<a href="/families/{family_pk}/">')
    return body[body.rindex("<tr>", 0, start) : body.index("</tr>", start)]


def test_family_row_shows_children_workers_last_discussion_and_steps(client, world):
    from django.utils import timezone

    fam = f.family(world.team, "Lahtinen", children=2, worker=world.worker, parents_worker=world.second_worker)
    starts = timezone.make_aware(datetime.datetime(2026, 3, 4, 23, 30), datetime.UTC)  # 5.3. in Helsinki
    f.meeting_item(fam, world.worker, starts_at=starts)
    client.force_login(world.worker)
    row = _row(client.get(f"/teams/{world.team.pk}/").content.decode(), fam.pk)
    assert "Aino – avohuollon asiakkuus<br>Eino – avohuollon asiakkuus" in row
    name = world.worker.get_full_name()
    assert f'<td data-label="Vastuutyöntekijät">{name}<br>{name}</td>' in row
    assert f'<td data-label="Vanhempien työntekijä">{world.second_worker.get_full_name()}</td>' in row
    assert '<td data-label="Viimeksi käsitelty">5.3.2026</td>' in row
    assert '<td data-label="Avoimet askeleet" class="num">1</td>' in row


def test_family_row_without_open_cases_and_in_swedish(client, world):
    fam = f.family(world.team, "Lahtinen", children=0)
    client.force_login(world.worker)
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    row = _row(client.get(f"/teams/{world.team.pk}/").content.decode(), fam.pk)
    assert '<td data-label="Klientbarn och fas"><small>ingen öppen klientrelation</small></td>' in row
    assert '<td data-label="Föräldrarnas socialarbetare">–</td>' in row


def test_family_names_are_escaped_in_the_team_table(client, world):
    fam = f.family(world.team, '<script>alert("x")</script> & Co', children=1, worker=world.worker)
    client.force_login(world.worker)
    body = client.get(f"/teams/{world.team.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in _row(body, fam.pk)


def test_team_without_families_says_so(client, world):
    client.force_login(world.worker)
    body = client.get(f"/teams/{world.team.pk}/", {"q": "eiketään"}).content.decode()
    assert "Haulla ei löytynyt perheitä." in body
