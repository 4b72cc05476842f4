"""Evaluation pages: a team's fidelity, the county report, and the researcher's export download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.access import gate
from apps.access.permissions import Perm
from apps.core import disclosure
from apps.core.marks import aggregate, discloses_pseudonymised_data, own_account, personal_data, team_page
from apps.core.spreadsheet import csv_response
from apps.organisations.models import Team

from . import charts, drilldown, pulse, reports, research, selectors, services, tasks
from .access import open_placement_costs
from .effectiveness import TYPES, cached_effectiveness
from .forms import EffectivenessForm, FidelityTargetForm, PeriodForm, PlacementCostForm, PulseForm, ResearchExportForm
from .models import PLACEMENT_TYPES, PULSE_QUESTIONS, FidelityTarget, PlacementCost, ResearchExportJob
from .targets import ADJUSTABLE


@aggregate
@login_required
def team_fidelity(request, team_id):
    """The team's own members, and the managers of its county (or unit): counts only."""
    access = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE)
    team, member = access.team, access.can(Perm.TEAM_VIEW)
    form = PeriodForm(request.GET or None)
    fidelity = selectors.team_fidelity(team, months=form.months_or_default())
    return render(
        request,
        "evaluation/team_fidelity.html",
        {
            "team": team,
            "fidelity": fidelity,
            "form": form,
            "member": member,
            "small": disclosure.THRESHOLD,
            "own": _own_targets(team, fidelity.own_levels),
            "history": _target_history(team),
            "can_set": access.can(Perm.FIDELITY_TARGET_SET),
        },
    )


def _own_targets(team, current: dict | None = None) -> list[dict]:
    if current is None:
        current = selectors.current_targets([team.pk]).get(team.pk, {})
    rows = []
    for a in ADJUSTABLE.values():
        value = getattr(team, a.key) if a.key in ("discussion_interval_weeks", "caseload_target_max") else current.get(a.key, a.default)
        rows.append({"a": a, "value": value, "own": value != a.default})
    return rows


def _target_history(team):
    labels = {a.key: a.label for a in ADJUSTABLE.values()}
    history = FidelityTarget.objects.filter(team=team).select_related("set_by").order_by("-set_at", "-id")
    return [{"t": t, "label": labels.get(t.key, t.key), "unit": ADJUSTABLE[t.key].unit if t.key in ADJUSTABLE else ""} for t in history]


@team_page
@login_required
def fidelity_targets(request, team_id):
    """The team's consultant sets the team's own targets within their bounds; every change is kept."""
    access = gate.open_team(request.user, team_id, need=Perm.FIDELITY_TARGET_SET)
    form = FidelityTargetForm(request.POST or None, initial={"key": request.GET.get("key")})
    if request.method == "POST" and form.is_valid():
        try:
            services.fidelity_target_set(access=access, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("value", exc)
        else:
            messages.success(request, _("Tiimin tavoite tallennettu. Aiempi tavoite näkyy muutoshistoriassa."))
            return redirect("team-fidelity", team_id=access.team.pk)
    return render(request, "evaluation/fidelity_targets.html", {"team": access.team, "form": form, "own": _own_targets(access.team)})


@aggregate
@login_required
def fidelity_trend(request, team_id):
    """The team's fidelity quarter by quarter: its members and the managers whose scope covers it."""
    access = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE)
    trend = selectors.fidelity_trend(access.team)
    return render(
        request,
        "evaluation/fidelity_trend.html",
        {"team": access.team, "trend": trend, "member": access.can(Perm.TEAM_VIEW), "small": disclosure.THRESHOLD},
    )


@personal_data
@login_required
def fidelity_records(request, team_id, key):
    """The records behind one indicator, for the team's own members: families are named, so every
    family listed is logged as listed."""
    access = gate.open_team(request.user, team_id, need=Perm.TEAM_VIEW)
    if key not in drilldown.BUILDERS:
        raise Http404
    form = PeriodForm(request.GET or None)
    period = selectors.Period.last(form.months_or_default())
    found = drilldown.records(access.team, key, period)
    access.families_listed(found.family_ids)
    indicator = next(i for i in selectors.team_fidelity(access.team, period=period).indicators if i.key == key)
    return render(
        request,
        "evaluation/fidelity_records.html",
        {"team": access.team, "records": found, "indicator": indicator, "period": period, "form": form},
    )


