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
    "family page": ("worker", "/families/{family}/", 24, 23),
    "family ratings": ("worker", "/families/{family}/ratings/", 18, 17),
    "family discussions": ("worker", "/families/{family}/discussions/", 14, 13),
    "my deadlines": ("worker", "/deadlines/", 14, 13),
    "team deadlines": ("worker", "/teams/{team}/deadlines/", 16, 15),
    "my steps": ("worker", "/steps/", 5, 5),
    "team meetings": ("coordinator", "/teams/{team}/meetings/", 7, 7),
    "meeting page": ("coordinator", "/meetings/{meeting}/", 23, 22),
    "meeting record": ("coordinator", "/meetings/{meeting}/items/{item}/", 19, 18),
    "team ratings": ("worker", "/teams/{team}/ratings/", 11, 11),
    "team fidelity": ("worker", "/teams/{team}/fidelity/", 20, 20),
    "team fidelity by quarter": ("worker", "/teams/{team}/fidelity/quarters/", 117, 117),
    "records behind an indicator": ("worker", "/teams/{team}/fidelity/records/hypotheses/", 20, 20),
    "team's own targets": ("consultant", "/teams/{team}/fidelity/targets/", 6, 6),
    "team caseload": ("worker", "/teams/{team}/caseload/", 10, 10),
    "caseload overview": ("manager", "/caseloads/", 7, 7),
    "county report": ("manager", "/evaluation/county/", 6, 6),
    "effectiveness": ("manager", "/evaluation/effectiveness/", 5, 5),
    "placement prices": ("manager", "/evaluation/placement-costs/", 4, 4),
    "wellbeing pulse": ("worker", "/pulse/", 6, 6),
    "team report": ("worker", "/teams/{team}/report/", 35, 35),
    "regional training plan": ("manager", "/training/", 10, 10),
    "API team fidelity": ("worker", "/api/v1/teams/{team}/fidelity", 19, 19),
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
    "API my deadlines": ("worker", "/api/v1/deadlines", 14, 13),
    "API team deadlines": ("worker", "/api/v1/teams/{team}/deadlines", 16, 15),
    "API team caseload": ("worker", "/api/v1/teams/{team}/caseload", 10, 10),
    "API caseloads": ("manager", "/api/v1/caseloads", 7, 7),
    "genogram": ("worker", "/families/{family}/genogram/", 17, 16),
    "genogram editor": ("worker", "/families/{family}/genogram/edit/", 20, 19),
    "genogram SVG": ("worker", "/families/{family}/genogram.svg", 16, 15),
    "ecomaps": ("worker", "/families/{family}/ecomaps/", 13, 12),
    "ecomap": ("worker", "/families/{family}/ecomaps/{ecomap}/", 14, 13),
    "ecomap comparison": ("worker", "/families/{family}/ecomaps/compare/", 14, 13),
    "API genogram": ("worker", "/api/v1/families/{family}/genogram", 17, 16),
    "API ecomaps": ("worker", "/api/v1/families/{family}/ecomaps", 12, 11),
    "shared plan": ("worker", "/families/{family}/plan/", 18, 17),
    "shared plan versions": ("worker", "/families/{family}/plan/versions/", 13, 12),
    "consents": ("worker", "/families/{family}/consents/", 15, 14),
    "partner's home": ("partner", "/partner/", 11, 10),
    "partner's view of the plan": ("partner", "/partner/plans/{plan}/", 21, 19),
    "partner's view of the ecomap": ("partner", "/partner/families/{family}/ecomap/", 18, 16),
    "API partner's view of the ecomap": ("partner", "/api/v1/partner/families/{family}/ecomap", 18, 16),
    "joint assessment": ("worker", "/families/{family}/joint-assessments/{joint}/", 14, 13),
    "API shared plan": ("worker", "/api/v1/families/{family}/shared-plan", 15, 14),
    "API partner's view of the plan": ("partner", "/api/v1/partner/plans/{plan}", 20, 18),
    "peer group": ("worker", "/teams/{team}/peer-groups/{peer_group}/", 24, 23),
    "peer groups": ("worker", "/teams/{team}/peer-groups/", 6, 6),
    "API joint assessment": ("worker", "/api/v1/families/{family}/joint-assessments/{joint}", 13, 12),
}


