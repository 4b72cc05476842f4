"""The access core: who the caller is, what they may do with a team, and the organisation rule.

Deny by default everywhere: no county, no active membership, no scope — nothing.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from apps.access import gate
from apps.access.caller import Caller, caller_of
from apps.access.permissions import Perm
from apps.accounts.models import OrgRole
from apps.organisations.models import TeamRole
from tests import factories as f


def test_a_caller_is_their_active_memberships_in_their_own_county(world):
    caller = Caller(world.consultant)
    assert caller.team_roles == {world.team.pk: frozenset({TeamRole.CONSULTANT})}
    # Two roles in two teams, and another county's team never counts.
    world.other_team.memberships.create(county=world.county, user=world.consultant, role=TeamRole.COORDINATOR)
    assert Caller(world.consultant).team_roles == {
        world.team.pk: frozenset({TeamRole.CONSULTANT}),
        world.other_team.pk: frozenset({TeamRole.COORDINATOR}),
    }
    world.worker.memberships.update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    assert Caller(world.worker).team_roles == {}
    future = f.user(world.county, "tuleva")
    world.team.memberships.create(
        county=world.county, user=future, role=TeamRole.SOCIAL_WORKER, started_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert Caller(future).team_roles == {}


def test_nobody_without_a_county_or_an_active_account_is_a_professional(world):
    world.worker.is_active = False
    assert not Caller(world.worker).is_professional and Caller(world.worker).team_roles == {}
    homeless = f.user(None, "ilman_aluetta")
    assert not Caller(homeless).is_professional
    from django.contrib.auth.models import AnonymousUser

    assert not Caller(AnonymousUser()).is_professional


def test_manager_scope_is_the_county_or_the_managed_unit(world):
    assert Caller(world.manager).managed_team_ids == {world.team.pk, world.other_team.pk}
    assert Caller(world.unit_manager).managed_team_ids == {world.team.pk, world.other_team.pk}
    assert Caller(world.other_unit_manager).managed_team_ids == frozenset()
    # Only managers oversee: an auditor or a worker oversees nothing.
    assert Caller(world.auditor).managed_team_ids == frozenset() and Caller(world.worker).managed_team_ids == frozenset()


def test_team_perms_for_members_managers_and_strangers(world):
    perms, role = gate.team_perms(Caller(world.coordinator), world.team.pk)
    assert {Perm.TEAM_VIEW, Perm.MEETING_PREPARE, Perm.TEAM_AGGREGATE} <= perms and role == TeamRole.COORDINATOR
    perms, role = gate.team_perms(Caller(world.therapist), world.team.pk)
    assert Perm.FAMILY_EDIT not in perms and Perm.MEETING_RECORD not in perms
    perms, role = gate.team_perms(Caller(world.unit_manager), world.team.pk)
    assert perms == {Perm.TEAM_AGGREGATE, Perm.CASELOAD_AGGREGATE, Perm.EVALUATION_VIEW} and role == OrgRole.MANAGER
    assert gate.team_perms(Caller(world.other_unit_manager), world.team.pk) == (frozenset(), "")
    assert gate.team_perms(Caller(world.stranger), world.team.pk)[0] == frozenset()


def test_open_team_refuses_strangers_with_404_and_members_without_the_permission_with_403(world):
    assert gate.open_team(world.worker, world.team.pk).team == world.team
    with pytest.raises(PermissionDenied):
        gate.open_team(world.therapist, world.team.pk, need=Perm.FAMILY_EDIT)
    for outsider in (world.stranger, world.foreigner, world.auditor, world.partner):
        with pytest.raises(Http404):
            gate.open_team(outsider, world.team.pk)
    # Managers see counts, never the team's own pages.
    with pytest.raises(Http404):
        gate.open_team(world.manager, world.team.pk)
    assert gate.open_team(world.manager, world.team.pk, need=Perm.TEAM_AGGREGATE).purpose == gate.PURPOSE_AGGREGATE
    with pytest.raises(Http404):
        gate.open_team(world.other_unit_manager, world.team.pk, need=Perm.TEAM_AGGREGATE)
    # Another county's team does not exist for the caller.
    with pytest.raises(Http404):
        gate.open_team(world.foreigner, world.team.pk, need=Perm.TEAM_AGGREGATE)
    with pytest.raises(Http404):
        gate.open_team(world.worker, 999999)


def test_open_organisation_is_by_organisation_role_only(world):
    assert gate.open_organisation(world.auditor, Perm.AUDIT_LOG_VIEW).purpose == gate.PURPOSE_AUDIT
    assert gate.open_organisation(world.researcher, Perm.RESEARCH_EXPORT).role == OrgRole.RESEARCHER
    for user, perm in (
        (world.worker, Perm.AUDIT_LOG_VIEW),
        (world.manager, Perm.RESEARCH_EXPORT),
        (world.auditor, Perm.CASELOAD_AGGREGATE),
    ):
        with pytest.raises(Http404):
            gate.open_organisation(user, perm)
    world.auditor.county = None
    with pytest.raises(Http404):
        gate.open_organisation(world.auditor, Perm.AUDIT_LOG_VIEW)


def test_access_require_and_can(world):
    access = gate.open_team(world.therapist, world.team.pk)
    assert access.can(Perm.TEAM_VIEW) and not access.can(Perm.MEETING_RECORD)
    assert access.require(Perm.TEAM_VIEW) is access
    with pytest.raises(PermissionDenied):
        access.require(Perm.MEETING_RECORD)


def test_own_work_is_logged_in_the_callers_team_roles(world):
    from django.contrib.auth.models import AnonymousUser

    assert gate.own_work(world.consultant).role == TeamRole.CONSULTANT
    world.other_team.memberships.create(county=world.county, user=world.consultant, role=TeamRole.COORDINATOR)
    assert gate.own_work(world.consultant).role == "consultant,coordinator"
    with pytest.raises(Http404):
        gate.own_work(AnonymousUser())


def test_the_request_user_is_read_once_per_request_other_users_afresh(rf, world):
    from apps.audit.ledger import LedgerMiddleware

    seen = []

    def view(request):
        seen.append((caller_of(request.user), caller_of(request.user), caller_of(world.worker)))
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/")
    request.user = world.consultant
    LedgerMiddleware(view)(request)
    first, second, other = seen[0]
    assert first is second and other is not first
    assert caller_of(world.consultant) is not first  # outside the request: read afresh
