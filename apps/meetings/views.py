"""Meeting pages, and one endpoint per action on them.

The meeting gate admits the team's members; each record page and each write on a record opens its
family through the family gate (apps/meetings/access.py). Every action works without JavaScript (a
POST, then a redirect back to its section; a refusal shows the page again with the message at the
form and what was typed kept) and with htmx (`request.htmx`): the answer is the part of the page
the action changed, rendered from the page's own template (`{% partialdef %}`), swapped into place.
Forms over shared state (the record, an item's details, the attendance) carry the version and the
values they were read with; the services merge them field by field (apps/core/merge.py) and a
conflict is answered with both versions to choose from, never a silent overwrite.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from apps.access import gate
from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.audit.ledger import shows_record
from apps.audit.services import Subject
from apps.clients.access import open_family, record_of, visible_families
from apps.core import merge
from apps.core.flow import safe_next, saved
from apps.core.marks import changes_personal_data, changes_team_meeting, own_work_list, personal_data, team_page
from apps.core.views import bad_request
from apps.network.drawings import genogram_drawn, genogram_for
from apps.organisations.models import Membership

from . import selectors, services
from .access import open_agenda_item, open_item, open_meeting, open_step
from .forms import (
    AgendaAddForm,
    AgendaItemForm,
    AttendanceForm,
    HypothesisForm,
    HypothesisStatusForm,
    MeetingForm,
    MoveForm,
    RecordForm,
    ScheduleForm,
    StepForm,
    StepStatusForm,
    TimerForm,
)
from .models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep

MEETINGS_PER_PAGE = 30  # two years of weekly meetings are 104: the newest first, a page at a time
MEETING_TEMPLATE = "meetings/meeting_detail.html"
ITEM_TEMPLATE = "meetings/item_record.html"


def _members(team):
    return User.objects.filter(memberships__in=Membership.objects.active().filter(team=team)).distinct().order_by("last_name", "first_name")


def _refused(response):
    """A form shown again with its message (400) or a conflict (409) still shows the record: logged."""
    return shows_record(response)


@dataclass
class Conflict:
    """One field both people changed: what this person has and what the other saved."""

    name: str
    label: str
    mine: str
    theirs: str
    texts: bool  # two texts can also be kept both


# ---- the team's meetings -------------------------------------------------------------------------


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


# ---- the meeting page and its actions -------------------------------------------------------------

MEETING_SECTIONS = ("agenda", "proposals", "attendance", "approve")


def _attendance_form(meeting, roster, items, *, shown=None, conflicts=()):
    stored = selectors.attendance_of(meeting, items, roster=roster)
    return AttendanceForm(roster=roster, items=items, version=meeting.attendance_version, stored=stored, shown=shown, conflicts=conflicts)


def _attendance_conflicts(form: AttendanceForm, conflicts: dict, mine: dict) -> list[Conflict]:
    def said(name, value):
        if name.startswith("present_"):
            return str(Attendance.Role(value).label) if value else _("ei paikalla")
        return _("kyllä") if value else _("ei")

    labels = {f"present_{row.user.pk}": str(row.user) for row in form.roster}
    for item in form.items:
        labels[f"family_{item.pk}"] = _("Perhe paikalla: %(name)s") % {"name": item.family.name}
        labels[f"partner_{item.pk}"] = _("Yhteistyökumppani paikalla: %(name)s") % {"name": item.family.name}
    return [Conflict(name, labels[name], said(name, mine[name]), said(name, theirs), False) for name, theirs in conflicts.items()]


def _meeting_context(request, access, *, sections=MEETING_SECTIONS, notices=None, **forms) -> dict:
    """What the meeting page (or the `sections` of it an action answers with) shows; logs the
    families it lists."""
    meeting = access.resource
    is_open = meeting.status == Meeting.Status.PLANNED
    can_prepare = access.can(Perm.MEETING_PREPARE) and is_open
    items = selectors.meeting_items(meeting)
    context = {
        "meeting": meeting,
        "items": items,
        "sections": sections,
        "notices": notices or {},
        "can_prepare": can_prepare,
        "can_approve": access.can(Perm.MEETING_APPROVE) and is_open,
        "total_minutes": sum(i.planned_minutes for i in items),
        "discussed_minutes": sum(i.discussed_minutes or 0 for i in items),
        "planned_end": items[-1].planned_end if items else None,
        "min_minutes": services.MIN_MINUTES,
        "max_minutes": services.MAX_MINUTES,
        "add_form": forms.get("add_form"),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(items=items),
        "attendance_conflicts": forms.get("attendance_conflicts", []),
        "preserve_attendance": forms.get("preserve_attendance", False),
    }
    listed = [i.family_id for i in items]
    if "proposals" in sections:
        context["proposals"] = selectors.agenda_proposals(meeting, viewer=request.user) if can_prepare else []
        listed += [p.family.pk for p in context["proposals"]]
    if "attendance" in sections or "approve" in sections:
        roster = selectors.meeting_roster(meeting)
        context["attendees"] = [row for row in roster if row.attended_role]
        if "attendance" in sections:
            context["attendance_form"] = forms.get("attendance_form") or _attendance_form(meeting, roster, items)
    access.families_listed(listed)
    return context


def _meeting_page(request, access, *, status=200, error=False, **forms):
    context = _meeting_context(request, access, **forms)
    response = render(request, MEETING_TEMPLATE, {**context, "error": error}, status=status)
    return _refused(response) if status >= 400 else response


def _meeting_url(meeting, section: str = "") -> str:
    url = reverse("meeting-detail", kwargs={"meeting_id": meeting.pk})
    return f"{url}#{section}-h" if section else url


def _meeting_done(request, access, section: str, message: str, *, also=()):
    """A meeting action succeeded: htmx gets `section` (and the sections in `also`) with the message
    beside it; a browser without JavaScript goes back to the section with the message on top."""
    if request.htmx:
        # The attendance answered beside an agenda change keeps what was ticked and not saved yet.
        preserve = section != "attendance"
        context = _meeting_context(request, access, sections=(section, *also), notices={section: message}, preserve_attendance=preserve)
        return render(request, f"{MEETING_TEMPLATE}#answer", context)
    messages.success(request, message)
    return redirect(_meeting_url(access.resource, section))


def _meeting_refused(request, access, section: str, *, status=400, error=None, **forms):
    """A meeting action refused: the message at its form, what was chosen kept (400), or both
    versions to choose from (409)."""
    notices = {section: error} if error else {}
    if request.htmx:
        context = _meeting_context(request, access, sections=(section,), notices=notices, **forms)
        return _refused(render(request, f"{MEETING_TEMPLATE}#answer", {**context, "error": True}, status=status))
    return _meeting_page(request, access, status=status, notices=notices, error=True, **forms)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_message(form) -> str:
    """A small form's messages in one sentence (its fields are buttons or hidden)."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@personal_data
