"""The Nu Html Checker over every page of the access walk, as the people permitted to open it see
it: each page blank and, where it has a form, sent back empty so every field shows its error.

The browser suite checks the pages it loads the same way (tests/browser/conftest.py); this walk
adds the pages no browser test opens. The checker starts once for all of them.
"""

import pytest

from apps.core import marks
from tests.html_checker import PageRecorder, format_errors, nu_errors
from tests.test_access_walk import PERMITTED, POST_ONLY, _client, _fill, _targets, app_patterns

# Templates, catalogues and code, not the database's behaviour: checked once, on SQLite (Makefile).
pytestmark = pytest.mark.engine_agnostic

# Who opens each kind of page; aggregate pages a team member cannot open are the manager's.
READER = {marks.PUBLIC: "anonymous", marks.DISCLOSURE: "researcher"}


def test_the_checker_names_a_broken_reference_and_a_duplicate_id(tmp_path):
    """The harness itself: markup the checker must refuse is refused, with the reason."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Lomake</title></head><body>'
        '<input id="id_a" aria-describedby="id_a_helptext"><p id="id_a_help">Ohje</p><p id="x"></p><p id="x"></p>'
        "</body></html>"
    )
    messages = [e.message for e in nu_errors([page])]
    assert any("aria-describedby" in m for m in messages), messages
    assert any("Duplicate ID" in m for m in messages), messages


def test_every_page_of_the_access_walk_is_valid_html(world, tmp_path):
    recorder = PageRecorder(tmp_path)
    clients = {}
    for route, pattern in app_patterns():
        exposure = pattern.callback.systeemi_exposure
        if exposure == marks.WRITE:
            continue  # POST-only actions answer with a redirect, no page
        url = _fill(route, pattern, world).replace("<str:token>", _targets(world)["token"])
        personas = [PERMITTED.get(pattern.name) or READER.get(exposure, "worker")]
        if exposure == marks.AGGREGATE:
            personas.append("manager")
        for persona in personas:
            client = clients.setdefault(persona, _client(world, persona))
            recorder.test = f"as {persona}"
            if pattern.name in POST_ONLY:
                sent = [("POST", client.post(url, POST_ONLY[pattern.name]))]
            else:
                sent = [("GET", client.get(url))]
                first = sent[0][1]
                if first.status_code == 200 and not first.streaming and b"<form" in first.content and b'method="post"' in first.content:
                    sent.append(("POST (empty)", client.post(url, {})))
            for method, response in sent:
                is_html = response.get("Content-Type", "").startswith("text/html")
                if is_html and not response.streaming and response.content.strip():
                    recorder.save(response.content, f"{method} {url} ({response.status_code})")
            if sent[0][1].status_code == 200:
                break
    assert len(recorder.pages) >= 60, f"only {len(recorder.pages)} pages were checked"
    errors = nu_errors(recorder.pages)
    assert not errors, f"the Nu Html Checker found {len(errors)} error(s):\n" + format_errors(errors, recorder.describe)
