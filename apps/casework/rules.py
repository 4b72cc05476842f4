"""Statutory deadlines of child-protection casework, with their legal sources and effective dates.

A change in the law is a data change here: add a Rule (or an AfterCareAge) with the date it takes
effect; nothing else in the code knows the figures. Confidence follows ../shared/FACTS.md
(H = primary or official text seen, M = secondary source, U = unconfirmed).
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from apps.core.dates import dated

from .calendar import add_working_days, is_working_day


class DeadlineKind(StrEnum):
    INVESTIGATION_DECISION = "investigation_decision"
    ASSESSMENT_COMPLETION = "assessment_completion"
    CLIENT_PLAN = "client_plan"
    CLIENT_PLAN_REVIEW = "client_plan_review"
    PLACED_CHILD_MEETING = "placed_child_meeting"
    AFTER_CARE_END = "after_care_end"


@dataclass(frozen=True)
class Rule:
    kind: DeadlineKind
    title: str
    source: str  # shown beside each deadline, in the reader's language
    confidence: str
    effective_from: datetime.date
    working_days: int = 0
    months: int = 0

    def due(self, start: datetime.date) -> datetime.date:
        if self.working_days:
            return add_working_days(start, self.working_days)
        # Month limits end on the same day number; a missing day (31.11.) becomes the month's last day
        # (relativedelta does exactly that, as Act 150/1930 § 3 does). A limit that ends on a weekend
        # or a holiday is shown on the working day before it, the last day the team can act on: the
        # Act (§ 5) would allow the next working day, but the team's own deadline stays the earlier,
        # safer one, and a Sunday date (QA: "su 24.1.2027") left the team no day to act on.
        due = start + relativedelta(months=self.months)
        while not is_working_day(due):
            due -= datetime.timedelta(days=1)
        return due


RULES: tuple[Rule, ...] = (
    Rule(
        DeadlineKind.INVESTIGATION_DECISION,
        _("Päätös lastensuojelutarpeen selvityksen aloittamisesta"),
        _("LsL 26 § 3 mom.: seitsemän arkipäivän kuluessa asian vireille tulosta; THL Lastensuojelun käsikirja, Lastensuojelun aikarajat"),
        "H",
        datetime.date(2008, 1, 1),
        working_days=7,
    ),
    Rule(
        DeadlineKind.ASSESSMENT_COMPLETION,
        _("Palvelutarpeen arviointi / lastensuojelutarpeen selvitys valmis"),
        _("LsL 27 § 2 mom., SHL 36 § 3 mom.: kolmen kuukauden kuluessa asian vireille tulosta; THL Lastensuojelun käsikirja"),
        "H",
        datetime.date(2015, 4, 1),
        months=3,
    ),
    Rule(
        DeadlineKind.CLIENT_PLAN,
        _("Asiakassuunnitelma laadittava"),
        _(
            "LsL 30 § 1 mom.: asiakkaana olevalle lapselle on tehtävä asiakassuunnitelma; laissa ei määräaikaa, "
            "THL:n käsikirja: ilman aiheetonta viivytystä. Määräpäivä = avohuollon tai sijoituksen alku."
        ),
        "H",
        datetime.date(2008, 1, 1),
    ),
    Rule(
        DeadlineKind.PLACED_CHILD_MEETING,
        _("Vastuutyöntekijän henkilökohtainen tapaaminen sijoitetun lapsen kanssa"),
        _(
            "LsL 29 § 1 mom. (tavattava riittävän usein) ja 30 § 2 mom. (tapaamiset kirjataan suunnitelmaan); "
            "väli suunnitelmaan kirjatun tapaamistiheyden mukaan"
        ),
        "H",
        datetime.date(2020, 1, 1),
    ),
    Rule(
        DeadlineKind.CLIENT_PLAN_REVIEW,
        _("Asiakassuunnitelman tarkistus"),
        _("LsL 30 § 1 mom.: suunnitelma tarkistetaan tarvittaessa, kuitenkin vähintään kerran vuodessa."),
        "U",
        datetime.date(2008, 1, 1),
        months=12,
    ),
)


def rule_for(kind: DeadlineKind, on: datetime.date) -> Rule:
    """The rule of that kind in force on a date; before its first version, that first version.

    Every deadline list asks for a rule for every open matter, so there must always be one: a
    matter older than the rules known here (a 2014 assessment: its 2015 rule; a date before
    apps.core.dates.EARLIEST_RECORD_DATE that came in before that bound) is held to the earliest
    known rule rather than taking down the team's lists (it once did, with a 1900 typo).
    """
    versions = [rule for rule in RULES if rule.kind == kind]
    current = versions[0]
    for rule in versions[1:]:
        if rule.effective_from <= on:
            current = rule
    return current


AFTER_CARE_RAISED_TO_25 = datetime.date(2020, 1, 1)
AFTER_CARE_LOWERED_TO_23 = datetime.date(2024, 1, 1)
AFTER_CARE_TRANSITION_END = datetime.date(2024, 6, 30)
AFTER_CARE_SOURCES = {
    21: _("LsL 75 § (417/2007): 21 ikävuoteen"),
    25: dated(_("LsL 75 § (542/2019): 25 ikävuoteen %(start)s alkaen"), start=AFTER_CARE_RAISED_TO_25),
    23: dated(_("LsL 75 § (HE 56/2023, StVM 12/2023): 23 ikävuoteen %(start)s alkaen"), start=AFTER_CARE_LOWERED_TO_23),
    "transition": dated(
        _("LsL 75 § siirtymäsäännös (HE 56/2023): 23 tai 24 vuotta täyttäneet enintään %(end)s"), end=AFTER_CARE_TRANSITION_END
    ),
}


def after_care_end(birth_date: datetime.date) -> tuple[datetime.date, str]:
    """The last day of after-care a young person is entitled to, and the rule it comes from (H)."""
    turns = {age: birth_date + relativedelta(years=age) for age in (21, 23, 25)}
    day_before = datetime.timedelta(days=1)
    if turns[21] < AFTER_CARE_RAISED_TO_25:
        return turns[21] - day_before, AFTER_CARE_SOURCES[21]
    if turns[23] > AFTER_CARE_LOWERED_TO_23:  # turning 23 on 1.1.2024 counts as "had turned 23"
        return turns[23] - day_before, AFTER_CARE_SOURCES[23]
    if turns[25] - day_before <= AFTER_CARE_TRANSITION_END:
        return turns[25] - day_before, AFTER_CARE_SOURCES[25]
    return AFTER_CARE_TRANSITION_END, AFTER_CARE_SOURCES["transition"]