@login_required
@require_safe
def meeting_detail(request, meeting_id):
    return _meeting_page(request, open_meeting(request.user, meeting_id))


@changes_team_meeting
@login_required
@require_POST
def agenda_add(request, meeting_id):
    """A family of the team to the agenda, with the reasons it was proposed for."""
    access = open_meeting(request.user, meeting_id, need=Perm.MEETING_PREPARE)
    meeting = access.resource
    form = AgendaAddForm(request.POST, families=visible_families(request.user).filter(team=meeting.team))
    if not form.is_valid():
        return _meeting_refused(request, access, "proposals", error=_form_message(form), add_form=form)
    family = form.cleaned_data["family"]
    try:
        services.agenda_add(
            access=access, family=family, reasons=form.cleaned_data["reason"], presenter=selectors.default_presenter(family)
        )
    except ValidationError as exc:
        return _meeting_refused(request, access, "proposals", error=_errors(exc), add_form=form)
    message = _("%(name)s lisätty asialistalle.") % {"name": family.name}
    return _meeting_done(request, access, "proposals", message, also=("agenda", "attendance"))


@changes_team_meeting
@login_required
@require_POST
def agenda_move(request, meeting_id, item_id):
    access, item = open_agenda_item(request.user, meeting_id, item_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _meeting_refused(request, access, "agenda", error=_form_message(form))
    try:
        services.agenda_move(access=access, item=item, up=form.cleaned_data["direction"] == "up")
    except ValidationError as exc:
        return _meeting_refused(request, access, "agenda", error=_errors(exc))
    return _meeting_done(request, access, "agenda", _("Järjestys muutettu."), also=("attendance",))


@changes_team_meeting
@login_required
@require_POST
def agenda_remove(request, meeting_id, item_id):
    access, item = open_agenda_item(request.user, meeting_id, item_id)
    name = item.family.name
    try:
        services.agenda_remove(access=access, item=item)
    except ValidationError as exc:
        return _meeting_refused(request, access, "agenda", error=_errors(exc))
    return _meeting_done(
        request, access, "agenda", _("%(name)s poistettu asialistalta.") % {"name": name}, also=("proposals", "attendance")
    )


@changes_team_meeting
@login_required
@require_POST
def agenda_schedule(request, meeting_id):
    """The planned minutes of the agenda's items; the clock times follow the order."""
    access = open_meeting(request.user, meeting_id, need=Perm.MEETING_PREPARE)
    form = ScheduleForm(request.POST, items=selectors.meeting_items(access.resource))
    if not form.is_valid():
        return _meeting_refused(request, access, "agenda", error=_("Tarkista merkityt kohdat."), schedule_form=form)
    try:
        services.agenda_schedule(access=access, minutes=form.minutes())
    except ValidationError as exc:
        return _meeting_refused(request, access, "agenda", error=_errors(exc), schedule_form=form)
    return _meeting_done(request, access, "agenda", _("Aikataulu tallennettu."), also=("attendance",))


@changes_team_meeting
@login_required
@require_POST
def attendance(request, meeting_id):
    """Who was there; merged entry by entry with what others ticked since the form was read."""
    access = open_meeting(request.user, meeting_id, need=Perm.MEETING_PREPARE)
    meeting = access.resource
    roster, items = selectors.meeting_roster(meeting), selectors.meeting_items(meeting)
    stored = selectors.attendance_of(meeting, items, roster=roster)
    form = AttendanceForm(request.POST, roster=roster, items=items, version=meeting.attendance_version, stored=stored)
    if not form.is_valid():
        return _meeting_refused(request, access, "attendance", error=_("Tarkista läsnäolotiedot."), attendance_form=form)
    mine = form.mine()
    try:
        done = services.attendance_record(access=access, entries=mine, **form.merge_args())
    except ValidationError as exc:
        return _meeting_refused(request, access, "attendance", error=_errors(exc), attendance_form=form)
    meeting.attendance_version = done.meeting.attendance_version  # the form goes on from the version saved
    if done.conflicts:
        roster = selectors.meeting_roster(meeting)
        shown = {name: mine[name] for name in done.conflicts}
        display = _attendance_form(meeting, roster, items, shown=shown, conflicts=done.conflicts)
        conflicts = _attendance_conflicts(display, done.conflicts, mine)
        error = _("Joku muu tallensi läsnäolon samaan aikaan. Valitse merkittyjen kohtien kohdalla, kumpi tieto jää.")
        return _meeting_refused(
            request, access, "attendance", status=409, error=error, attendance_form=display, attendance_conflicts=conflicts
        )
    return _meeting_done(request, access, "attendance", _("Läsnäolo tallennettu."))


@changes_team_meeting
@login_required
@require_POST
def approve(request, meeting_id):
    access = open_meeting(request.user, meeting_id, need=Perm.MEETING_APPROVE)
    try:
        services.meeting_approve(access=access)
    except ValidationError as exc:
        return _meeting_refused(request, access, "approve", error=_errors(exc))
    messages.success(request, _("Kokouksen kirjaus hyväksytty."))
    if request.htmx:
        return HttpResponseClientRefresh()  # every part of the page is now read-only
    return redirect(_meeting_url(access.resource))


# ---- an agenda item's record and its actions --------------------------------------------------------

ITEM_SECTIONS = ("timer", "record", "hypotheses", "steps", "item", "summary")


def _record_rows(form: RecordForm, *, conflicts=(), resolved=(), sent=None):
    rows = []
    conflicts = {c.name: c for c in conflicts}
    for name in AgendaItem.RECORD_FIELDS:
        if name not in form.fields:
            continue
        conflict = conflicts.get(name)
        field = form.fields[name]
        described = [f"id_{name}_helptext"] if field.help_text else []
        if conflict:
            described += [f"conflict-{name}-title", f"conflict-{name}-text"]
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)
        if name in resolved:
            field.widget.attrs["autofocus"] = True  # the panel and its buttons are gone: back to the text
        rows.append(
            {
                "name": name,
                "field": form[name],
                "base": form.base_field(name),
                "conflict": conflict,
                "resolved": name in resolved,
                "sent": None if sent is None else sent.get(name),
            }
        )
    return rows


