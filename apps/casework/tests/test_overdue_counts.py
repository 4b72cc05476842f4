"""The county report counts overdue deadlines from lean rows: it must agree with the deadline list."""

import datetime
from collections import Counter

from django.utils import timezone

from apps.casework.deadlines import deadlines, overdue_counts
from apps.casework.models import ClientPlan, PersonalMeeting
from apps.clients.models import Family, Phase, PhaseEvent
from tests import factories as f


def _listed(families, today):
    team_of = dict(Family.objects.values_list("id", "team_id"))
    return dict(Counter(team_of[d.family_id] for d in deadlines(families, today=today) if d.overdue))


def test_overdue_counts_agree_with_the_deadline_list_on_every_source(world):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=200)
    rels = list(world.family.relationships.all())
    f.notification(world.family, rels[0].child, world.worker, received_on=old)  # decision overdue
    f.notification(world.other_family, world.other_family.relationships.first().child, world.stranger, received_on=today)  # not yet
    f.assessment(world.family, rels[1].child, world.worker, started_on=old)  # assessment overdue
    ClientPlan.objects.create(
        county=world.county, relationship=rels[0], made_on=today - datetime.timedelta(days=400), recorded_by=world.worker
    )
    placed = rels[1]
    PhaseEvent.objects.create(county=world.county, relationship=placed, phase=Phase.CARE_ORDER, started_on=old)
    placed.current_phase = Phase.CARE_ORDER
    placed.save(update_fields=["current_phase"])
    ClientPlan.objects.create(county=world.county, relationship=placed, made_on=old, meetings_per_year=4, recorded_by=world.worker)
    PersonalMeeting.objects.create(county=world.county, relationship=placed, met_on=old, worker=world.worker)
    after = f.family(world.other_team, "Jälkihuolto", children=1, parents=0, worker=world.stranger)
    young = after.relationships.get()
    young.current_phase = Phase.AFTER_CARE
    young.save(update_fields=["current_phase"])
    young.child.birth_date = datetime.date(1990, 1, 1)
    young.child.save(update_fields=["birth_date"])
    families = Family.objects.filter(county=world.county)
    for day in (today, today - datetime.timedelta(days=150), today + datetime.timedelta(days=100)):
        counted = overdue_counts(families, today=day)
        assert counted == _listed(families, day), day
    assert overdue_counts(families, today=today)[world.team.pk] >= 4
