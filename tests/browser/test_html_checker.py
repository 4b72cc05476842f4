"""The harness: every page a browser test loads reaches the Nu Html Checker (tests/browser/conftest.py)."""

from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_a_browser_test_loads_is_kept_for_the_checker(request, page, live_server, world, nu_pages):
    login(page, live_server, world.worker)
    page.goto(f"{live_server.url}/families/{world.family.pk}/")

    kept = [what for test, what in nu_pages.pages.values() if test == request.node.nodeid]
    assert kept[0] == "GET /accounts/login/ (200 OK)"
    assert "GET /accounts/2fa/verify/?next=%2F (200 OK)" in kept
    assert f"GET /teams/{world.team.pk}/ (200 OK)" in kept
    assert kept[-1] == f"GET /families/{world.family.pk}/ (200 OK)"
    last = max(nu_pages.pages)  # file names count up
    assert "Mäkinen" in Path(last).read_text()  # the page as the server sent it
