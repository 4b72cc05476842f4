"""A partner professional signs in to the plans of the families that consented, and nothing else."""

import datetime

from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from tests import factories as f


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_partner_lands_on_the_plans_of_consenting_families_only(world):
    other = f.family(world.team, "Virtanen", children=1, worker=world.worker)
    f.consent(other, world.partner, world.worker, until=timezone.localdate() - datetime.timedelta(days=1))  # ended yesterday
    client = _client(world.partner)
    assert client.get("/").url == "/partner/"
    body = client.get("/partner/").content.decode()
    assert "Mäkinen" in body and "Virtanen" not in body
    assert "Perheiden yhteiset suunnitelmat" in body  # the partner's own navigation
    assert "Omat määräajat" not in body and "Oma tiimi" not in body
    listed = AccessLogEntry.objects.filter(actor=world.partner, view_name="partner-home")
    assert set(listed.values_list("family_id", flat=True)) == {world.family.pk}
    assert set(listed.values_list("action", "actor_role", "purpose")) == {("list", "partner", "consented_cooperation")}


def test_a_partner_without_any_consent_sees_an_empty_list_and_nothing_is_logged(world):
    before = AccessLogEntry.objects.count()
    response = _client(world.partner_without_consent).get("/partner/")
    assert response.status_code == 200 and "Yksikään perhe" in response.content.decode()
    assert AccessLogEntry.objects.count() == before


def test_team_members_have_no_partner_pages(world):
    client = _client(world.worker)
    assert client.get("/partner/").status_code == 404
    assert client.get(f"/partner/plans/{world.family.shared_plan.pk}/").status_code == 404
    assert client.get("/").url.startswith("/teams/")
