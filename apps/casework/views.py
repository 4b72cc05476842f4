"""Notifications, decisions, assessments and the deadline lists."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.access import gate
from apps.access.permissions import Perm
from apps.clients import selectors as client_selectors
from apps.clients.access import open_family, record_of, visible_families
from apps.clients.models import ClientRelationship
from apps.core.flow import saved
from apps.core.marks import changes_personal_data, own_work_list, personal_data

from . import deadlines, services
from .forms import (
    AssessmentCompleteForm,
    ClientPlanForm,
    DecisionForm,
    InformNotifierForm,
    NotificationForm,
    PersonalMeetingForm,
    TransferForm,
)
from .models import Assessment, Notification
from .rules import DeadlineKind, rule_for


@own_work_list
@login_required
@require_safe
def my_deadlines(request):
    access = gate.own_work(request.user)
    items = deadlines.deadlines(visible_families(request.user), worker=request.user)
    access.families_listed(d.family_id for d in items)
    return render(request, "casework/my_deadlines.html", {"deadlines": items, "today": timezone.localdate()})


@personal_data
@login_required
@require_safe
def team_deadlines(request, team_id):
    access = gate.open_team(request.user, team_id)
    team = access.team
    ids = deadlines.family_ids(visible_families(request.user).filter(team=team))
    items = deadlines.deadlines(ids)
    owed = deadlines.notifier_replies_owed(ids)
    access.families_listed({d.family_id for d in items if d.overdue or d.due_soon} | {n.family_id for n in owed})
    context = {
        "team": team,
        "overdue": [d for d in items if d.overdue],
        "due_soon": [d for d in items if d.due_soon],
        "owed": owed,
    }
    return render(request, "casework/team_deadlines.html", context)


@personal_data
@login_required
def notification_create(request, family_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    family = access.family
    form = NotificationForm(request.POST or None, family=family, caseworkers=client_selectors.caseworkers(family.team))

    def call():
        data = dict(form.cleaned_data)
        return services.notification_register(
            access=access, child=data.pop("child"), responsible_worker=data.pop("responsible_worker"), **data
        )

    if n := saved(request, form, call, _("Ilmoitus kirjattu.")):
        return redirect("notification-detail", family_id=family.pk, notification_id=n.pk)
    return render(request, "casework/notification_form.html", {"form": form, "family": family})


def _notification(access, notification_id) -> Notification:
    return record_of(access, Notification.objects.select_related("child", "decided_by"), notification_id)


def _notification_page(request, access, n, *, decision_form=None, inform_form=None):
    history = (
        Notification.objects.filter(child=n.child, family__in=visible_families(request.user)).exclude(pk=n.pk).order_by("-received_on")
    )
    rule = rule_for(DeadlineKind.INVESTIGATION_DECISION, n.received_on)
    context = {
        "family": access.family,
        "n": n,
        "history": history,
        "rule": rule,
        "decision_due": rule.due(n.received_on),
        "decision_form": decision_form or DecisionForm(),
        "inform_form": inform_form or InformNotifierForm(),
        "can_edit": access.can(Perm.PHASE_EDIT),
    }
    return render(request, "casework/notification_detail.html", context)


@personal_data
@login_required
@require_safe
def notification_detail(request, family_id, notification_id):
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    return _notification_page(request, access, _notification(access, notification_id))


@changes_personal_data
@login_required
@require_POST
def notification_decide(request, family_id, notification_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    n = _notification(access, notification_id)
    form = DecisionForm(request.POST)
    call = lambda: services.notification_decide(access=access, notification=n, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Päätös kirjattu.")):
        return redirect("notification-detail", family_id=family_id, notification_id=n.pk)
    return _notification_page(request, access, n, decision_form=form)


@changes_personal_data
@login_required
@require_POST
def notification_inform(request, family_id, notification_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    n = _notification(access, notification_id)
    form = InformNotifierForm(request.POST)
    call = lambda: services.notification_inform_notifier(access=access, notification=n, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Ilmoittajalle kertominen kirjattu.")):
        return redirect("notification-detail", family_id=family_id, notification_id=n.pk)
    return _notification_page(request, access, n, inform_form=form)


@personal_data
@login_required
def assessment_complete(request, family_id, assessment_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    assessment = record_of(access, Assessment.objects.select_related("child"), assessment_id)
    form = AssessmentCompleteForm(request.POST or None)
    call = lambda: services.assessment_complete(access=access, assessment=assessment, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Arviointi merkitty valmiiksi.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "casework/assessment_form.html", {"form": form, "family": access.family, "assessment": assessment})


def _relationship_form_page(request, family_id, relationship_id, *, form_class, service, message, title):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    rel = record_of(access, ClientRelationship.objects.select_related("child"), relationship_id)
    form = form_class(request.POST or None)
    call = lambda: service(access=access, relationship=rel, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, message):
        return redirect("family-detail", family_id=family_id)
    context = {"form": form, "family": access.family, "relationship": rel, "title": title}
    return render(request, "casework/relationship_record_form.html", context)


@personal_data
@login_required
def client_plan_create(request, family_id, relationship_id):
    return _relationship_form_page(
        request,
        family_id,
        relationship_id,
        form_class=ClientPlanForm,
        service=services.client_plan_record,
        message=_("Asiakassuunnitelma kirjattu."),
        title=_("Kirjaa asiakassuunnitelma"),
    )


@personal_data
@login_required
def personal_meeting_create(request, family_id, relationship_id):
    return _relationship_form_page(
        request,
        family_id,
        relationship_id,
        form_class=PersonalMeetingForm,
        service=services.personal_meeting_record,
        message=_("Tapaaminen kirjattu."),
        title=_("Kirjaa henkilökohtainen tapaaminen"),
    )


@personal_data
@login_required
def family_transfer(request, family_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    form = TransferForm(request.POST or None, family=access.family)
    call = lambda: services.family_transfer(access=access, **form.cleaned_data)  # noqa: E731
    if done := saved(request, form, call, lambda a: _("Perhe siirretty tiimiin %(team)s.") % {"team": a.to_team.name}):
        return redirect("family-detail", family_id=family_id) if done.handover_until >= timezone.localdate() else redirect("home")
    return render(request, "casework/transfer_form.html", {"form": form, "family": access.family})