@aggregate
@login_required
def county_report(request):
    gate.open_organisation(request.user, Perm.EVALUATION_VIEW)
    teams = gate.managed_teams(request.user)
    form = PeriodForm(request.GET or None)
    months = form.months_or_default()
    refresh = request.GET.get("refresh") == "1"
    county_id = request.user.county_id
    if request.GET.get("format") == "csv":
        # Aggregate figures only (counts and shares per team, groups under 5 suppressed): nothing
        # in this file is personal data, so the download needs no disclosure-log entry.
        return _county_csv(selectors.cached_county_report(county_id, teams=teams, months=months, refresh=refresh).report)

    def render_figures(cached):
        context = {"report": cached.report, "computed_at": cached.computed_at}
        return render_to_string("evaluation/_county_figures.html", context, request)

    if request.GET.get("format") == "pdf":
        cached = selectors.cached_county_report(county_id, teams=teams, months=months, refresh=refresh)
        return _report_pdf(
            request, cached.report, _("Hyvinvointialueen raportti: %(name)s") % {"name": request.user.county.name}, cached.computed_at
        )
    figures = selectors.cached_county_report_html(county_id, teams=teams, months=months, refresh=refresh, render=render_figures)
    context = {"figures": figures, "form": form, "period": selectors.Period.last(months)}
    return render(request, "evaluation/county_report.html", context)


def _report_pdf(request, report, title: str, computed_at=None) -> HttpResponse:
    from weasyprint import HTML

    context = {
        "report": report,
        "computed_at": computed_at or timezone.now(),
        "title": title,
        "charts": reports.report_charts(report),
        "pdf": True,
    }
    html = render_to_string("evaluation/report_pdf.html", context, request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="raportti-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response


def _report_response(request, teams, title: str):
    """A unit's or a team's report: the county report's computation for those teams, as a page with
    charts, its CSV or its PDF."""
    form = PeriodForm(request.GET or None)
    report = selectors.county_report(request.user.county_id, teams=teams, months=form.months_or_default())
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _county_csv(report)
    if fmt == "pdf":
        return _report_pdf(request, report, title)
    context = {
        "report": report,
        "computed_at": timezone.now(),
        "title": title,
        "charts": reports.report_charts(report),
        "form": form,
        "period": report.period,
    }
    return render(request, "evaluation/report.html", context)


@aggregate
@login_required
def unit_report(request, unit_id):
    """One unit's teams: for the county's managers, and for the unit's own manager."""
    gate.open_organisation(request.user, Perm.EVALUATION_VIEW)
    teams = gate.managed_teams(request.user).filter(unit_id=unit_id).select_related("unit")
    unit = teams.first().unit if teams.exists() else None
    if unit is None:
        raise Http404
    return _report_response(
        request,
        Team.objects.filter(unit_id=unit_id, county_id=request.user.county_id),
        _("Yksikön raportti: %(name)s") % {"name": unit.name},
    )


@aggregate
@login_required
def team_report(request, team_id):
    """One team's report: its members, and the managers whose scope covers it."""
    access = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE)
    return _report_response(request, Team.objects.filter(pk=access.team.pk), _("Tiimin raportti: %(name)s") % {"name": access.team.name})


HIDDEN_IN_CSV = "*"  # a hidden figure, the same mark as on the page (apps/core/disclosure)


def _csv_figure(figure, *, share: bool):
    if figure.hidden:
        return HIDDEN_IN_CSV
    value = figure.percent if share else figure.value
    return "" if value is None else value


def _county_csv(report) -> HttpResponse:
    """The report's figures as the page shows them: the same computation, the same hidden cells."""
    response, writer = csv_response(f"maakuntaraportti-{timezone.localdate():%Y-%m-%d}.csv")
    keys = [i.key for i in report.teams[0].fidelity.indicators if i.key != "minutes_per_case"] if report.teams else []
    # CSV column -> the figure it shares out of the report's outcome figures
    outcome_fields = {
        "rating_share": "rating_families",
        "improved_share": "improved",
        "deteriorated_share": "deteriorated",
        "significant_share": "significant",
    }
    writer.writerow(
        [
            "team",
            "unit",
            "kind",
            "families_open",
            "children_open",
            "caseworkers",
            "caseload_median",
            "over_target",
            "over_cap",
            "overdue_deadlines",
        ]
        + [f"{k}_percent" for k in keys]
        + ["minutes_per_case", "raters_with_change", *outcome_fields]
        + ["staff_now", "staff_joined", "staff_left", "turnover_percent", "vacancies", "pulse_respondents"]
        + [f"pulse_{q}_mean" for q in PULSE_QUESTIONS]
    )
    for row in report.teams:
        load = row.fidelity.caseload
        shares = [
            HIDDEN_IN_CSV if i.hidden else ("" if i.percent is None else i.percent)
            for i in row.fidelity.indicators
            if i.key != "minutes_per_case"
        ]
        minutes = row.fidelity["minutes_per_case"].numerator
        figures = row.outcomes.figures
        writer.writerow(
            [
                row.team.name,
                row.team.unit.name,
                row.team.get_kind_display(),
                row.families,
                row.children,
                len(load.workers) if load else 0,
                load.median if load else "",
                load.over_target_count if load else 0,
                load.over_cap_count if load else 0,
                row.overdue,
                *shares,
                "" if minutes is None else minutes,
                _csv_figure(figures["with_change"], share=False),
                *(_csv_figure(figures[name], share=True) for name in outcome_fields.values()),
                *_staffing_csv(row.staffing),
            ]
        )
    return response


