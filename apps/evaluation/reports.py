"""Reports to hand on: the county, a unit and a team, as pages and PDFs with charts drawn on the
server (apps/evaluation/charts.py), each chart beside the table of its figures.

All three are the county report's computation (selectors.county_report) for a set of teams: the
county's (or the manager's unit's), one unit's, or one team. The charts draw only what the tables
show: a figure hidden by the small-cell rule is labelled, not drawn.
"""

from django.utils.translation import gettext as _

from . import charts
from .targets import Status


def report_charts(report) -> list[dict]:
    """The report's charts: each team's share of the model's indicators met, its share of raters
    with reliable improvement, and its caseload median."""
    teams = report.teams
    met = []
    for row in teams:
        judged = [i for i in row.fidelity.indicators if i.status in (Status.MET, Status.PARTLY, Status.NOT_MET)]
        met.append((row.team.name, 100 * sum(i.status == Status.MET for i in judged) / len(judged) if judged else None))
    improved = [(row.team.name, row.outcomes.figures["improved"].percent) for row in teams]
    caseload = [(row.team.name, row.fidelity.caseload.median if row.fidelity.caseload else None) for row in teams]
    return [
        {
            "id": "chart-met",
            "title": _("Mallin mittareista toteutuu, %"),
            "chart": charts.bar_chart(met, high=100),
            "caption": _("Osuus tiimin arvioiduista mittareista, jotka toteutuvat. Luvut taulukossa Tiimit."),
        },
        {
            "id": "chart-improved",
            "title": _("Luotettava paraneminen, prosenttia arvioijista"),
            "chart": charts.bar_chart(improved, high=100),
            "caption": _(
                "Arvioijat, joiden tilannearvio parani luotettavasti; piilotettua lukua ei piirretä (*). Luvut taulukossa Tiimit."
            ),
        },
        {
            "id": "chart-caseload",
            "title": _("Työkuorman mediaani, lasta työntekijää kohden"),
            "chart": charts.bar_chart(caseload),
            "caption": _("Vastuulasten määrän mediaani tiimin sosiaalityöntekijöillä nyt. Luvut taulukossa Tiimit."),
        },
    ]
