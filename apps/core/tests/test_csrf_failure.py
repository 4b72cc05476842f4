"""A form refused for its stale security token explains itself in the site's layout and language."""

from django.test import Client


def test_a_stale_form_gets_the_sites_own_explanation_in_finnish_and_swedish(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    response = client.post(f"/families/{world.family.pk}/edit/", {"name": "Mäkinen-Virta"})
    body = response.content.decode()
    assert response.status_code == 403 and "Lomaketta ei voitu lähettää" in body and "Mitään ei tallennettu" in body
    assert 'class="site-header' in body or "<header" in body  # the site's layout, not Django's bare page
    world.family.refresh_from_db()
    assert world.family.name == "Mäkinen"
    client.cookies.load({"django_language": "sv"})
    assert "Formuläret kunde inte skickas" in client.post(f"/families/{world.family.pk}/edit/", {"name": "x"}).content.decode()
