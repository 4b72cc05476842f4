"""Meeting pages. The meeting gate admits team members; each record page opens its family through
the family gate, which logs the read."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access import gate
from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.audit.services import Subject, disclosure_log_append
from apps.clients.models import Family
from apps.core.flow import saved
from apps.core.marks import aggregate, changes_personal_data, own_work_list, personal_data
from apps.organisations.models import Membership

from . import selectors, services
from .forms import AgendaItemForm, AttendanceForm, HypothesisForm, MeetingForm, RecordForm, StepForm, StepStatusForm
from .models import AgendaItem, Hypothesis, Meeting, PlanStep, ProposalReason

MEETINGS_PER_PAGE = 30  # two years of weekly meetings are 104: the newest first, a page at a time


def _members(team):
    return User.objects.filter(memberships__in=Membership.objects.active().filter(team=team)).distinct().order_by("last_name", "first_name")


def _need(perms, perm):
    if perm not in perms:
        raise PermissionDenied


@aggregate
@login_required
def team_meetings(request, team_id):
    team, perms, _role = gate.get_team(request.user, team_id)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        _need(perms, Perm.MEETING_PREPARE)
    call = lambda: services.meeting_create(actor=request.user, team=team, **form.cleaned_data)  # noqa: E731
    if meeting := saved(request, form, call, _("Kokous luotu.")):
        return redirect("meeting-detail", meeting_id=meeting.pk)
    meetings = Paginator(selectors.team_meetings(team, limit=None), MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"team": team, "meetings": meetings, "form": form, "can_prepare": Perm.MEETING_PREPARE in perms}
    return render(request, "meetings/team_meetings.html", context)


def _item(meeting, item_id) -> AgendaItem:
    if not str(item_id).isdigit():
        raise Http404
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).select_related("family", "meeting__team").first()
    if item is None:
        raise Http404
    return item


@personal_data
@login_required
def meeting_detail(request, meeting_id):
    meeting, perms, role = gate.get_meeting(request.user, meeting_id)
    is_open = meeting.status == Meeting.Status.PLANNED
    can_prepare = Perm.MEETING_PREPARE in perms and is_open
    items = selectors.meeting_items(meeting)
    roster = selectors.meeting_roster(meeting)
    attendance_form = AttendanceForm(request.POST or None, roster=roster, items=items)
    if request.method == "POST":
        return _meeting_action(request, meeting, perms, role, items, attendance_form)
    proposals = selectors.agenda_proposals(meeting, viewer=request.user) if can_prepare else []
    gate.log_family_list(request.user, [i.family for i in items] + [p.family for p in proposals], role=role, view_name="meeting-detail")
    context = {
        "meeting": meeting,
        "items": items,
        "proposals": proposals,
        "attendance_form": attendance_form,
        "attendees": [row for row in roster if row.attended_role],
        "can_prepare": can_prepare,
        "can_approve": Perm.MEETING_APPROVE in perms and is_open,
        "total_minutes": sum(i.planned_minutes for i in items),
        "discussed_minutes": sum(i.discussed_minutes or 0 for i in items),
        "planned_end": items[-1].planned_end if items else None,
        "min_minutes": services.MIN_MINUTES,
        "max_minutes": services.MAX_MINUTES,
    }
    return render(request, "meetings/meeting_detail.html", context)


def _meeting_action(request, meeting, perms, role, items, attendance_form):
    action = request.POST.get("action", "")
    anchor = "agenda-h"
    try:
        if action == "approve":
            _need(perms, Perm.MEETING_APPROVE)
            services.meeting_approve(actor=request.user, meeting=meeting)
            messages.success(request, _("Kokouksen kirjaus hyväksytty."))
            anchor = ""
        else:
            _need(perms, Perm.MEETING_PREPARE)
            verb, _sep, item_id = action.partition(":")
            if verb == "add":
                _add_proposal(request, meeting, role)
                anchor = "proposals-h"
            elif verb == "schedule":
                services.agenda_schedule(meeting=meeting, minutes=_minutes(request, items))
                messages.success(request, _("Aikataulu tallennettu."))
            elif verb in ("up", "down", "remove"):
                item = _item(meeting, item_id or request.POST.get("item"))
                if verb == "remove":
                    services.agenda_remove(meeting=meeting, item=item)
                else:
                    services.agenda_move(meeting=meeting, item=item, up=verb == "up")
            elif verb == "attendance":
                if not attendance_form.is_valid():
                    raise ValidationError(_("Tarkista läsnäolotiedot."))
                services.attendance_record(actor=request.user, meeting=meeting, role=role, **attendance_form.attendance())
                messages.success(request, _("Läsnäolo tallennettu."))
                anchor = "attendance-h"
            else:
                raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    url = reverse("meeting-detail", kwargs={"meeting_id": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _add_proposal(request, meeting, role):
    family = gate.visible_families(request.user).filter(team=meeting.team, pk=request.POST.get("family")).first()
    if family is None:
        raise Http404
    reasons = [r for r in request.POST.getlist("reason") if r in ProposalReason.values]
    presenter = Family.objects.filter(pk=family.pk).values_list("relationships__responsible_worker", flat=True).first()
    services.agenda_add(
        actor=request.user,
        meeting=meeting,
        family=family,
        reasons=reasons,
        presenter=User.objects.filter(pk=presenter).first(),
        role=role,
    )
    messages.success(request, _("%(name)s lisätty asialistalle.") % {"name": family.name})


def _minutes(request, items) -> dict[int, int]:
    minutes = {}
    for item in items:
        raw = request.POST.get(f"minutes_{item.pk}", "").strip()
        if raw:
            try:
                minutes[item.pk] = int(raw)
            except ValueError:
                raise ValidationError(_("Käsittelyajan on oltava kokonaisluku minuutteina.")) from None
    return minutes


@personal_data
@login_required
def item_record(request, meeting_id, item_id):
    meeting, perms, _role = gate.get_meeting(request.user, meeting_id)
    item = _item(meeting, item_id)
    access = gate.get_family(request.user, item.family_id, view_name="meeting-record", need=Perm.FAMILY_VIEW)
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        _need(perms, Perm.MEETING_RECORD)
    members = _members(meeting.team)
    record_form = RecordForm(request.POST if action == "record" else None, instance=item, initial={"version": item.version})
    item_form = AgendaItemForm(request.POST if action == "item" else None, instance=item, members=members)
    hypothesis_form = HypothesisForm(request.POST if action == "hypothesis" else None, family=item.family)
    step_form = StepForm(request.POST if action == "step" else None, members=members)
    conflict = None
    done = None
    if action == "record" and record_form.is_valid():
        data = dict(record_form.cleaned_data)
        version = data.pop("version")
        try:
            done = services.record_save(actor=request.user, access=access, item=item, version=version, **data)
            messages.success(request, _("Kirjaus tallennettu."))
            if item.summary_shared_at and not done.summary_shared_at:
                messages.warning(
                    request, _("Yhteenveto perheelle muuttui jakamisen jälkeen. Jaa uusi versio perheelle ja merkitse se jaetuksi.")
                )
        except services.RecordConflict as exc:
            conflict = exc.current
            record_form = RecordForm(request.POST, instance=item, initial={"version": conflict.version})
            record_form.data = record_form.data.copy()
            record_form.data["version"] = conflict.version
        except ValidationError as exc:
            record_form.add_error(None, exc)
    elif action == "item":
        done = saved(
            request, item_form, lambda: services.agenda_item_update(meeting=meeting, item=item, **item_form.cleaned_data), _("Tallennettu.")
        )
    elif action == "hypothesis":
        done = saved(
            request,
            hypothesis_form,
            lambda: services.hypothesis_add(actor=request.user, access=access, item=item, **hypothesis_form.cleaned_data),
            _("Hypoteesi lisätty."),
        )
    elif action == "step":
        done = saved(
            request,
            step_form,
            lambda: services.step_add(actor=request.user, access=access, item=item, **step_form.cleaned_data),
            _("Askel lisätty."),
        )
    elif action in ("start", "stop"):
        done = services.item_timer(meeting=meeting, item=item, start=action == "start")
    elif action == "share":
        try:
            done = services.summary_share(actor=request.user, access=access, item=item)
            messages.success(request, _("Yhteenveto merkitty jaetuksi perheelle."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    elif action == "hypothesis_status":
        h = Hypothesis.objects.filter(family_id=item.family_id, pk=request.POST.get("hypothesis")).first()
        if h is None or request.POST.get("status") not in Hypothesis.Status.values:
            raise Http404
        done = services.hypothesis_set_status(actor=request.user, access=access, hypothesis=h, status=request.POST["status"])
    elif action == "step_status":
        step = PlanStep.objects.filter(family_id=item.family_id, pk=request.POST.get("step")).first()
        status_form = StepStatusForm(request.POST)
        if step is None or not status_form.is_valid():
            raise Http404
        done = services.step_set_status(actor=request.user, access=access, step=step, status=status_form.cleaned_data["status"])
    elif action:
        raise Http404
    if done:
        return redirect(f"{request.path}#{request.POST.get('anchor', 'record')}")
    hypotheses, steps, open_steps = selectors.item_detail(item)
    context = {
        "meeting": meeting,
        "item": item,
        "family": item.family,
        "record_form": record_form,
        "item_form": item_form,
        "hypothesis_form": hypothesis_form,
        "step_form": step_form,
        "conflict": conflict,
        "record_rows": [(record_form[name], getattr(conflict, name) if conflict else None) for name in AgendaItem.RECORD_FIELDS],
        # What the server holds, for the autosave script's merge (static/js/record.js).
        "saved_record": {
            "version": (conflict or item).version,
            "values": {name: getattr(conflict or item, name) for name in AgendaItem.RECORD_FIELDS},
            "conflict": conflict is not None,
        },
        "hypotheses": hypotheses,
        "steps": steps,
        "open_steps": open_steps,
        "can_record": Perm.MEETING_RECORD in perms and meeting.status == Meeting.Status.PLANNED,
        # Sharing the summary with the family typically follows the chair's approval.
        "can_share": Perm.MEETING_RECORD in perms,
        "step_statuses": PlanStep.Status.choices,
    }
    return render(request, "meetings/item_record.html", context, status=409 if conflict else 200)


@personal_data
@login_required
def item_summary(request, meeting_id, item_id):
    """The family's plain-language version: no internal notes, no other families, no turvakielto details."""
    meeting, _perms, _role = gate.get_meeting(request.user, meeting_id)
    item = _item(meeting, item_id)
    access = gate.get_family(request.user, item.family_id, view_name="meeting-summary")
    steps = PlanStep.objects.filter(item=item).select_related("owner").order_by("due_on")
    hypotheses = item.hypotheses.filter(status=Hypothesis.Status.ACTIVE)
    lang = request.GET.get("lang") if request.GET.get("lang") in dict(settings.LANGUAGES) else None
    context = {"meeting": meeting, "item": item, "steps": steps, "hypotheses": hypotheses, "family": access.family}
    if request.GET.get("format") != "pdf":
        return _in_language(lang, lambda: render(request, "meetings/summary.html", context))
    if not item.summary_shared_at:
        messages.error(request, _("Merkitse yhteenveto ensin jaetuksi perheelle."))
        return redirect("meeting-item", meeting_id=meeting.pk, item_id=item.pk)
    from weasyprint import HTML

    html = _in_language(lang, lambda: render_to_string("meetings/summary.html", {**context, "pdf": True}, request=request))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    disclosure_log_append(
        actor=request.user,
        county_id=item.county_id,
        actor_role=access.role,
        view_name="meeting-summary-pdf",
        recipient=_("asiakasperhe"),
        legal_basis=_("Asiakkaan oikeus saada tieto itseään koskevista asiakirjoista (läpinäkyvä kirjaaminen)"),
        subjects=[Subject(item.family_id, pid) for pid in item.family.members.values_list("person_id", flat=True)],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tiimikokous-{meeting.starts_at:%Y%m%d}.pdf"'
    return response


def _in_language(lang, render_fn):
    from django.utils import translation

    if not lang:
        return render_fn()
    with translation.override(lang):
        return render_fn()


@personal_data
@login_required
def family_discussions(request, family_id):
    """Every discussion of one family, oldest first: the history behind the family page's latest few."""
    access = gate.get_family(request.user, family_id, view_name="family-discussions", need=Perm.CASEWORK_VIEW)
    context = {"family": access.family, "discussions": selectors.family_timeline(access.family)}
    return render(request, "meetings/family_discussions.html", context)


@own_work_list
@login_required
def my_steps(request):
    steps = selectors.my_steps(request.user)
    gate.log_family_list(request.user, {s.family for s in steps}, role="worker", view_name="my-steps")
    return render(request, "meetings/my_steps.html", {"steps": steps})


@changes_personal_data
@login_required
@require_POST
def step_status(request, step_id):
    step = PlanStep.objects.filter(county_id=getattr(request.user, "county_id", None), pk=step_id).first()
    if step is None:
        raise Http404
    access = gate.get_family(request.user, step.family_id, view_name="plan-step-status", need=Perm.MEETING_RECORD)
    form = StepStatusForm(request.POST)
    if form.is_valid():
        services.step_set_status(actor=request.user, access=access, step=step, status=form.cleaned_data["status"])
        messages.success(request, _("Askeleen tila päivitetty."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else "my-steps")