def _item_conflicts(form, conflicts: dict, mine: dict, names) -> list[Conflict]:
    def said(name, value):
        if name == "presenter":
            if value is None:
                return "–"
            user = value if hasattr(value, "get_full_name") else User.objects.filter(pk=value).first()
            return user.get_full_name() if user else "–"
        if isinstance(value, bool):
            return _("kyllä") if value else _("ei")
        return "" if value is None else str(value)

    return [
        Conflict(name, str(form.fields[name].label), said(name, mine[name]), said(name, theirs), name in form.text_names)
        for name, theirs in conflicts.items()
        if name in names
    ]


def _item_context(request, meeting_access, access, **state) -> dict:
    meeting, item = meeting_access.resource, access.resource
    members = _members(meeting.team)
    hypotheses, steps, open_steps = selectors.item_detail(item)
    record_form = state.get("record_form") or RecordForm(instance=item)
    item_form = state.get("item_form") or AgendaItemForm(instance=item, members=members, auto_id="item_%s")
    context = {
        "meeting": meeting,
        "item": item,
        "family": item.family,
        "record_form": record_form,
        "record_rows": _record_rows(record_form, conflicts=state.get("record_conflicts", ())),
        "record_state": state.get("record_state", "idle"),
        "record_message": state.get("record_message", ""),
        "conflict_by": state.get("conflict_by"),
        "item_form": item_form,
        "item_conflicts": state.get("item_conflicts", []),
        "hypothesis_form": state.get("hypothesis_form") or HypothesisForm(family=item.family),
        "step_form": state.get("step_form") or StepForm(members=members),
        "hypotheses": hypotheses,
        "steps": steps,
        "open_steps": open_steps,
        "can_record": access.can(Perm.MEETING_RECORD) and meeting.status == Meeting.Status.PLANNED,
        # Sharing the summary with the family typically follows the chair's approval.
        "can_share": access.can(Perm.MEETING_RECORD),
        "step_statuses": PlanStep.Status.choices,
        "notices": state.get("notices", {}),
        "sections": state.get("sections", ITEM_SECTIONS),
        "now": timezone.localtime(),
        # The drawing only on the whole page (an htmx answer redraws the sections it changed), as
        # an image of the genogram's own address: read and logged by that request.
        "genogram_drawn": genogram_drawn(access) if "sections" not in state else False,
    }
    return context


