"""The records behind each fidelity indicator, for the team's own members.

A fidelity figure says "7 of 10"; a team that owns its practice wants to know which three. Each
indicator here lists the records that did not meet it (the ones to act on) — weeks without a
meeting, meetings without the consultant in the chair, families not discussed within the
interval, discussions without a hypothesis, steps done late — read with the same rules as the
figure (apps/evaluation/selectors). Families are named, so the page is for the team's members
only, and the families it lists are logged as listed (apps/evaluation/views.fidelity_records).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.caseload.selectors import caseload_overview
from apps.clients.models import Family
from apps.core.dates import short
from apps.meetings.models import AgendaItem, Hypothesis, PlanStep
from apps.organisations.models import Team
from apps.ratings.models import Rating

from . import selectors
from .selectors import Period


@dataclass
class Records:
    key: str
    intro: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # cells: text, or (text, url)
    family_ids: set[int] = field(default_factory=set)


def _day(at) -> str:
    return short(timezone.localtime(at).date() if isinstance(at, datetime.datetime) else at)


def _meeting_link(meeting_id, starts_at):
    return (_day(starts_at), reverse("meeting-detail", args=[meeting_id]))


def _family_link(family_id, name):
    return (name, reverse("family-detail", args=[family_id]))


def _item_link(meeting_id, item_id, starts_at):
    return (_day(starts_at), reverse("meeting-item", args=[meeting_id, item_id]))


def records(team: Team, key: str, period: Period) -> Records:
    """The records behind `key`; every cell as (text, link or "")."""
    found = BUILDERS[key](team, period)
    found.rows = [[cell if isinstance(cell, tuple) else (str(cell), "") for cell in row] for row in found.rows]
    return found


def _weeks_without_meeting(team, period):
    held_weeks = {timezone.localtime(s).date().isocalendar()[:2] for _t, _m, s, _c, _th in selectors._meeting_rows([team.pk], period)}
    r = Records("meetings_held", _("Työviikot, joina tiimikokousta ei pidetty."), [_("Viikko"), _("Alkaen")])
    from apps.casework.calendar import is_working_day

    for monday in period.weeks:
        working = any(is_working_day(monday + datetime.timedelta(days=d)) for d in range(5))
        if working and monday.isocalendar()[:2] not in held_weeks:
            r.rows.append([str(monday.isocalendar()[1]), _day(monday)])
    return r


def _meetings_without(flag_index: int, key: str, intro):
    def build(team, period):
        r = Records(key, intro, [_("Kokous")])
        for _t, meeting_id, starts_at, chaired, therapist in selectors._meeting_rows([team.pk], period):
            if not (chaired, therapist)[flag_index]:
                r.rows.append([_meeting_link(meeting_id, starts_at)])
        return r

    return build


def _items(team, period):
    held = selectors._held_meetings([team.pk], period).values("id")
    return AgendaItem.objects.filter(meeting_id__in=held).select_related("meeting", "family").order_by("meeting__starts_at", "position")


def _discussions(key, intro, condition):
    def build(team, period):
        r = Records(key, intro, [_("Käsittely"), _("Perhe")])
        for item in _items(team, period).filter(condition()):
            r.rows.append([_item_link(item.meeting_id, item.pk, item.meeting.starts_at), _family_link(item.family_id, item.family.name)])
            r.family_ids.add(item.family_id)
        return r

    return build


def _not_discussed_often(team, period):
    interval = team.discussion_interval_weeks
    r = Records(
        "discussed_often",
        _("Avoimet perheet, joita ei käsitelty sovitun välin (%(n)s kokousta) sisällä jaksolla.") % {"n": interval},
        [_("Perhe"), _("Viimeksi käsitelty")],
    )
    meetings = [(mid, starts) for _t, mid, starts, _c, _th in selectors._meeting_rows([team.pk], period)]
    held = selectors._held_meetings([team.pk], period).values("id")
    discussed: dict[int, set] = {}
    last: dict[int, datetime.datetime] = {}
    for meeting_id, family_id, starts_at in AgendaItem.objects.filter(meeting_id__in=held).values_list(
        "meeting_id", "family_id", "meeting__starts_at"
    ):
        discussed.setdefault(family_id, set()).add(meeting_id)
        last[family_id] = max(last.get(family_id, starts_at), starts_at)
    names = dict(Family.objects.filter(team=team).values_list("id", "name"))
    for family_id, _team, since, _ors in selectors._open_families([team.pk], period):
        ok, judged = selectors._discussed_often(meetings, {family_id: discussed.get(family_id, set())}, [(family_id, since)], interval)
        if judged and not ok:
            r.rows.append([_family_link(family_id, names[family_id]), _day(last[family_id]) if family_id in last else "–"])
            r.family_ids.add(family_id)
    return r


def _minutes(team, period):
    r = Records(
        "minutes_per_case",
        _("Käsittelyt, joihin käytettiin vähemmän aikaa kuin asialistalle oli varattu."),
        [_("Käsittely"), _("Perhe"), _("Varattu, min"), _("Käytetty, min")],
    )
    for item in _items(team, period).filter(started_at__isnull=False, ended_at__isnull=False):
        used = round((item.ended_at - item.started_at).total_seconds() / 60)
        if used < item.planned_minutes:
            r.rows.append(
                [
                    _item_link(item.meeting_id, item.pk, item.meeting.starts_at),
                    _family_link(item.family_id, item.family.name),
                    str(item.planned_minutes),
                    str(used),
                ]
            )
            r.family_ids.add(item.family_id)
    return r


def _steps_late(team, period):
    r = Records(
        "steps_on_time",
        _("Jakson askeleet, joita ei tehty määräpäivään mennessä."),
        [_("Perhe"), _("Askel"), _("Kuka"), _("Määräpäivä"), _("Tila")],
    )
    steps = (
        PlanStep.objects.filter(family__team=team, due_on__range=(period.start, period.end))
        .exclude(status=PlanStep.Status.CANCELLED)
        .exclude(status=PlanStep.Status.DONE, done_on__lte=F("due_on"))
        .select_related("family", "owner")
        .order_by("due_on", "id")
    )
    for s in steps:
        r.rows.append([_family_link(s.family_id, s.family.name), s.what, str(s.owner), _day(s.due_on), s.get_status_display()])
        r.family_ids.add(s.family_id)
    return r


def _without_ors(team, period):
    r = Records("ors_share", _("Avoimet perheet, joilta ei ole tilannearviota (ORS) jaksolla."), [_("Perhe")])
    names = dict(Family.objects.filter(team=team).values_list("id", "name"))
    for family_id, _team, _since, rated in selectors._open_families([team.pk], period):
        if not rated:
            r.rows.append([_family_link(family_id, names[family_id])])
            r.family_ids.add(family_id)
    r.rows.sort(key=lambda row: row[0][0])
    return r


def _caseload(over_cap: bool):
    def build(team, period):
        key = "caseload_under_cap" if over_cap else "caseload_recommended"
        intro = (
            _("Työntekijät, joilla on nyt enemmän lapsia kuin lakisääteinen enimmäismäärä.")
            if over_cap
            else _("Työntekijät, joilla on nyt enemmän lapsia kuin tiimin tavoite (%(n)s).") % {"n": team.caseload_target_max}
        )
        r = Records(key, intro, [_("Työntekijä"), _("Lapsia")])
        overview = caseload_overview(team.county_id, Team.objects.filter(pk=team.pk), months=1)
        for load in overview.teams:
            for w in load.workers:
                if w.over_cap if over_cap else w.children > team.caseload_target_max:
                    r.rows.append([w.name, str(w.children)])
        return r

    return build


def _srs_missing():
    session = Rating.objects.filter(agenda_item=OuterRef("pk"), instrument__kind="session")
    return Q(family_attended=True) & ~Q(Exists(session))


def _not_trained(team, period):
    from apps.accounts.models import User
    from apps.training.selectors import IN_TRAINING, TRAINED, member_status

    r = Records("members_trained", _("Tiimin jäsenet, joiden koulutus malliin on kesken tai alkamatta."), [_("Tiimin jäsen"), _("Tila")])
    statuses = member_status([team.pk]).get(team.pk, {})
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=statuses)}
    for user_id, status in sorted(statuses.items(), key=lambda item: names[item[0]]):
        if status != TRAINED:
            r.rows.append([names[user_id], str(_("koulutuksessa") if status == IN_TRAINING else _("kouluttamatta"))])
    return r


BUILDERS = {
    "meetings_held": _weeks_without_meeting,
    "consultant_chaired": _meetings_without(
        0, "consultant_chaired", _("Pidetyt kokoukset, joiden puheenjohtaja ei ollut tiimin konsultoiva sosiaalityöntekijä.")
    ),
    "therapist_present": _meetings_without(1, "therapist_present", _("Pidetyt kokoukset, joissa perheterapeutti ei ollut paikalla.")),
    "discussed_often": _not_discussed_often,
    "minutes_per_case": _minutes,
    "family_present": _discussions("family_present", _("Käsittelyt, joissa perhe oli mukana."), lambda: Q(family_attended=True)),
    "partner_present": _discussions(
        "partner_present", _("Käsittelyt, joissa yhteistyökumppani oli mukana."), lambda: Q(partner_attended=True)
    ),
    "hypotheses": _discussions(
        "hypotheses",
        _("Käsittelyt, joista ei kirjattu hypoteesia."),
        lambda: ~Q(Exists(Hypothesis.objects.filter(item=OuterRef("pk")))),
    ),
    "plan_steps": _discussions(
        "plan_steps",
        _("Käsittelyt, joista ei kirjattu suunnitelman askelta."),
        lambda: ~Q(Exists(PlanStep.objects.filter(item=OuterRef("pk")))),
    ),
    "steps_on_time": _steps_late,
    "caseload_recommended": _caseload(over_cap=False),
    "caseload_under_cap": _caseload(over_cap=True),
    "ors_share": _without_ors,
    "members_trained": _not_trained,
    "srs_share": _discussions("srs_share", _("Käsittelyt, joissa perhe oli mukana mutta istuntoarviota (SRS) ei annettu."), _srs_missing),
}
