"""The family rule: team members in their roles, the sending team during a handover — and nobody
else, not even a partner professional with the family's consent to share its plan. The list and
the detail answer alike."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from apps.access.models import Handover
from apps.access.permissions import HANDOVER_PERMISSIONS, Perm
from apps.audit.models import AccessLogEntry
from apps.clients.access import family_access, open_family, open_member, open_person, record_of, visible_families
from apps.clients.models import ClientRelationship


def _sees(user, family) -> bool:
    return visible_families(user).filter(pk=family.pk).exists()


def test_members_open_their_teams_family_in_their_roles(world):
    access = open_family(world.coordinator, world.family.pk)
    assert access.role == "coordinator" and access.can(Perm.MEETING_PREPARE) and not access.can(Perm.PHASE_EDIT)
    assert [m.person_id for m in access.members] == list(
        world.family.members.order_by("person__birth_date", "id").values_list("person_id", flat=True)
    )
    assert _sees(world.coordinator, world.family)


def test_outsiders_get_404_and_the_list_hides_the_family_too(world):
    for user in (world.stranger, world.foreigner, world.manager, world.auditor, world.researcher, world.partner_without_consent):
        with pytest.raises(Http404):
            open_family(user, world.family.pk)
        assert not _sees(user, world.family), user.username


def test_read_only_roles_get_403_for_writes(world):
    with pytest.raises(PermissionDenied):
        open_family(world.therapist, world.family.pk, need=Perm.FAMILY_EDIT)


def test_a_partners_consent_never_opens_the_family(world):
    """The consent opens the shared plan (apps/partnership), not the family page, its record or casework."""
    assert world.consent.is_active()
    for need in (Perm.FAMILY_VIEW, Perm.CASEWORK_VIEW, Perm.FAMILY_EDIT):
        with pytest.raises(Http404):
            open_family(world.partner, world.family.pk, need=need)
    assert not _sees(world.partner, world.family)


def test_a_partner_acts_in_no_team_even_with_a_membership(world):
    """An administrator's mistake (a partner made a team member) does not open the team's families."""
    from apps.organisations.models import Membership

    Membership.objects.create(county=world.county, team=world.team, user=world.partner, role="social_worker", started_on="2020-01-01")
    with pytest.raises(Http404):
        open_family(world.partner, world.family.pk)
    assert not _sees(world.partner, world.family)


def test_the_sending_team_reads_during_the_handover_only(world):
    world.family.team = world.other_team
    world.family.save()
    handover = Handover.objects.create(
        county=world.county,
        family=world.family,
        from_team=world.team,
        to_team=world.other_team,
        transferred_on=timezone.localdate() - datetime.timedelta(days=20),
        until=timezone.localdate() + datetime.timedelta(days=14),
        created_by=world.consultant,
    )
    access = open_family(world.worker, world.family.pk)
    assert access.perms == HANDOVER_PERMISSIONS and access.role == "handover" and _sees(world.worker, world.family)
    assert open_family(world.stranger, world.family.pk).can(Perm.FAMILY_EDIT)  # the receiving team
    handover.until = timezone.localdate() - datetime.timedelta(days=1)
    handover.save()
    with pytest.raises(Http404):
        open_family(world.worker, world.family.pk)
    assert not _sees(world.worker, world.family)


def test_records_of_another_family_are_404(world):
    access = open_family(world.worker, world.family.pk)
    own = world.family.relationships.first()
    assert record_of(access, ClientRelationship.objects, own.pk) == own
    for bad in (world.other_family.relationships.first().pk, 999999, "abc", ""):
        with pytest.raises(Http404):
            record_of(access, ClientRelationship.objects, bad)


def test_outside_a_request_each_open_is_logged_at_once(world):
    before = AccessLogEntry.objects.count()
    open_family(world.worker, world.family.pk)
    entries = AccessLogEntry.objects.order_by("id")[before:]
    assert {e.person_id for e in entries} == set(world.family.members.values_list("person_id", flat=True))
    assert {e.view_name for e in entries} == {"system"}


def test_person_and_member_are_opened_through_a_family_and_log_that_person_only(world):
    child = world.family.relationships.first().child
    before = AccessLogEntry.objects.count()
    assert open_person(world.worker, child.pk).resource == child
    assert open_member(world.worker, world.family.pk, child.pk).resource.person == child
    assert set(AccessLogEntry.objects.order_by("id")[before:].values_list("person_id", flat=True)) == {child.pk}
    with pytest.raises(Http404):
        open_member(world.worker, world.other_family.pk, child.pk)
    with pytest.raises(Http404):
        open_person(world.stranger, child.pk)


def test_family_access_without_any_relationship_is_empty(world):
    assert family_access(world.stranger, world.family).perms == frozenset()