def _item_page(request, meeting_access, access, *, status=200, error=False, **state):
    context = _item_context(request, meeting_access, access, **state)
    response = render(request, ITEM_TEMPLATE, {**context, "error": error}, status=status)
    return _refused(response) if status >= 400 else response


def _item_url(item, section: str) -> str:
    return reverse("meeting-item", kwargs={"meeting_id": item.meeting_id, "item_id": item.pk}) + f"#{section}"


def _item_done(request, meeting_access, access, section: str, message: str, *, warning: str = ""):
    """An action on the record succeeded: htmx gets its section with the message; without JavaScript
    the browser goes back to the section with the message on top."""
    access = access.on(AgendaItem.objects.select_related("family", "meeting__team").get(pk=access.resource.pk))
    if request.htmx:
        notice = f"{message} {warning}".strip()
        context = _item_context(request, meeting_access, access, sections=(section,), notices={section: notice})
        return render(request, f"{ITEM_TEMPLATE}#answer", context)
    messages.success(request, message)
    if warning:
        messages.warning(request, warning)
    return redirect(_item_url(access.resource, section))


def _item_refused(request, meeting_access, access, section: str, *, status=400, error="", **state):
    notices = {section: error} if error else {}
    if request.htmx:
        context = _item_context(request, meeting_access, access, sections=(section,), notices=notices, **state)
        return _refused(render(request, f"{ITEM_TEMPLATE}#answer", {**context, "error": True}, status=status))
    return _item_page(request, meeting_access, access, status=status, notices=notices, error=True, **state)


@personal_data
@login_required
@require_safe
def item_record(request, meeting_id, item_id):
    meeting_access, access = open_item(request.user, meeting_id, item_id)
    return _item_page(request, meeting_access, access)


def _saved_message() -> str:
    return _("Tallennettu klo %(time)s") % {"time": formats.time_format(timezone.localtime())}


