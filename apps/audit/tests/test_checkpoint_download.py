"""The auditor downloads the county's signed checkpoints and the public key, and can verify with them alone."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from apps.audit import signing
from apps.audit.services import Subject, access_log_append
from apps.audit.tests.test_checkpoints import _rewrite
from tests.factories import PASSWORD


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _append(actor, county, family, n=3):
    access_log_append(
        actor=actor,
        county_id=county.pk,
        actor_role="social_worker",
        action="view",
        view_name="family-detail",
        purpose="client_work",
        subjects=[Subject(family.pk, None)] * n,
    )


def test_the_auditor_downloads_the_countys_checkpoints_and_key_and_verifies_with_them(world, tmp_path):
    auditor = _client(world.auditor)
    assert "Tarkistuspisteitä ei ole vielä allekirjoitettu." in auditor.get("/audit/").content.decode()

    _append(world.worker, world.county, world.family)
    _append(world.foreigner, world.other_county, world.foreign_family)
    call_command("checkpoint_access_log", stdout=io.StringIO())

    page = auditor.get("/audit/").content.decode()
    assert "Viimeisin tarkistuspiste: merkintä 3" in page
    assert 'href="/audit/checkpoints/"' in page and 'href="/audit/checkpoints/public-key/"' in page

    download = auditor.get("/audit/checkpoints/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith('attachment; filename="testila-')
    body = download.content.decode()
    assert body == signing.county_file("testila").read_text()  # the signed lines as written outside the database
    assert '"county":"toinen"' not in body  # only the auditor's own county
    key = auditor.get("/audit/checkpoints/public-key/")
    assert key.status_code == 200 and key.content.decode().startswith("-----BEGIN PUBLIC KEY-----")

    checkpoints, public_key = tmp_path / "checkpoints.jsonl", tmp_path / "key.pem"
    checkpoints.write_bytes(download.content)
    public_key.write_bytes(key.content)
    args = ["--county", str(world.county.pk), "--checkpoints", str(checkpoints), "--public-key", str(public_key)]
    out = io.StringIO()
    call_command("verify_access_log", *args, stdout=out)
    assert "3 entries, chain intact; matches 1 signed checkpoint, the last at entry 3" in out.getvalue()

    # Whatever happens to the server's files later, the auditor's copy still names a rewrite.
    _rewrite(world.county.pk, 2, "muutettu")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_access_log", *args, stdout=io.StringIO(), stderr=err)
    assert f"county {world.county.pk} (testila): BROKEN at entry 1: entries 1–3 were changed after being signed" in err.getvalue()


@pytest.mark.parametrize("persona", ["manager", "worker", "researcher", "foreigner"])
def test_only_the_auditor_downloads_checkpoints(world, persona):
    _append(world.worker, world.county, world.family)
    call_command("checkpoint_access_log", stdout=io.StringIO())
    client = _client(getattr(world, persona))
    for url in ("/audit/checkpoints/", "/audit/checkpoints/public-key/"):
        assert client.get(url).status_code == 404, (persona, url)
