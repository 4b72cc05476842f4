"""Test set-up shared by every app: a world with named personas (see tests/factories.py)."""

import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("SYSTEEMI_DEMO", "1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    county: object
    other_county: object
    team: object
    other_team: object
    consultant: object
    worker: object
    second_worker: object
    instructor: object
    coordinator: object
    therapist: object
    stranger: object
    foreigner: object
    manager: object
    auditor: object
    partner: object
    family: object
    other_family: object
    foreign_family: object
    researcher: object = None
    # A manager of the team's own unit (sees its aggregates), a manager of another unit (sees
    # none of this team), and a partner professional whom the family has given no consent.
    unit_manager: object = None
    other_unit_manager: object = None
    partner_without_consent: object = None
    trainer: object = None  # plans trainings and records attendance; never sees a family
    # Partner professionals whose consent from the family has passed its last day, or was withdrawn.
    partner_expired: object = None
    partner_withdrawn: object = None
    consent: object = None  # world.partner's consent to world.family's shared plan


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test that uses the database starts and ends with an empty cache: ids repeat between
    tests, so cached reports (county report) and counters (rating rate limit) from one test must
    not answer in the next. The cache is a database table (settings.CACHES): a test's transaction
    takes its rows away, but tests that commit (browser, transaction=True) would leave them."""
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_database:
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("db")  # set up first, so torn down after the clearing below
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_log_checkpoints(settings, monkeypatch):
    """Each test signs access-log checkpoints into a directory of its own (created when first
    written): county ids and chains repeat between tests, so one test's checkpoints would not match
    the next one's chain. Commands run as subprocesses get it through the environment."""
    import uuid
    from pathlib import Path

    path = Path(os.environ["SYSTEEMI_LOG_CHECKPOINT_DIR"]) / uuid.uuid4().hex
    settings.SYSTEEMI_LOG_CHECKPOINT_DIR = path
    monkeypatch.setenv("SYSTEEMI_LOG_CHECKPOINT_DIR", str(path))


@pytest.fixture(autouse=True)
def _own_export_dir(settings, tmp_path):
    """Research exports written by a test go to its own directory (SYSTEEMI_EXPORT_DIR)."""
    settings.SYSTEEMI_EXPORT_DIR = tmp_path / "exports"


@pytest.fixture
def world(db):
    import datetime

    from django.utils import timezone

    from apps.organisations.models import TeamRole
    from tests import factories as f

    county = f.county("testila", "Testilän hyvinvointialue")
    other_county = f.county("toinen", "Toisen hyvinvointialue")
    unit = f.unit(county, "Lapsiperheiden palvelut")
    other_unit = f.unit(county, "Perhesosiaalityö")
    team = f.team(county, unit, "Systeemitiimi A")
    other_team = f.team(county, unit, "Systeemitiimi B")
    foreign_team = f.team(other_county, None, "Vieras tiimi")
    consultant = f.member(team, TeamRole.CONSULTANT, "konsultti", first="Kaisa", last="Konsultti")
    worker = f.member(team, TeamRole.SOCIAL_WORKER, "sosiaalityontekija", first="Sari", last="Sosiaalinen")
    second_worker = f.member(team, TeamRole.SOCIAL_WORKER, "toinen_tyontekija", first="Toni", last="Toinen")
    instructor = f.member(team, TeamRole.SOCIAL_INSTRUCTOR, "ohjaaja", first="Olli", last="Ohjaaja")
    coordinator = f.member(team, TeamRole.COORDINATOR, "koordinaattori", first="Kirsi", last="Koordinaattori")
    therapist = f.member(team, TeamRole.FAMILY_THERAPIST, "terapeutti", first="Teemu", last="Terapeutti")
    stranger = f.member(other_team, TeamRole.SOCIAL_WORKER, "vieras", first="Ville", last="Vieras")
    foreigner = f.member(foreign_team, TeamRole.CONSULTANT, "ulkopuolinen", first="Ulla", last="Ulkopuolinen")
    manager = f.manager(county, "esihenkilo", first="Eeva", last="Esihenkilö")
    auditor = f.auditor(county, "tarkastaja", first="Tarja", last="Tarkastaja")
    partner = f.partner(county, "kumppani", first="Paula", last="Kumppani", title="Koulukuraattori", organisation="Testilän koulu")
    researcher = f.researcher(county, "tutkija", first="Riikka", last="Tutkija")
    unit_manager = f.manager(county, "yksikon_esihenkilo", first="Ylva", last="Yksikkö", managed_unit=unit)
    other_unit_manager = f.manager(county, "toisen_yksikon_esihenkilo", first="Oona", last="Toinenyksikkö", managed_unit=other_unit)
    trainer = f.user(county, "kouluttaja", first="Kalle", last="Kouluttaja", org_role="trainer")
    partner_without_consent = f.partner(county, "kumppani_ilman_suostumusta", first="Pekka", last="Kumppani", organisation="Neuvola")
    partner_expired = f.partner(county, "kumppani_paattynyt", first="Päivi", last="Päättynyt", organisation="Psykiatrian poliklinikka")
    partner_withdrawn = f.partner(county, "kumppani_peruttu", first="Perttu", last="Peruttu", organisation="Kotipalvelu")
    family = f.family(team, "Mäkinen", children=2, parents=2, worker=worker, parents_worker=second_worker)
    other_family = f.family(other_team, "Salainen", children=1, worker=stranger)
    foreign_family = f.family(foreign_team, "Ulkomaalainen", children=1, worker=foreigner)
    today = timezone.localdate()
    # The school's kuraattori may see the family's ecomap too; the others' consents were for the plan only.
    consent = f.consent(family, partner, worker, purpose="Koulun oppilashuolto", until=today + datetime.timedelta(days=30), ecomap=True)
    f.consent(family, partner_expired, worker, start=today - datetime.timedelta(days=60), until=today - datetime.timedelta(days=1))
    f.consent(family, partner_withdrawn, worker, withdrawn=True)
    return World(
        county,
        other_county,
        team,
        other_team,
        consultant,
        worker,
        second_worker,
        instructor,
        coordinator,
        therapist,
        stranger,
        foreigner,
        manager,
        auditor,
        partner,
        family,
        other_family,
        foreign_family,
        researcher,
        unit_manager,
        other_unit_manager,
        partner_without_consent,
        trainer,
        partner_expired,
        partner_withdrawn,
        consent,
    )


@pytest.fixture(autouse=True)
def _second_factor_for_test_logins(request, monkeypatch):
    """Sessions from client.login() / force_login() count as verified by a second factor.

    The gate itself stays on (there is no setting that skips it): each such session is verified
    with a real, confirmed device of the user's own (apps/accounts/testing.py). Tests of the gate
    opt out with `@pytest.mark.real_two_factor`, and then log in like a person would.
    """
    if request.node.get_closest_marker("real_two_factor"):
        return
    from django.test import Client

    from apps.accounts.testing import verify_client_session

    original_login, original_force_login = Client.login, Client.force_login

    def login(self, **credentials):
        signed_in = original_login(self, **credentials)
        if signed_in:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(pk=self.session["_auth_user_id"])
            verify_client_session(self, user)
        return signed_in

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        verify_client_session(self, user)

    monkeypatch.setattr(Client, "login", login)
    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in Swedish or English leaves that language active in the thread (LocaleMiddleware
    activates, nothing deactivates), so a later test on the same xdist worker would get English
    messages. Each test starts from the default language."""
    yield
    from django.utils import translation

    translation.deactivate()
