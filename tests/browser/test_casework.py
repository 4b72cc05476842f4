"""Casework in a real browser: register a notification, see its deadline, let the clock run past
it (time-machine moves the server's clock), and find it overdue on the team's list."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from apps.casework.calendar import add_working_days
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notification_deadline_becomes_overdue_on_the_team_list(new_context, live_server, world):
    today = timezone.localdate()
    child = world.family.relationships.select_related("child").first().child
    page = new_context().new_page()
    login(page, live_server, world.worker)
    page.goto(f"{live_server.url}/families/{world.family.pk}/")
    page.get_by_role("link", name="Kirjaa ilmoitus").click()
    page.get_by_label("Lapsi").select_option(str(child.pk))
    page.locator("#id_notifier_type").select_option("school")
    page.get_by_label("Ilmoittajan nimi").fill("Opettaja Ojala")
    page.get_by_label("Huolen kuvaus").fill("Lapsi on väsynyt ja nälkäinen aamuisin.")
    assert_accessible(page, "notification form")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url("**/notifications/*/")
    due = add_working_days(today, 7)
    assert due.strftime("%-d.%-m.%Y") in page.inner_text("main")
    assert "LsL 26 §" in page.inner_text("main")
    assert_accessible(page, "notification page")

    page.goto(f"{live_server.url}/deadlines/")
    decision_row = page.locator("tr", has_text="Päätös lastensuojelutarpeen selvityksen aloittamisesta")
    assert child.full_name in decision_row.inner_text() and "myöhässä" not in decision_row.inner_text()

    later = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(9, 0), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(later, tick=True):
        later_page = new_context().new_page()
        login(later_page, live_server, world.consultant)
        later_page.goto(f"{live_server.url}/teams/{world.team.pk}/deadlines/")
        overdue = later_page.locator("section", has=later_page.get_by_role("heading", name="Myöhässä"))
        assert child.full_name in overdue.inner_text()
        assert "Päätös lastensuojelutarpeen selvityksen aloittamisesta" in overdue.inner_text()
        assert_accessible(later_page, "team deadlines")
        later_page.goto(f"{live_server.url}/families/{world.family.pk}/")
        row = later_page.locator("tr", has_text="Päätös lastensuojelutarpeen selvityksen aloittamisesta")
        assert "myöhässä" in row.inner_text()


def test_caseload_history_page_is_accessible(page, live_server, world):
    login(page, live_server, world.manager)
    page.goto(f"{live_server.url}/caseloads/")
    assert "Yksiköt" in page.inner_text("main") and "Mäkinen" not in page.content()
    assert_accessible(page, "caseload overview")
