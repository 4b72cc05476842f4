"""Notifications, decisions, assessments and the deadline lists."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import gate
from apps.access.permissions import Perm
from apps.clients import selectors as client_selectors
from apps.clients.models import ClientRelationship
from apps.core.flow import saved
from apps.core.marks import own_work_list, personal_data

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
def my_deadlines(request):
    items = deadlines.deadlines(gate.visible_families(request.user), worker=request.user)
    gate.log_family_ids(request.user, {d.family_id for d in items}, role="worker", view_name="my-deadlines")
    return render(request, "casework/my_deadlines.html", {"deadlines": items, "today": timezone.localdate()})


@personal_data
@login_required
def team_deadlines(request, team_id):
    team, _perms, role = gate.get_team(request.user, team_id)
    ids = deadlines.family_ids(gate.visible_families(request.user).filter(team=team))
    items = deadlines.deadlines(ids)
    owed = deadlines.notifier_replies_owed(ids)
    shown = {d.family_id for d in items if d.overdue or d.due_soon} | {n.family_id for n in owed}
    gate.log_family_ids(request.user, shown, role=role, view_name="team-deadlines")
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
    access = gate.get_family(request.user, family_id, view_name="notification-create", need=Perm.PHASE_EDIT)
    family = access.family
    form = NotificationForm(request.POST or None, family=family, caseworkers=client_selectors.caseworkers(family.team))

    def call():
        data = dict(form.cleaned_data)
        return services.notification_register(
            actor=request.user, access=access, child=data.pop("child"), responsible_worker=data.pop("responsible_worker"), **data
        )

    if n := saved(request, form, call, _("Ilmoitus kirjattu.")):
        return redirect("notification-detail", family_id=family.pk, notification_id=n.pk)
    return render(request, "casework/notification_form.html", {"form": form, "family": family})


def _notification(access, notification_id) -> Notification:
    n = Notification.objects.filter(family=access.family, pk=notification_id).select_related("child", "decided_by").first()
    if n is None:
        raise Http404
    return n


@personal_data
@login_required
def notification_detail(request, family_id, notification_id):
    access = gate.get_family(request.user, family_id, view_name="notification-detail", need=Perm.CASEWORK_VIEW)
    n = _notification(access, notification_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not access.can(Perm.PHASE_EDIT):
        raise PermissionDenied
    decision_form = DecisionForm(request.POST if action == "decide" else None)
    inform_form = InformNotifierForm(request.POST if action == "inform" else None)
    if action == "decide" and saved(
        request,
        decision_form,
        lambda: services.notification_decide(actor=request.user, access=access, notification=n, **decision_form.cleaned_data),
        _("Päätös kirjattu."),
    ):
        return redirect("notification-detail", family_id=family_id, notification_id=n.pk)
    if action == "inform" and saved(
        request,
        inform_form,
        lambda: services.notification_inform_notifier(actor=request.user, access=access, notification=n, **inform_form.cleaned_data),
        _("Ilmoittajalle kertominen kirjattu."),
    ):
        return redirect("notification-detail", family_id=family_id, notification_id=n.pk)
    history = (
        Notification.objects.filter(child=n.child, family__in=gate.visible_families(request.user)).exclude(pk=n.pk).order_by("-received_on")
    )

    rule = rule_for(DeadlineKind.INVESTIGATION_DECISION, n.received_on)
    context = {
        "family": access.family,
        "n": n,
        "history": history,
        "rule": rule,
        "decision_due": rule.due(n.received_on),
        "decision_form": decision_form,
        "inform_form": inform_form,
        "can_edit": access.can(Perm.PHASE_EDIT),
    }
    return render(request, "casework/notification_detail.html", context)


@personal_data
@login_required
def assessment_complete(request, family_id, assessment_id):
    access = gate.get_family(request.user, family_id, view_name="assessment-complete", need=Perm.PHASE_EDIT)
    assessment = Assessment.objects.filter(family=access.family, pk=assessment_id).select_related("child").first()
    if assessment is None:
        raise Http404
    form = AssessmentCompleteForm(request.POST or None)
    call = lambda: services.assessment_complete(actor=request.user, access=access, assessment=assessment, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Arviointi merkitty valmiiksi.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "casework/assessment_form.html", {"form": form, "family": access.family, "assessment": assessment})


def _relationship_form_page(request, family_id, relationship_id, *, view_name, form_class, service, message, title):
    access = gate.get_family(request.user, family_id, view_name=view_name, need=Perm.PHASE_EDIT)
    rel = ClientRelationship.objects.filter(family=access.family, pk=relationship_id).select_related("child").first()
    if rel is None:
        raise Http404
    form = form_class(request.POST or None)
    call = lambda: service(actor=request.user, access=access, relationship=rel, **form.cleaned_data)  # noqa: E731
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
        view_name="client-plan-create",
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
        view_name="personal-meeting-create",
        form_class=PersonalMeetingForm,
        service=services.personal_meeting_record,
        message=_("Tapaaminen kirjattu."),
        title=_("Kirjaa henkilökohtainen tapaaminen"),
    )


@personal_data
@login_required
def family_transfer(request, family_id):
    access = gate.get_family(request.user, family_id, view_name="family-transfer", need=Perm.PHASE_EDIT)
    form = TransferForm(request.POST or None, family=access.family)
    call = lambda: services.family_transfer(actor=request.user, access=access, **form.cleaned_data)  # noqa: E731
    if done := saved(request, form, call, lambda a: _("Perhe siirretty tiimiin %(team)s.") % {"team": a.to_team.name}):
        return redirect("family-detail", family_id=family_id) if done.handover_until >= timezone.localdate() else redirect("home")
    return render(request, "casework/transfer_form.html", {"form": form, "family": access.family})
