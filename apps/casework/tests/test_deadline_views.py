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
