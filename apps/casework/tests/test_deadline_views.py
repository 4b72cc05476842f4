def test_deadlines_computed_for_another_day_judge_overdue_on_that_day(world):
    import datetime

    from django.utils import timezone

    from apps.casework.deadlines import deadlines
    from apps.clients.models import Family
    from tests import factories as f

    child = world.family.relationships.first().child
    f.notification(world.family, child, world.worker, received_on=timezone.localdate() - datetime.timedelta(days=2))
    families = Family.objects.filter(pk=world.family.pk)
    decision = next(d for d in deadlines(families) if d.kind == "investigation_decision")
    assert not decision.overdue
    later = next(d for d in deadlines(families, today=decision.due_on + datetime.timedelta(days=1)) if d.kind == "investigation_decision")
    assert later.overdue and later.days_left() == -1


def test_a_child_placed_after_an_open_care_plan_without_meeting_frequency_needs_a_new_plan(world):
    import datetime

    from django.utils import timezone

    from apps.casework.calendar import is_working_day
    from apps.casework.deadlines import deadlines
    from apps.casework.models import ClientPlan
    from apps.clients.models import Family, Phase, PhaseEvent

    rel = world.family.relationships.first()
    today = timezone.localdate()
    ClientPlan.objects.create(county=world.county, relationship=rel, made_on=today - datetime.timedelta(days=40), recorded_by=world.worker)
    families = Family.objects.filter(pk=world.family.pk)
    kinds = lambda: [(d.kind, d.due_on) for d in deadlines(families) if d.child_name == rel.child.full_name]  # noqa: E731
    assert "client_plan" not in [k for k, _ in kinds()]
    # A working day: a placement on a weekend is due on the working day before it (the rules' own test).
    placed_on = next(d for d in (today - datetime.timedelta(days=n) for n in range(10, 20)) if is_working_day(d))
    PhaseEvent.objects.create(county=world.county, relationship=rel, phase=Phase.EMERGENCY_PLACEMENT, started_on=placed_on)
    rel.current_phase = Phase.EMERGENCY_PLACEMENT
    rel.save(update_fields=["current_phase"])
    assert ("client_plan", placed_on) in kinds()
    ClientPlan.objects.create(county=world.county, relationship=rel, made_on=today, meetings_per_year=12, recorded_by=world.worker)
    assert "client_plan" not in [k for k, _ in kinds()] and "placed_child_meeting" in [k for k, _ in kinds()]


def test_an_assessment_deadline_names_the_childs_responsible_worker_on_every_list(client, world):
    from apps.casework.deadlines import deadlines
    from apps.clients.models import Family
    from tests import factories as f

    rel = world.family.relationships.first()
    f.assessment(world.family, rel.child, world.worker)
    row = next(d for d in deadlines(Family.objects.filter(pk=world.family.pk)) if d.kind == "assessment_completion")
    assert row.worker_name == rel.responsible_worker.get_full_name()
    client.force_login(rel.responsible_worker)
    body = client.get("/deadlines/").content.decode()
    row_html = body[body.index("Palvelutarpeen arviointi") :].split("</tr>")[0]
    assert rel.responsible_worker.get_full_name() in row_html
