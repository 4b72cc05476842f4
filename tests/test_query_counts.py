"""Every key page and API call makes a pinned number of queries, the same for a small and a large team.

One shared helper (tests/queries.py) pins each number: a change that adds a query must change the
number here on purpose, and a query per row fails at once, since the large team has five times the
families, meetings and ratings of the small one.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from apps.casework.models import Assessment, ClientPlan, InterfaceAssessment, PersonalMeeting
from tests import factories as f
from tests.queries import assert_query_count

# page -> (persona, URL template, pinned count on SQLite, on PostgreSQL)
PAGES = {
    "team page": ("worker", "/teams/{team}/", 16, 15),
    "family page": ("worker", "/families/{family}/", 22, 21),
    "family ratings": ("worker", "/families/{family}/ratings/", 18, 17),
    "family discussions": ("worker", "/families/{family}/discussions/", 14, 13),
    "my deadlines": ("worker", "/deadlines/", 13, 12),
    "team deadlines": ("worker", "/teams/{team}/deadlines/", 15, 14),
    "my steps": ("worker", "/steps/", 5, 5),
    "team meetings": ("coordinator", "/teams/{team}/meetings/", 7, 7),
    "meeting page": ("coordinator", "/meetings/{meeting}/", 21, 20),
    "meeting record": ("coordinator", "/meetings/{meeting}/items/{item}/", 17, 16),
    "team ratings": ("worker", "/teams/{team}/ratings/", 11, 11),
    "team fidelity": ("worker", "/teams/{team}/fidelity/", 15, 15),
    "team caseload": ("worker", "/teams/{team}/caseload/", 10, 10),
    "caseload overview": ("manager", "/caseloads/", 7, 7),
    "county report": ("manager", "/evaluation/county/", 6, 6),
    "auditor's log of a person": ("auditor", "/audit/people/{person}/", 15, 14),
    "API family list": ("worker", "/api/v1/families", 11, 10),
    "API family": ("worker", "/api/v1/families/{family}", 13, 12),
    "API family ratings": ("worker", "/api/v1/families/{family}/ratings", 14, 13),
    "API meeting record": ("coordinator", "/api/v1/meetings/{meeting}/items/{item}", 15, 14),
    "API team": ("worker", "/api/v1/teams/{team}", 13, 12),
    "API family notifications": ("worker", "/api/v1/families/{family}/notifications", 12, 11),
    "API notification": ("worker", "/api/v1/families/{family}/notifications/{notification}", 13, 12),
    "API family assessments": ("worker", "/api/v1/families/{family}/assessments", 12, 11),
    "API client plans": ("worker", "/api/v1/families/{family}/relationships/{relationship}/plans", 13, 12),
    "API personal meetings": ("worker", "/api/v1/families/{family}/relationships/{relationship}/personal-meetings", 13, 12),
    "API family transfers": ("worker", "/api/v1/families/{family}/transfers", 12, 11),
    "API my deadlines": ("worker", "/api/v1/deadlines", 13, 12),
    "API team deadlines": ("worker", "/api/v1/teams/{team}/deadlines", 15, 14),
    "API team caseload": ("worker", "/api/v1/teams/{team}/caseload", 10, 10),
    "API caseloads": ("manager", "/api/v1/caseloads", 7, 7),
}


def _grow(world, families: int):
    """`families` more families in the team, each discussed with hypotheses, steps and ratings; and
    as many more casework records of world.family (a notification, an assessment, a client plan, a
    personal meeting, a transfer record) for its own lists."""
    rel = world.family.relationships.first()
    for n in range(families):
        day = timezone.localdate() - datetime.timedelta(days=10 + n)
        f.notification(world.family, rel.child, world.worker, received_on=day)
        Assessment.objects.create(county=world.county, family=world.family, child=rel.child, matter_arrived_on=day, started_on=day)
        ClientPlan.objects.create(county=world.county, relationship=rel, made_on=day, meetings_per_year=4, recorded_by=world.worker)
        PersonalMeeting.objects.create(county=world.county, relationship=rel, met_on=day, worker=world.worker)
        InterfaceAssessment.objects.create(
            county=world.county,
            family=world.family,
            from_team=world.other_team,
            to_team=world.team,
            reasoning="Tuen tarve on pitkäkestoinen.",
            joint_meeting_on=day,
            handover_until=day,
            decided_by=world.consultant,
        )
    for n in range(families):
        family = f.family(world.team, f"Perhe{n}", children=2, parents=2, worker=world.worker, parents_worker=world.second_worker)
        item = f.meeting_item(family, world.coordinator, starts_at=timezone.now() - datetime.timedelta(days=7 + n))
        child = family.relationships.first().child
        f.notification(family, child, world.worker)
        f.rating(family, child, 20, rated_on=timezone.localdate() - datetime.timedelta(days=30))
        f.rating(family, child, 24)
        del item


def _urls(world):
    item = f.meeting_item(world.family, world.coordinator)
    child = world.family.relationships.first().child
    f.rating(world.family, child, 22)
    return {
        "team": world.team.pk,
        "family": world.family.pk,
        "meeting": item.meeting_id,
        "item": item.pk,
        "person": child.pk,
        "notification": f.notification(world.family, child, world.worker).pk,
        "relationship": world.family.relationships.first().pk,
    }


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_key_page_makes_its_pinned_number_of_queries_at_two_sizes(world, page):
    persona, template, sqlite, postgresql = PAGES[page]
    ids = _urls(world)
    _grow(world, 1)  # every kind of row present at both sizes, so both take the same paths
    client = Client()
    client.force_login(getattr(world, persona))
    url = template.format(**ids)
    assert client.get(url).status_code == 200  # warm: the session's second factor, the cache
    with assert_query_count(sqlite, postgresql=postgresql, label=f"{page}, small team"):
        assert client.get(url).status_code == 200
    _grow(world, 5)
    with assert_query_count(sqlite, postgresql=postgresql, label=f"{page}, six times the families"):
        assert client.get(url).status_code == 200
