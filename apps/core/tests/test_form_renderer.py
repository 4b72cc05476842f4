"""Widgets rendered through Django's Jinja2 templates give the markup the Django templates give.

FORM_RENDERER (apps.core.form_renderer) was adopted for speed; a user must not see a difference:
every form page, empty and with the errors of bad input, is the same HTML either way.
"""

import re

import pytest
from django.forms.renderers import get_default_renderer
from django.test.utils import override_settings

from tests import factories as f

DJANGO = "django.forms.renderers.DjangoTemplates"


def _html(response) -> str:
    body = response.content.decode()
    body = re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', r"\1-", body)
    return re.sub(r"\s+", " ", body)


def _both(call):
    pages = []
    for renderer in (None, DJANGO):
        get_default_renderer.cache_clear()
        if renderer:
            with override_settings(FORM_RENDERER=renderer):
                # Ours leaves out maxlength on purpose (a browser cuts a paste to it silently; the
                # server checks the length and says so): otherwise the markup is Django's.
                pages.append(re.sub(r' maxlength="\d+"', "", _html(call())))
        else:
            pages.append(_html(call()))
    get_default_renderer.cache_clear()
    return pages


@pytest.fixture
def pages(world):
    item = f.meeting_item(world.family, world.worker)
    rel = world.family.relationships.first()
    fam = world.family.pk
    return [
        f"/teams/{world.team.pk}/families/new/",
        f"/families/{fam}/edit/",
        f"/families/{fam}/people/new/",
        f"/families/{fam}/relationships/new/",
        f"/families/{fam}/relationships/{rel.pk}/phases/new/",
        f"/families/{fam}/relationships/{rel.pk}/worker/",
        f"/families/{fam}/notifications/new/",
        f"/families/{fam}/transfer/",
        f"/families/{fam}/ratings/",
        f"/meetings/{item.meeting_id}/items/{item.pk}/",
        f"/teams/{world.team.pk}/fidelity/",
    ]


def test_every_form_page_is_the_same_html(client, world, pages):
    client.force_login(world.worker)
    for url in pages:
        ours, django = _both(lambda url=url: client.get(url))
        assert ours == django, url
        assert "<select" in ours or "<input" in ours or "<textarea" in ours, url


def test_errors_of_bad_input_are_the_same_html(client, world):
    client.force_login(world.worker)
    url = f"/families/{world.family.pk}/people/new/"
    bad = {"first_names": "", "last_name": "Mäkinen", "birth_date": "31.2.2020", "relation": "child", "email": "ei-osoite"}
    ours, django = _both(lambda: client.post(url, bad))
    assert ours == django
    assert 'aria-invalid="true"' in ours and "Tämä kenttä vaaditaan." in ours and 'value="31.2.2020"' in ours


def test_admin_widgets_without_jinja2_templates_still_render(admin_client):
    response = admin_client.get("/admin/otp_totp/totpdevice/add/")
    assert response.status_code == 200 and 'class="vForeignKeyRawIdAdminField"' in response.content.decode()