def _grow(world, families: int):
    """`families` more families in the team, each discussed with hypotheses, steps and ratings; and
    as many more casework records of world.family (a notification, an assessment, a client plan, a
    personal meeting, a transfer record) for its own lists, and as many more relatives,
    relationships and ecomap ties in world.family's drawings."""
    from apps.network import services as network

    drawn = getattr(world, "_drawn", None)
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
        if drawn is not None:
            access, ecomap, anchor = drawn
            relative = network.person_add(access=access, name=f"Sukulainen {n}", sex="male", birth_year=1940 + n)
            network.relationship_add(access=access, first=anchor, second=relative, quality="distant")
            network.tie_add(access=access, ecomap=ecomap, name=f"Ystävä {n}", sector="friends", ring=1 + n % 3)
        family = f.family(world.team, f"Perhe{n}", children=2, parents=2, worker=world.worker, parents_worker=world.second_worker)
        item = f.meeting_item(family, world.coordinator, starts_at=timezone.now() - datetime.timedelta(days=7 + n))
        child = family.relationships.first().child
        f.notification(family, child, world.worker)
        f.rating(family, child, 20, rated_on=timezone.localdate() - datetime.timedelta(days=30))
        f.rating(family, child, 24)
        # Each family consents to world.partner and has a plan; world.family's plan grows a step for
        # each partner and team member, a version and a consent (the partner's and its own pages).
        f.consent(family, world.partner, world.worker)
        f.shared_step(family, world.partner, world.worker)
        f.shared_step(world.family, world.partner, world.worker, what=f"Kumppanin askel {n}")
        f.shared_step(world.family, world.worker, world.worker, what=f"Tiimin askel {n}")
        f.consent(world.family, f.partner(world.county), world.worker)
        _new_version(world, f"Tavoite {n}")
        _answer(world, family)
        _peer_growth(world, family, n)
        del item


def _drawn(world):
    """world.family's genogram, with a relative, a partnership, a household and a relationship."""
    from apps.network import services as network
    from apps.network.access import open_network
    from apps.network.models import GenogramPerson

    access = open_network(world.worker, world.family.pk, need="network.edit")
    network.genogram_draft(access=access)
    people = list(GenogramPerson.objects.filter(family=world.family).order_by("id"))
    grandma = network.person_add(access=access, name="Mummo", sex="female", birth_year=1950)
    network.child_add(access=access, child=people[0], parents=[grandma])
    network.household_add(access=access, name="Koti", members=people[:2])
    network.relationship_add(access=access, first=people[-1], second=grandma, quality="close")
    child = people[-1].person
    earlier = network.ecomap_create(access=access, drawn_on=timezone.localdate() - datetime.timedelta(days=60), viewpoint="worker")
    network.tie_add(access=access, ecomap=earlier, service="school", name="3B")
    ecomap = network.ecomap_create(access=access, drawn_on=timezone.localdate(), viewpoint="child", viewpoint_person=child, centre=child)
    network.tie_add(access=access, ecomap=ecomap, relative=grandma, ring=1)
    world._drawn = (access, ecomap, people[-1])
    return ecomap


def _new_version(world, goals):
    from apps.partnership import services
    from apps.partnership.access import open_shared_plan

    access = open_shared_plan(world.worker, family_id=world.family.pk)
    services.plan_save(access=access, base_version=access.resource.version, goals=goals, partner_parts={world.partner.pk: goals})


def _answer(world, family):
    """One more answer in world.family's joint assessment (a team member's), and one in `family`'s."""
    from apps.clients.access import family_access
    from apps.partnership import services
    from apps.partnership.models import JointAssessment

    joint = JointAssessment.objects.filter(family=world.family).first()
    member = f.member(world.team, "social_instructor")
    services.joint_answer_record(
        access=family_access(world.worker, world.family), assessment=joint, marks={"health": 3}, words={"health": "x"}, user=member
    )
    f.joint_assessment(family, world.worker, answers=[(world.worker, {"safety": 2})])


def _peer_growth(world, family, n):
    """The team's experts group gains the family's parent: invited, at a meeting, credited with a contribution."""
    from apps.partnership.models import PeerContribution, PeerContributor, PeerGroup, PeerGroupMember, PeerMeeting

    group = PeerGroup.objects.filter(team=world.team).first()
    if group is None:
        return
    today = timezone.localdate()
    parent = family.members.exclude(relation="child").first()
    member = PeerGroupMember.objects.create(
        group=group, member=parent, contact=f"k{n}@example.org", contact_consent_on=today, invited_on=today, invited_by=world.worker
    )
    meeting = PeerMeeting.objects.create(
        group=group, held_on=today - datetime.timedelta(days=n), topic=f"Aihe {n}", recorded_by=world.worker
    )
    meeting.attendees.set(group.members.all())
    contribution = PeerContribution.objects.create(
        group=group, made_on=today, purpose=f"Kehitys {n}", text="Omin sanoin", recorded_by=world.worker
    )
    PeerContributor.objects.create(contribution=contribution, member=member, named=n % 2 == 0)


def _urls(world):
    ecomap = _drawn(world)
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
        "ecomap": ecomap.pk,
        "plan": world.consent.family.shared_plan.pk,
        "joint": f.joint_assessment(world.family, world.worker, answers=[(world.worker, {"safety": 4})])[0].pk,
        "peer_group": f.peer_group(world.team, world.worker, members=[world.family.members.exclude(relation="child").first()]).pk,
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
