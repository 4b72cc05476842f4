"""Evaluation in a real browser: the manager reads the effectiveness comparison and takes its PDF,
the trainer plans training, a worker answers the monthly pulse — each page axe-clean."""

import pytest

from apps.evaluation.models import PulseTally
from apps.organisations.models import TeamKind
from tests import factories as f
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_effectiveness_and_takes_the_pdf(page, live_server, world):
    comparison = f.team(world.county, world.team.unit, "Vertailutiimi")
    comparison.kind = TeamKind.COMPARISON
    comparison.save()
    login(page, live_server, world.manager)
    page.get_by_role("link", name="Vaikuttavuus").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vaikuttavuus: systeemiset ja vertailutiimit"
    assert page.get_by_text("Eroa ei arvioitu").is_visible()  # one team a side: said plainly, not estimated
    assert page.get_by_role("table", name="Monitasomalli: perheet tiimeissä").is_visible()
    assert "Mäkinen" not in page.content()
    assert_accessible(page, "effectiveness")
    href = page.get_by_role("link", name="Raportti PDF-tiedostona").get_attribute("href")
    response = page.request.get(page.url.split("?")[0] + href)  # the browser's own session
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_trainer_plans_a_training_and_marks_attendance(page, live_server, world):
    f.user(world.county, "kouluttaja_terapeutti", first="Tuula", last="Terapia", org_role="trainer")
    login(page, live_server, world.trainer)
    page.get_by_role("link", name="Koulutus").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Alueellinen koulutussuunnitelma"
    assert_accessible(page, "training plan")
    page.get_by_role("link", name="Uusi koulutus").click()
    page.get_by_label("Tiimi").select_option(label=world.team.name)
    page.get_by_label("Nimi").fill("Tiimivalmennus kevät")
    page.get_by_label("Kouluttaja (sosiaalityöntekijä)").select_option(label="Kalle Kouluttaja")
    page.get_by_label("Kouluttaja (perheterapeutti)").select_option(label="Tuula Terapia")
    assert_accessible(page, "new training")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()
    page.get_by_label("Alkaa").fill("2026-01-12")
    page.get_by_label("Päättyy").fill("2026-01-13")
    with page.expect_navigation():
        page.get_by_role("button", name="Lisää jakso").click()
    page.get_by_label("Sari Sosiaalinen").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna läsnäolo").click()
    assert (
        page.get_by_role("table", name="Tiimin jäsenten läsnäolo jaksoittain")
        .get_by_role("row")
        .filter(has_text="Sari Sosiaalinen")
        .inner_text()
        .count("läsnä")
        == 1
    )
    assert "Mäkinen" not in page.content()
    assert_accessible(page, "training with attendance")


def test_worker_answers_the_pulse_once(page, live_server, world):
    login(page, live_server, world.worker)
    page.get_by_role("link", name="Pulssi").click()
    assert_accessible(page, "pulse form")
    for question, value in (
        ("Työn kuormittavuus", "6"),
        ("Jaksaminen", "7"),
        ("Työn merkityksellisyys", "9"),
        ("Turvallisuus työssä", "8"),
    ):
        page.get_by_role("group", name=question).get_by_label(value, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä nimettömästi").click()
    assert page.get_by_text("Olet vastannut tässä kuussa").is_visible()
    assert sum(PulseTally.objects.filter(question="energy", value=7).values_list("count", flat=True)) == 1
    assert_accessible(page, "pulse answered")
