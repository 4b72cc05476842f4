"""The demo's family social work team and its transfers both ways with the systemic teams: the
records the transfer service writes, and what each team then sees."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.access.models import Handover
from apps.audit.models import AccessLogEntry
from apps.casework.calendar import is_working_day
from apps.casework.models import InterfaceAssessment
from apps.clients.models import ClientRelationship, PhaseEvent, ResponsibilityPeriod
from apps.demo.generate import generate
from apps.evaluation.selectors import county_report
from apps.evaluation.targets import Status
from apps.organisations.models import County, Membership, Team, TeamKind, TeamRole

TODAY = datetime.date(2026, 3, 31)
TZ = ZoneInfo("Europe/Helsinki")
NOON = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=TZ)
SOCIAL = TeamKind.FAMILY_SOCIAL_WORK


@pytest.fixture
def team_demo(db):
    return generate("team", 1, TODAY)


def _members(team) -> set[int]:
    return set(Membership.objects.filter(team=team).values_list("user_id", flat=True))


def test_each_county_has_a_family_social_work_team_with_transfers_both_ways(team_demo):
    for county in County.objects.all():
        team = Team.objects.get(county=county, kind=SOCIAL)
        roles = Counter(Membership.objects.filter(team=team).values_list("role", flat=True))
        assert roles[TeamRole.SOCIAL_WORKER] in (3, 4) and roles[TeamRole.SOCIAL_INSTRUCTOR] == 1
        assert not roles[TeamRole.CONSULTANT] and not roles[TeamRole.COORDINATOR] and not roles[TeamRole.FAMILY_THERAPIST]
        assert team.families.count() >= 20
        into_social = InterfaceAssessment.objects.filter(county=county, to_team=team, from_team__kind=TeamKind.SYSTEMIC)
        into_protection = InterfaceAssessment.objects.filter(county=county, from_team=team, to_team__kind=TeamKind.SYSTEMIC)
        assert into_social.exists() and into_protection.exists()

        for ia in InterfaceAssessment.objects.filter(county=county).select_related("family"):
            day = ia.decided_at.astimezone(TZ).date()
            assert is_working_day(day) and 8 <= ia.decided_at.astimezone(TZ).hour < 17  # in office hours
            # The same records family_transfer writes: the assessment, the handover, the new team.
            handover = Handover.objects.get(family=ia.family)
            assert (handover.from_team_id, handover.to_team_id, handover.transferred_on, handover.until, handover.created_by_id) == (
                ia.from_team_id,
                ia.to_team_id,
                day,
                ia.handover_until,
                ia.decided_by_id,
            )
            assert ia.family.team_id == ia.to_team_id and ia.family.parents_worker_id in _members(ia.to_team)
            assert ia.decided_by_id in _members(ia.from_team) and ia.criteria and ia.reasoning and ia.joint_meeting_on <= day
            assert ia.family_agreed or ia.family_view
            # The service logs the transfer once for every family member, as the decider.
            logged = AccessLogEntry.objects.filter(view_name="family-transfer", family_id=ia.family_id)
            assert set(logged.values_list("actor_id", "at")) == {(ia.decided_by_id, ia.decided_at)}
            assert set(logged.values_list("person_id", flat=True)) == set(ia.family.members.values_list("person_id", flat=True))
            # The sending team reads the family only while it held it, and after that only in the handover window.
            sender_reads = AccessLogEntry.objects.filter(family_id=ia.family_id, actor_id__in=_members(ia.from_team))
            for at, purpose, role in sender_reads.values_list("at", "purpose", "actor_role"):
                if at > ia.decided_at:
                    assert (purpose, role) == ("handover", "handover") and at.astimezone(TZ).date() <= ia.handover_until
            receiver_reads = AccessLogEntry.objects.filter(family_id=ia.family_id, actor_id__in=_members(ia.to_team))
            assert all(at.astimezone(TZ).date() >= day for at in receiver_reads.values_list("at", flat=True))

        for ia in into_social:
            # Child protection ended that day or just before (a weekend); the closed relationships stay as they were.
            day = ia.decided_at.astimezone(TZ).date()
            rels = ClientRelationship.objects.filter(family=ia.family)
            closed_on = max(r.closed_on for r in rels)
            assert not rels.filter(closed_on__isnull=True).exists() and closed_on <= day <= closed_on + datetime.timedelta(days=4)
            notes = PhaseEvent.objects.filter(relationship__in=rels, phase="closed", started_on=closed_on).values_list("note", flat=True)
            assert notes and all("perhesosiaalityö" in note for note in notes)
        for ia in into_protection:
            # The assessment found a need for child protection; the open relationships passed on that day.
            day = ia.decided_at.astimezone(TZ).date()
            for rel in ClientRelationship.objects.filter(family=ia.family):
                assert rel.closed_on is None and rel.current_phase == "open_care" and rel.responsible_worker_id in _members(ia.to_team)
                periods = list(ResponsibilityPeriod.objects.filter(relationship=rel).order_by("started_on"))
                assert periods[-1].started_on == day and periods[-1].worker_id == rel.responsible_worker_id
                assert periods[-2].ended_on == day - datetime.timedelta(days=1) and periods[-2].worker_id in _members(ia.from_team)
            assert ia.family.assessments.filter(completed_on__lte=day, outcome="child_protection").exists()


def test_each_team_sees_a_transferred_family_as_the_transfer_rules_say(team_demo, client):
    social = Team.objects.get(kind=SOCIAL)
    # Into child protection lately: the handover still runs, so the family social work team reads it.
    recent = InterfaceAssessment.objects.filter(from_team=social, handover_until__gte=TODAY).select_related("family").first()
    # Into family social work long ago: the systemic team's handover is over.
    earlier = InterfaceAssessment.objects.filter(to_team=social, handover_until__lt=TODAY).select_related("family").first()
    assert recent and earlier
    social_worker = Membership.objects.filter(team=social, role=TeamRole.SOCIAL_WORKER).order_by("user__username").first().user
    assert social_worker.username == "perhesos-sosiaalityontekija1"
    with time_machine.travel(NOON, tick=False):
        # The receiving systemic worker has the family and may edit it.
        client.force_login(recent.family.parents_worker)
        page = client.get(f"/families/{recent.family_id}/")
        assert page.status_code == 200 and f"{social.name} → {recent.to_team.name}" in page.content.decode()
        assert client.get(f"/families/{recent.family_id}/edit/").status_code == 200
        # The family social worker reads it in the handover window, with the banner, and may not change it.
        client.force_login(social_worker)
        page = client.get(f"/families/{recent.family_id}/")
        assert page.status_code == 200 and "lukuoikeus siirtymäajan" in page.content.decode()
        assert client.get(f"/families/{recent.family_id}/edit/").status_code == 403
        # The family that came from child protection is the team's own: full access, and the history shows where from.
        page = client.get(f"/families/{earlier.family_id}/")
        assert page.status_code == 200 and f"{earlier.from_team.name} → {social.name}" in page.content.decode()
        assert "lukuoikeus siirtymäajan" not in page.content.decode()
        assert client.get(f"/families/{earlier.family_id}/edit/").status_code == 200
        # Its former systemic team no longer sees it at all once the handover has ended.
        client.force_login(earlier.decided_by)
        assert client.get(f"/families/{earlier.family_id}/").status_code == 404
        # The team's own pages work for it as for any team: its families, deadlines and caseloads.
        client.force_login(social_worker)
        team_page = client.get(f"/teams/{social.pk}/").content.decode()
        assert earlier.family.name in team_page and recent.family.name not in team_page
        for url in ("/deadlines/", f"/teams/{social.pk}/deadlines/", f"/teams/{social.pk}/caseload/"):
            assert client.get(url).status_code == 200, url


def test_the_county_report_keeps_family_social_work_apart_from_systemic_and_comparison_teams(team_demo):
    county = County.objects.get()
    report = county_report(county.pk, today=TODAY)
    assert {k.kind: k.teams for k in report.kinds} == {TeamKind.SYSTEMIC: 1, SOCIAL: 1}
    row = next(r for r in report.teams if r.team.kind == SOCIAL)
    # The systemic model's practices (weekly meetings, a consultant in the chair) are not judged on it.
    practices = {i.target.key: i for i in row.fidelity.indicators if i.target.model_practice}
    assert practices["meetings_held"].status == Status.NOT_APPLICABLE
    assert practices["meetings_held"].status_label == "koskee vain systeemisiä tiimejä"
    assert all(i.status in (Status.NOT_APPLICABLE, Status.NO_DATA) for i in practices.values())