@changes_personal_data
@login_required
@require_POST
def record_save(request, meeting_id, item_id):
    """Save the record: each field merged with what others saved since the form was read. Autosave
    (htmx) answers the status line, the new version and the fields whose state changed."""
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    item = access.resource
    form = RecordForm(request.POST, instance=item)
    if not form.is_valid():
        return _record_answer(request, meeting_access, access, form=form, status=400, message=_("Tarkista merkityt kohdat."))
    mine = form.mine()
    args = form.merge_args()
    try:
        done = services.record_merge(access=access, item=item, mine=mine, **args)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            message = _("Tarkista merkityt kohdat.")
        else:
            message = _errors(exc)
        return _record_answer(request, meeting_access, access, form=form, status=400, message=message)
    access = access.on(done.item)
    warning = ""
    if item.summary_shared_at and not done.item.summary_shared_at:
        warning = _("Yhteenveto perheelle muuttui jakamisen jälkeen. Jaa uusi versio perheelle ja merkitse se jaetuksi.")
    if done.conflicts:
        return _record_answer(request, meeting_access, access, done=done, mine=mine, args=args, status=409)
    if done.merged.taken and not request.htmx:
        messages.warning(request, _("Toisen samaan aikaan tallentamat muutokset yhdistettiin kirjaukseen."))
    if not request.htmx:
        messages.success(request, _("Kirjaus tallennettu."))
        if warning:
            messages.warning(request, warning)
        return redirect(_item_url(done.item, "record"))
    return _record_answer(request, meeting_access, access, done=done, mine=mine, args=args, warning=warning)


def _record_answer(request, meeting_access, access, *, form=None, done=None, mine=None, args=None, status=200, message="", warning=""):
    """The record after a save: the whole page (no JavaScript, on a conflict or refusal) or, for
    htmx, the status line, the version and each field whose state changed."""
    item = access.resource
    conflicts, resolved, sent = [], set(), None
    if form is not None:  # refused: the form as sent, with its messages
        state, display = "error", form
    else:
        shown = {name: mine[name] for name in done.conflicts}
        display = RecordForm(instance=item, initial=shown, conflicts=done.conflicts)
        conflicts = _item_conflicts(display, done.conflicts, mine, AgendaItem.RECORD_FIELDS)
        resolved = set(args["resolve"]) - set(done.conflicts)
        state = "conflict" if done.conflicts else "saved"
        message = message or (_saved_message() if not done.conflicts else "")
        if done.merged.taken and not done.conflicts:
            merged = _("Toisen samaan aikaan tallentamat muutokset yhdistettiin kirjaukseen.")
            message = f"{message}. {merged}"
        sent = mine
    if not request.htmx:
        context_state = {"record_form": display, "record_conflicts": conflicts, "record_state": state, "record_message": message}
        if done is not None:
            context_state["conflict_by"] = done.before
        return _item_page(request, meeting_access, access, status=status, **context_state)
    rows = _record_rows(display, conflicts=conflicts, resolved=resolved, sent=sent)
    if form is not None:
        swap = [r for r in rows if r["field"].errors]
        bases = []
    else:
        posted_base = args["base"]
        changed_conflict = {n for n in done.conflicts if n not in args["pending"] or merge.key(done.conflicts[n]) != posted_base.get(n)}
        swap_names = done.merged.taken | resolved | changed_conflict | (set(args["pending"]) - set(done.conflicts))
        swap = [r for r in rows if r["name"] in swap_names]
        bases = [r for r in rows if r["name"] in done.merged.values and r["name"] not in swap_names]
    context = {
        "meeting": meeting_access.resource,
        "item": item,
        "record_form": display,
        "record_state": state,
        "record_message": f"{message} {warning}".strip(),
        "conflict_by": done.before if done is not None else None,
        "swap_rows": swap,
        "base_rows": bases,
        "oob": True,
        "can_record": True,
    }
    response = render(request, f"{ITEM_TEMPLATE}#record-answer", context, status=status)
    return _refused(response) if status >= 400 else response