def _staffing_csv(s) -> list:
    if s is None:
        return [""] * (6 + len(PULSE_QUESTIONS))
    figures = [s.headcount, s.joined, s.left, "" if s.turnover_percent is None else s.turnover_percent, s.vacancies]
    if s.pulse.hidden:
        return figures + [HIDDEN_IN_CSV] * (1 + len(PULSE_QUESTIONS))
    means = s.pulse.means
    return figures + [s.pulse.respondents] + ["" if means[q] is None else round(means[q], 1) for q in PULSE_QUESTIONS]


@never_cache
@aggregate
@login_required
def research_export(request):
    """The researcher asks for the county's pseudonymised data: a background task writes it, the
    page shows its progress and, when done, the download. Asking hands nothing out."""
    access = gate.open_organisation(request.user, Perm.RESEARCH_EXPORT)
    form = ResearchExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = ResearchExportJob.objects.create(
            county_id=access.county_id,
            requested_by=request.user,
            project=form.cleaned_data["project"],
            purpose=form.cleaned_data["purpose"],
            permit=form.cleaned_data["permit"],
        )
        tasks.research_export_task.enqueue(job.pk)
        messages.success(request, _("Aineiston kirjoitus alkoi. Sivu näyttää sen edistymisen; lataus avautuu, kun aineisto on valmis."))
        return redirect("research-export")
    jobs = ResearchExportJob.objects.filter(requested_by=request.user, county_id=access.county_id)[:20]
    running = any(j.status in (ResearchExportJob.Status.QUEUED, ResearchExportJob.Status.RUNNING) for j in jobs)
    return render(request, "evaluation/research_jobs.html", {"form": form, "tables": research.TABLES, "jobs": jobs, "running": running})


@never_cache
@discloses_pseudonymised_data
@login_required
def research_download(request, job_id):
    """The finished export, to the researcher who asked for it; every download is a disclosure of
    each family the file holds (recipient, purpose and legal basis), logged before the first byte."""
    access = gate.open_organisation(request.user, Perm.RESEARCH_EXPORT)
    job = ResearchExportJob.objects.filter(
        pk=job_id, requested_by=request.user, county_id=access.county_id, status=ResearchExportJob.Status.DONE
    ).first()
    if job is None:
        raise Http404
    zip_path, families_path = tasks.job_paths(job)
    if not zip_path.exists():
        raise Http404
    export = research.ResearchExport(
        actor=request.user,
        recipient=tasks.recipient(job),
        legal_basis=tasks.legal_basis(job),
        county=job.county,
        view_name="research-download",
    )
    with families_path.open() as rows:
        export.log_disclosure(tuple(int(v) for v in line.split(",")) for line in rows if line.strip())
    ResearchExportJob.objects.filter(pk=job.pk).update(downloads=F("downloads") + 1)
    response = FileResponse(zip_path.open("rb"), content_type="application/zip", as_attachment=True)
    response["Content-Disposition"] = (
        f'attachment; filename="systeemi-tutkimusaineisto-{job.county.code}-{timezone.localtime(job.created_at):%Y-%m-%d}.zip"'
    )
    return response


# ---- effectiveness ----------------------------------------------------------------------------


def _effectiveness_context(request):
    gate.open_organisation(request.user, Perm.EVALUATION_VIEW)
    form = EffectivenessForm(request.GET or None)
    months, scope = form.values()
    # "own": the teams the manager oversees (the county, or their unit). "national": every county's
    # systemic and comparison teams, shown only as the two kinds' aggregates after the small-cell rule.
    teams = gate.managed_teams(request.user) if scope == "own" else Team.objects.all()
    result = cached_effectiveness(teams, scope=scope, months=months, refresh=request.GET.get("refresh") == "1")
    model = result.model
    return {
        "form": form,
        "result": result,
        "months": months,
        "scope": scope,
        "model_chart": charts.interval_chart([(_("Systeemiset – vertailu"), model.effect, model.low, model.high)]),
        "ratio_chart": charts.interval_chart(
            [
                (_("Sijoitukset"), *_interval(result.placement_ratio)),
                (_("Tahdonvastaiset"), *_interval(result.involuntary_ratio)),
            ],
            null=1.0,
        ),
        "types": [(value, label) for value, label in PLACEMENT_TYPES],
    }


def _interval(interval):
    return (None, None, None) if interval is None else (interval.estimate, interval.low, interval.high)


