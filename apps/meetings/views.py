"""Meeting pages. The meeting gate admits team members; each record page opens its family through
the family gate, which logs the read."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.access import gate
from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.audit.ledger import shows_record
from apps.audit.services import Subject
from apps.clients.access import open_family, visible_families
from apps.clients.models import Family
from apps.core.flow import safe_next, saved
from apps.core.marks import changes_personal_data, own_work_list, personal_data, team_page
from apps.network.drawings import genogram_for
from apps.organisations.models import Membership

from . import selectors, services
from .access import item_of, open_item, open_meeting, open_step
from .forms import AgendaItemForm, AttendanceForm, HypothesisForm, MeetingForm, RecordForm, StepForm, StepStatusForm
from .models import AgendaItem, Hypothesis, Meeting, PlanStep, ProposalReason

MEETINGS_PER_PAGE = 30  # two years of weekly meetings are 104: the newest first, a page at a time


def _members(team):
    return User.objects.filter(memberships__in=Membership.objects.active().filter(team=team)).distinct().order_by("last_name", "first_name")


@team_page
@login_required
def team_meetings(request, team_id):
    access = gate.open_team(request.user, team_id)
    team = access.team
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        access.require(Perm.MEETING_PREPARE)
    call = lambda: services.meeting_create(access=access, **form.cleaned_data)  # noqa: E731
    if meeting := saved(request, form, call, _("Kokous luotu.")):
        return redirect("meeting-detail", meeting_id=meeting.pk)
    meetings = Paginator(selectors.team_meetings(team, limit=None), MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"team": team, "meetings": meetings, "form": form, "can_prepare": access.can(Perm.MEETING_PREPARE)}
    return render(request, "meetings/team_meetings.html", context)


@personal_data
@login_required
def meeting_detail(request, meeting_id):
    access = open_meeting(request.user, meeting_id)
    meeting = access.resource
    is_open = meeting.status == Meeting.Status.PLANNED
    can_prepare = access.can(Perm.MEETING_PREPARE) and is_open
    items = selectors.meeting_items(meeting)
    roster = selectors.meeting_roster(meeting)
    attendance_form = AttendanceForm(request.POST or None, roster=roster, items=items)
    if request.method == "POST":
        return _meeting_action(request, access, items, attendance_form)
    proposals = selectors.agenda_proposals(meeting, viewer=request.user) if can_prepare else []
    access.families_listed([i.family_id for i in items] + [p.family.pk for p in proposals])
    context = {
        "meeting": meeting,
        "items": items,
        "proposals": proposals,
        "attendance_form": attendance_form,
        "attendees": [row for row in roster if row.attended_role],
        "can_prepare": can_prepare,
        "can_approve": access.can(Perm.MEETING_APPROVE) and is_open,
        "total_minutes": sum(i.planned_minutes for i in items),
        "discussed_minutes": sum(i.discussed_minutes or 0 for i in items),
        "planned_end": items[-1].planned_end if items else None,
        "min_minutes": services.MIN_MINUTES,
        "max_minutes": services.MAX_MINUTES,
    }
    return render(request, "meetings/meeting_detail.html", context)


def _meeting_action(request, access, items, attendance_form):
    meeting = access.resource
    action = request.POST.get("action", "")
    anchor = "agenda-h"
    try:
        if action == "approve":
            services.meeting_approve(access=access)
            messages.success(request, _("Kokouksen kirjaus hyväksytty."))
            anchor = ""
        else:
            access.require(Perm.MEETING_PREPARE)
            verb, _sep, item_id = action.partition(":")
            if verb == "add":
                _add_proposal(request, access)
                anchor = "proposals-h"
            elif verb == "schedule":
                services.agenda_schedule(access=access, minutes=_minutes(request, items))
                messages.success(request, _("Aikataulu tallennettu."))
            elif verb in ("up", "down", "remove"):
                item = item_of(access, item_id or request.POST.get("item"))
                if verb == "remove":
                    services.agenda_remove(access=access, item=item)
                else:
                    services.agenda_move(access=access, item=item, up=verb == "up")
            elif verb == "attendance":
                if not attendance_form.is_valid():
                    raise ValidationError(_("Tarkista läsnäolotiedot."))
                services.attendance_record(access=access, **attendance_form.attendance())
                messages.success(request, _("Läsnäolo tallennettu."))
                anchor = "attendance-h"
            else:
                raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    url = reverse("meeting-detail", kwargs={"meeting_id": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _add_proposal(request, access):
    meeting = access.resource
    family_id = request.POST.get("family", "")
    family = visible_families(request.user).filter(team=meeting.team, pk=family_id).first() if family_id.isdigit() else None
    if family is None:
        raise ValidationError(_("Perhettä ei löytynyt tämän tiimin perheistä."))
    reasons = [r for r in request.POST.getlist("reason") if r in ProposalReason.values]
    presenter = Family.objects.filter(pk=family.pk).values_list("relationships__responsible_worker", flat=True).first()
    services.agenda_add(access=access, family=family, reasons=reasons, presenter=User.objects.filter(pk=presenter).first())
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
    meeting_access, access = open_item(request.user, meeting_id, item_id)
    meeting, item = meeting_access.resource, access.resource
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        access.require(Perm.MEETING_RECORD)
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
            done = services.record_save(access=access, item=item, version=version, **data)
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
            request, item_form, lambda: services.agenda_item_update(access=access, item=item, **item_form.cleaned_data), _("Tallennettu.")
        )
    elif action == "hypothesis":
        done = saved(
            request,
            hypothesis_form,
            lambda: services.hypothesis_add(access=access, item=item, **hypothesis_form.cleaned_data),
            _("Hypoteesi lisätty."),
        )
    elif action == "step":
        done = saved(
            request,
            step_form,
            lambda: services.step_add(access=access, item=item, **step_form.cleaned_data),
            _("Askel lisätty."),
        )
    elif action in ("start", "stop"):
        done = services.item_timer(access=access, item=item, start=action == "start")
    elif action == "share":
        try:
            done = services.summary_share(access=access, item=item)
            messages.success(request, _("Yhteenveto merkitty jaetuksi perheelle."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    elif action == "hypothesis_status":
        hypothesis_id = request.POST.get("hypothesis", "")
        h = Hypothesis.objects.filter(family_id=item.family_id, pk=hypothesis_id).first() if hypothesis_id.isdigit() else None
        if h is None or request.POST.get("status") not in Hypothesis.Status.values:
            raise Http404
        done = services.hypothesis_set_status(access=access, hypothesis=h, status=request.POST["status"])
    elif action == "step_status":
        step_id = request.POST.get("step", "")
        step = PlanStep.objects.filter(family_id=item.family_id, pk=step_id).first() if step_id.isdigit() else None
        status_form = StepStatusForm(request.POST)
        if step is None or not status_form.is_valid():
            raise Http404
        done = services.step_set_status(access=access, step=step, status=status_form.cleaned_data["status"])
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
        "can_record": access.can(Perm.MEETING_RECORD) and meeting.status == Meeting.Status.PLANNED,
        # Sharing the summary with the family typically follows the chair's approval.
        "can_share": access.can(Perm.MEETING_RECORD),
        "step_statuses": PlanStep.Status.choices,
        "genogram_svg": genogram_for(access),
    }
    response = render(request, "meetings/item_record.html", context, status=409 if conflict else 200)
    return shows_record(response)


@personal_data
@login_required
@require_safe
def item_summary(request, meeting_id, item_id):
    """The family's plain-language version: no internal notes, no other families, no turvakielto details."""
    meeting_access, access = open_item(request.user, meeting_id, item_id)
    meeting, item = meeting_access.resource, access.resource
    steps = PlanStep.objects.filter(item=item).select_related("owner").order_by("due_on")
    hypotheses = item.hypotheses.filter(status=Hypothesis.Status.ACTIVE)
    lang = request.GET.get("lang") if request.GET.get("lang") in dict(settings.LANGUAGES) else None
    context = {"meeting": meeting, "item": item, "steps": steps, "hypotheses": hypotheses, "family": access.family}
    # The family's genogram when the worker chooses to include it (?genogram=1).
    context["genogram_svg"] = genogram_for(access) if request.GET.get("genogram") == "1" else ""
    if request.GET.get("format") != "pdf":
        return _in_language(lang, lambda: render(request, "meetings/summary.html", context))
    if not item.summary_shared_at:
        messages.error(request, _("Merkitse yhteenveto ensin jaetuksi perheelle."))
        return redirect("meeting-item", meeting_id=meeting.pk, item_id=item.pk)
    from weasyprint import HTML

    html = _in_language(lang, lambda: render_to_string("meetings/summary.html", {**context, "pdf": True}, request=request))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    relatives = [Subject(item.family_id)] if context["genogram_svg"] else []  # relatives who are not clients
    access.disclosed(
        [Subject(item.family_id, m.person_id) for m in access.members] + relatives,
        recipient=_("asiakasperhe"),
        legal_basis=_("Asiakkaan oikeus saada tieto itseään koskevista asiakirjoista (läpinäkyvä kirjaaminen)"),
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
@require_safe
def family_discussions(request, family_id):
    """Every discussion of one family, oldest first: the history behind the family page's latest few."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    context = {"family": access.family, "discussions": selectors.family_timeline(access.family)}
    return render(request, "meetings/family_discussions.html", context)


@own_work_list
@login_required
@require_safe
def my_steps(request):
    access = gate.own_work(request.user)
    steps = selectors.my_steps(request.user)
    access.families_listed(s.family_id for s in steps)
    return render(request, "meetings/my_steps.html", {"steps": steps})


@changes_personal_data
@login_required
@require_POST
def step_status(request, step_id):
    access = open_step(request.user, step_id, need=Perm.MEETING_RECORD)
    form = StepStatusForm(request.POST)
    if form.is_valid():
        services.step_set_status(access=access, step=access.resource, status=form.cleaned_data["status"])
        messages.success(request, _("Askeleen tila päivitetty."))
    return redirect(safe_next(request, default=reverse("my-steps")))