@changes_personal_data
@login_required
@require_POST
def item_details(request, meeting_id, item_id):
    """Presenter, question, minutes and who attended: merged with what others saved since it was read."""
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    item = access.resource
    members = _members(meeting_access.team)
    form = AgendaItemForm(request.POST, instance=item, members=members, auto_id="item_%s")
    if not form.is_valid():
        return _item_refused(request, meeting_access, access, "item", error=_("Tarkista merkityt kohdat."), item_form=form)
    mine = form.mine()
    try:
        done = services.agenda_item_update(access=access, item=item, mine=mine, **form.merge_args())
    except ValidationError as exc:
        _form_errors(form, exc)
        return _item_refused(request, meeting_access, access, "item", error=_("Tarkista merkityt kohdat."), item_form=form)
    access = access.on(done.item)
    if done.conflicts:
        shown = {name: mine[name] for name in done.conflicts}
        display = AgendaItemForm(instance=done.item, members=members, initial=shown, conflicts=done.conflicts, auto_id="item_%s")
        conflicts = _item_conflicts(display, done.conflicts, mine, services.ITEM_DETAIL_FIELDS)
        error = _("Joku muu tallensi kohdan tiedot sen jälkeen, kun avasit sivun. Valitse merkittyjen kenttien kohdalla, kumpi tieto jää.")
        return _item_refused(
            request,
            meeting_access,
            access,
            "item",
            status=409,
            error=error,
            item_form=display,
            item_conflicts=conflicts,
            conflict_by=done.before,
        )
    message = _("Tallennettu.")
    if done.merged.taken:
        message = _("Tallennettu. Toisen samaan aikaan tallentamat muutokset yhdistettiin.")
    return _item_done(request, meeting_access, access, "item", message)


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal as the form's messages, beside the fields they are about."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@changes_personal_data
@login_required
@require_POST
def hypothesis_add(request, meeting_id, item_id):
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    item = access.resource
    form = HypothesisForm(request.POST, family=item.family)
    if form.is_valid():
        try:
            services.hypothesis_add(access=access, item=item, **form.cleaned_data)
            return _item_done(request, meeting_access, access, "hypotheses", _("Hypoteesi lisätty."))
        except ValidationError as exc:
            _form_errors(form, exc)
    return _item_refused(request, meeting_access, access, "hypotheses", hypothesis_form=form)


@changes_personal_data
@login_required
@require_POST
def hypothesis_status(request, meeting_id, item_id, hypothesis_id):
    """Keep or drop a hypothesis of the family (one formed in an earlier meeting too)."""
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    hypothesis = record_of(access, Hypothesis.objects.all(), hypothesis_id)
    form = HypothesisStatusForm(request.POST)
    if not form.is_valid():
        return _item_refused(request, meeting_access, access, "hypotheses", error=_form_message(form))
    services.hypothesis_set_status(access=access, hypothesis=hypothesis, status=form.cleaned_data["status"])
    return _item_done(request, meeting_access, access, "hypotheses", _("Hypoteesin tila päivitetty."))


@changes_personal_data
@login_required
@require_POST
def step_add(request, meeting_id, item_id):
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    item = access.resource
    form = StepForm(request.POST, members=_members(meeting_access.team))
    if form.is_valid():
        try:
            services.step_add(access=access, item=item, **form.cleaned_data)
            return _item_done(request, meeting_access, access, "steps", _("Askel lisätty."))
        except ValidationError as exc:
            _form_errors(form, exc)
    return _item_refused(request, meeting_access, access, "steps", step_form=form)


@changes_personal_data
@login_required
@require_POST
def item_timer(request, meeting_id, item_id):
    """Start or stop the discussion clock."""
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    form = TimerForm(request.POST)
    if not form.is_valid():
        return _item_refused(request, meeting_access, access, "timer", error=_form_message(form))
    start = form.cleaned_data["run"] == "start"
    try:
        services.item_timer(access=access, item=access.resource, start=start)
    except ValidationError as exc:
        return _item_refused(request, meeting_access, access, "timer", error=_errors(exc))
    return _item_done(request, meeting_access, access, "timer", _("Käsittely alkoi.") if start else _("Käsittely päättyi."))


@changes_personal_data
@login_required
@require_POST
def summary_share(request, meeting_id, item_id):
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    try:
        services.summary_share(access=access, item=access.resource)
    except ValidationError as exc:
        return _item_refused(request, meeting_access, access, "summary", error=_errors(exc))
    return _item_done(request, meeting_access, access, "summary", _("Yhteenveto merkitty jaetuksi perheelle."))


# ---- the family's summary, the family's discussions, steps ---------------------------------------


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
    """A step done (or open again) by its owner or the team: from "my steps" or a record page."""
    access = open_step(request.user, step_id, need=Perm.MEETING_RECORD)
    form = StepStatusForm(request.POST)
    if not form.is_valid():
        return bad_request(request, message=_form_message(form))
    step = services.step_set_status(access=access, step=access.resource, status=form.cleaned_data["status"])
    message = _("Askeleen tila päivitetty.")
    if request.htmx:
        step = PlanStep.objects.select_related("owner").get(pk=step.pk)
        context = {"s": step, "can_record": True, "oob": True, "message": message}
        return render(request, "meetings/_steps.html#step-answer", context)
    messages.success(request, message)
    return redirect(safe_next(request, default=reverse("my-steps")))
