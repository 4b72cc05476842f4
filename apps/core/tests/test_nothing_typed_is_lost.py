"""Nothing typed is lost, and every mistake is told at once.

A browser cuts a paste to an input's `maxlength` without a word: no form carries one, the server
refuses a text that is too long with a message and shows the form again with every character.
A date that cannot be right (1800) is reported together with the form's other mistakes.
"""

from apps.core import marks
from tests.test_access_walk import _client, _fill, app_patterns


def test_no_form_page_lets_the_browser_cut_a_long_text(world):
    client = _client(world, "worker")
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure not in (marks.PERSONAL, marks.CREATE):
            continue
        response = client.get(_fill(route, pattern, world))
        if response.status_code != 200 or "<form" not in response.content.decode():
            continue
        assert "maxlength" not in response.content.decode(), route
        checked += 1
    assert checked >= 8


def test_a_too_long_description_is_refused_with_a_message_and_kept(client, world):
    from apps.casework.models import Notification

    client.force_login(world.worker)
    child = world.family.relationships.first().child
    long_text = "Huoli " + "x" * 4994
    response = client.post(
        f"/families/{world.family.pk}/notifications/new/",
        {"child": child.pk, "kind": "notification", "received_on": "2026-12-01", "notifier_type": "school", "summary": long_text},
    )
    body = response.content.decode()
    assert response.status_code == 200 and long_text in body
    assert "4000" in body.replace("\xa0", "").replace(" ", "") and "5000" in body.replace("\xa0", "").replace(" ", "")
    assert not Notification.objects.exists()


def test_the_transfer_form_reports_every_mistake_at_once(client, world):
    client.force_login(world.worker)
    response = client.post(
        f"/families/{world.family.pk}/transfer/",
        {"joint_meeting_on": "1800-01-01", "reasoning": "", "handover_days": "30"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tarkista vuosi" in body  # the 1800 date
    assert body.count("Tämä kenttä vaaditaan") >= 3  # team, worker, criteria, reasoning: in the same answer
