"""Training pages: the regional plan (page, PDF, CSV), a training with its blocks and attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.permissions import Perm
from apps.core.marks import aggregate
from apps.core.spreadsheet import csv_response
from apps.organisations.models import Membership

from . import selectors, services
from .access import open_training, open_training_area
from .forms import SessionForm, TrainingForm
from .models import SessionAttendance, Training, TrainingKind


@aggregate
@login_required
def training_plan(request):
    """The county's regional training plan: teams, their members' training, needs and schedule."""
    access = open_training_area(request.user)
    rows = selectors.training_plan(access.county_id)
    trainings = Training.objects.filter(county_id=access.county_id).select_related("team").order_by("team__name", "kind", "id")
    context = {"rows": rows, "trainings": trainings, "can_edit": access.can(Perm.TRAINING_EDIT), "today": timezone.localdate()}
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _plan_csv(rows)
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string("training/plan_pdf.html", {**context, "pdf": True}, request)
        response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="koulutussuunnitelma-{timezone.localdate():%Y-%m-%d}.pdf"'
        return response
    return render(request, "training/plan.html", context)


def _plan_csv(rows) -> HttpResponse:
    response, writer = csv_response(f"koulutussuunnitelma-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerow(
        [
            "team",
            "unit",
            "kind",
            "members",
            "trained",
            "in_training",
            "not_trained",
            "team_trainings",
            "follow_ups_held",
            "partner_sessions_held",
            "partner_participants",
            "needs",
            "upcoming",
        ]
    )
    labels = dict(TrainingKind.choices)
    for r in rows:
        writer.writerow(
            [
                r.team.name,
                r.team.unit.name,
                r.team.get_kind_display(),
                r.members,
                r.trained,
                r.in_training,
                r.not_trained,
                r.team_trainings,
                r.follow_ups_held,
                r.partner_sessions_held,
                r.partner_participants,
                "; ".join(r.needs),
                "; ".join(f"{day:%Y-%m-%d} {labels[kind]} {name} ({number})" for day, name, kind, number in r.upcoming),
            ]
        )
    return response


@aggregate
@login_required
def training_create(request):
    access = open_training_area(request.user, need=Perm.TRAINING_EDIT)
    form = TrainingForm(request.POST or None, county_id=access.county_id)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(access=access, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("training-detail", training_id=training.pk)
    return render(request, "training/training_form.html", {"form": form})


@aggregate
@login_required
def training_detail(request, training_id):
    """A training's blocks and who of the team attended each; the trainer adds blocks and marks attendance."""
    access = open_training(request.user, training_id)
    training = access.resource
    form = SessionForm(request.POST if request.POST.get("action") == "session" else None)
    if request.method == "POST":
        access = open_training(request.user, training_id, need=Perm.TRAINING_EDIT)
        if request.POST.get("action") == "session" and form.is_valid():
            data = form.cleaned_data
            services.session_add(
                access=access,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                partner_participants=data.get("partner_participants") or 0,
                partner_organisations=data.get("partner_organisations") or "",
            )
            messages.success(request, _("Jakso lisätty."))
            return redirect("training-detail", training_id=training.pk)
        if request.POST.get("action") == "attendance":
            session = get_object_or_404(training.sessions, pk=request.POST.get("session"))
            ids = [int(v) for v in request.POST.getlist("attended") if v.isdigit()]
            try:
                services.attendance_set(access=access, session=session, user_ids=ids)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Läsnäolo tallennettu."))
            return redirect("training-detail", training_id=training.pk)
    sessions = list(training.sessions.all())
    members = list(
        Membership.objects.active()
        .filter(team_id=training.team_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    seen, people = set(), []
    for m in members:
        if m.user_id not in seen:
            seen.add(m.user_id)
            people.append(m.user)
    attended = set(SessionAttendance.objects.filter(session__training=training).values_list("session_id", "user_id"))
    grid = [(person, [(s, (s.pk, person.pk) in attended) for s in sessions]) for person in people]
    return render(
        request,
        "training/training_detail.html",
        {"training": training, "sessions": sessions, "grid": grid, "form": form, "can_edit": access.can(Perm.TRAINING_EDIT)},
    )
