"""The whole-family grants become consents to the shared plan alone, and the grant table goes."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("access", "0003_handover"), ("partnership", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_grants_are_carried_over_as_narrower_consents():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    before = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("access", "partnership")] + BEFORE
    old = executor.loader.project_state(before).apps
    County, Team, Unit, Family = (
        old.get_model(*m)
        for m in (("organisations", "County"), ("organisations", "Team"), ("organisations", "Unit"), ("clients", "Family"))
    )
    User, Membership, AccessGrant = (
        old.get_model("accounts", "User"),
        old.get_model("organisations", "Membership"),
        old.get_model("access", "AccessGrant"),
    )
    county = County.objects.create(code="siirto", name="Siirtolan hyvinvointialue")
    team = Team.objects.create(county=county, unit=Unit.objects.create(county=county, name="Yksikkö"), name="Tiimi")
    family = Family.objects.create(county=county, team=team, name="Siirtonen")
    worker = User.objects.create(username="siirto-tyontekija", county=county)
    Membership.objects.create(county=county, team=team, user=worker, role="social_worker", started_on=datetime.date(2020, 1, 1))
    kuraattori = User.objects.create(username="siirto-kuraattori", county=county)
    now = timezone.now()
    AccessGrant.objects.create(
        county=county,
        family=family,
        grantee=kuraattori,
        purpose="Koulun oppilashuolto",
        consent_reference="Huoltajien suostumus 1.9.2026",
        valid_from=now - datetime.timedelta(days=10),
        valid_until=now + datetime.timedelta(days=20),
        granted_by=worker,
    )
    AccessGrant.objects.create(
        county=county,
        family=family,
        grantee=worker,  # a team member once held a grant: keeps their role
        purpose="Sijaisuus",
        consent_reference="Suullinen",
        valid_from=now - datetime.timedelta(days=30),
        valid_until=now - datetime.timedelta(days=5),
        revoked_at=now - datetime.timedelta(days=6),
        granted_by=worker,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from apps.accounts.models import User as CurrentUser
    from apps.partnership.access import consented_scopes
    from apps.partnership.models import Consent, SharedPlan

    consent = Consent.objects.get(partner__username="siirto-kuraattori")
    assert consent.is_active() and consent.scopes == ["shared_plan", "own_steps"] and not consent.ecomap
    assert consent.migrated_reference == "Huoltajien suostumus 1.9.2026" and consent.purpose == "Koulun oppilashuolto"
    assert consent.valid_until == timezone.localdate() + datetime.timedelta(days=20)
    assert CurrentUser.objects.get(username="siirto-kuraattori").is_partner
    assert not CurrentUser.objects.get(username="siirto-tyontekija").is_partner
    assert Consent.objects.get(partner__username="siirto-tyontekija").state == "withdrawn"
    assert SharedPlan.objects.filter(family__name="Siirtonen").exists()
    assert consented_scopes(CurrentUser.objects.get(username="siirto-kuraattori"), consent.family_id) == {"shared_plan", "own_steps"}
    assert "access_accessgrant" not in connection.introspection.table_names()
