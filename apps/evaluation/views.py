"""Evaluation pages: a team's fidelity, the county report, and the researcher's export download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from apps.access import gate
from apps.access.permissions import Perm
from apps.core import disclosure
from apps.core.marks import aggregate, discloses_pseudonymised_data
from apps.core.spreadsheet import csv_response

from . import research, selectors
from .forms import PeriodForm, ResearchExportForm


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
        {"team": team, "fidelity": fidelity, "form": form, "member": member, "small": disclosure.THRESHOLD},
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

    figures = selectors.cached_county_report_html(county_id, teams=teams, months=months, refresh=refresh, render=render_figures)
    context = {"figures": figures, "form": form, "period": selectors.Period.last(months)}
    return render(request, "evaluation/county_report.html", context)


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
            ]
        )
    return response


@never_cache
@discloses_pseudonymised_data
@login_required
def research_export(request):
    """The researcher's download of the county's pseudonymised data; every download is logged."""
    gate.open_organisation(request.user, Perm.RESEARCH_EXPORT)
    form = ResearchExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        export = research.ResearchExport(
            actor=user,
            recipient=f"{user} / {form.cleaned_data['project']}",
            legal_basis=f"{form.cleaned_data['permit']} ({research.SECONDARY_USE_ACT})",
            county=user.county,
        )
        export.log_disclosure()  # before the first byte leaves
        response = StreamingHttpResponse(research.stream_research_export(export), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="systeemi-tutkimusaineisto-{user.county.code}-{timezone.localdate():%Y-%m-%d}.zip"'
        )
        return response
    return render(request, "evaluation/research_export.html", {"form": form, "tables": research.TABLES})