@aggregate
@login_required
def effectiveness(request):
    """Systemic against comparison teams: ORS change, placements, their days and cost, time to
    closing, re-notifications, and the adjusted difference with its interval. Aggregates only."""
    context = _effectiveness_context(request)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _effectiveness_csv(context["result"])
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string("evaluation/effectiveness_pdf.html", {**context, "pdf": True}, request)
        response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="vaikuttavuus-{timezone.localdate():%Y-%m-%d}.pdf"'
        return response
    return render(request, "evaluation/effectiveness.html", context)


EFFECTIVENESS_CSV = [
    "teams",
    "families",
    "child_clients",
    "placements",
    "placements_per_1000",
    "involuntary",
    "involuntary_per_1000",
    *(f"days_{t}" for t in TYPES),
    "days_total",
    *(f"cost_{t}" for t in TYPES),
    "cost_total",
    "cost_per_child",
    "closed",
    "median_days_open",
    "cohort",
    "renotified",
    "renotified_share",
    "rating_families",
    "with_change",
    "improved",
    "improved_share",
    "improved_low",
    "improved_high",
    "deteriorated",
    "deteriorated_share",
    "significant",
    "significant_share",
    "series",
    "mean_baseline",
    "mean_latest",
    "effect_size",
]


def _csv_cell(cell):
    if cell.hidden:
        return HIDDEN_IN_CSV
    if cell.value is None:
        return ""
    return round(float(cell.value), cell.digits) if cell.digits else round(cell.value)


def _effectiveness_csv(result) -> HttpResponse:
    """The page's figures per kind of team (the same cells, hidden ones as *), then the model."""
    response, writer = csv_response(f"vaikuttavuus-{result.scope}-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerow(["kind", "period_start", "period_end", *EFFECTIVENESS_CSV])
    for kind, cells in result.cells.items():
        writer.writerow([kind, result.period.start, result.period.end, *(_csv_cell(cells[name]) for name in EFFECTIVENESS_CSV)])
    m = result.model
    writer.writerow([])
    writer.writerow(
        [
            "model",
            "verdict",
            "effect",
            "ci_low",
            "ci_high",
            "p_value",
            "families_systemic",
            "families_comparison",
            "teams_systemic",
            "teams_comparison",
        ]
    )
    writer.writerow(
        [
            "latest ~ baseline + systemic + (1 | team)",
            m.verdict,
            *("" if v is None else round(v, 2) for v in (m.effect, m.low, m.high)),
            "" if m.p_value is None else round(m.p_value, 4),
            *m.families,
            *m.teams,
        ]
    )
    return response


@aggregate
@login_required
def placement_costs(request):
    """The county's price of a placement day by type, with every change kept and shown."""
    access = open_placement_costs(request.user)
    can_set = access.can(Perm.PLACEMENT_COST_SET)
    form = PlacementCostForm(request.POST or None)
    if request.method == "POST":
        access = open_placement_costs(request.user, need=Perm.PLACEMENT_COST_SET)
        if form.is_valid():
            services.placement_cost_set(access=access, **form.cleaned_data)
            messages.success(request, _("Hinta tallennettu. Aiemmat hinnat säilyvät historiassa."))
            return redirect("placement-costs")
    history = (
        PlacementCost.objects.filter(county_id=access.county_id)
        .select_related("set_by")
        .order_by("placement_type", "-valid_from", "-set_at")
    )
    return render(request, "evaluation/placement_costs.html", {"form": form, "history": history, "can_set": can_set})


# ---- the wellbeing pulse ----------------------------------------------------------------------


@own_account
@login_required
def pulse_page(request):
    """The member's own monthly pulse: the form while unanswered this month, and their team's
    months with five or more respondents. Nothing here names a family or a colleague's answer."""
    teams = list(pulse.answerable_teams(request.user))
    answered = bool(teams) and pulse.has_answered(request.user)
    form = PulseForm(request.POST or None, teams=teams)
    if request.method == "POST" and teams and not answered and form.is_valid():
        data = dict(form.cleaned_data)
        team = next((t for t in teams if t.pk == data.pop("team", teams[0].pk)), teams[0])
        try:
            pulse.pulse_answer(user=request.user, team=team, answers=data)
        except pulse.AlreadyAnswered:
            messages.info(request, _("Olet jo vastannut tässä kuussa."))
        else:
            messages.success(request, _("Kiitos! Vastauksesi on laskettu tiimisi kuukauden lukuihin ilman tietoa siitä, kuka vastasi."))
        return redirect("pulse")
    months = pulse.last_months(6, include_current=True)
    results = [(team, pulse.team_months(team, months)) for team in teams]
    return render(
        request,
        "evaluation/pulse.html",
        {"form": form, "teams": teams, "answered": answered, "results": results, "small": disclosure.THRESHOLD},
    )
