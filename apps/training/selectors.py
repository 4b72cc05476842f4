"""Reads for training: each member's training status (fidelity's "members trained") and the
regional training plan. A fixed number of queries whatever the county's size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from apps.organisations.models import Membership, Team

from .models import SessionAttendance, Training, TrainingKind, TrainingSession

TRAINED, IN_TRAINING, NOT_TRAINED = "trained", "in_training", "not_trained"


def member_status(team_ids, today: datetime.date | None = None) -> dict[int, dict[int, str]]:
    """team -> member (user id) -> trained / in training / not trained, for the teams' active members.

    Trained: attended every block of a team training whose blocks have all ended (any team's
    training of the county: a member who moved keeps their training). In training: attended a block
    of a team training, or one is going on. Three queries."""
    today = today or timezone.localdate()
    members: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in Membership.objects.active(today).filter(team_id__in=team_ids).values_list("team_id", "user_id"):
        members[team_id].add(user_id)
    users = set().union(*members.values()) if members else set()
    sessions: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for training_id, session_id, ends_on in TrainingSession.objects.filter(
        training__kind=TrainingKind.TEAM_TRAINING, training__team__county__in=Team.objects.filter(pk__in=team_ids).values("county")
    ).values_list("training_id", "id", "ends_on"):
        sessions[training_id].append((session_id, ends_on))
    attended: dict[int, set[int]] = defaultdict(set)
    for user_id, session_id in SessionAttendance.objects.filter(
        user_id__in=users, session__training__kind=TrainingKind.TEAM_TRAINING
    ).values_list("user_id", "session_id"):
        attended[user_id].add(session_id)
    completed = [{sid for sid, _e in blocks} for blocks in sessions.values() if blocks and all(e <= today for _s, e in blocks)]

    def status(user_id: int) -> str:
        mine = attended.get(user_id, set())
        if any(blocks <= mine for blocks in completed):
            return TRAINED
        return IN_TRAINING if mine else NOT_TRAINED

    return {team_id: {u: status(u) for u in users_of} for team_id, users_of in members.items()}


def trained_counts(team_ids, today: datetime.date | None = None) -> dict[int, tuple[int, int]]:
    """team -> (members trained, members): the fidelity indicator's numerator and denominator."""
    return {team_id: (sum(s == TRAINED for s in st.values()), len(st)) for team_id, st in member_status(team_ids, today).items()}


@dataclass
class PlanRow:
    team: Team
    members: int = 0
    trained: int = 0
    in_training: int = 0
    not_trained: int = 0
    team_trainings: int = 0
    upcoming: list = field(default_factory=list)  # (day, training name, kind label, block number)
    follow_ups_held: int = 0
    partner_sessions_held: int = 0
    partner_participants: int = 0

    @property
    def needs(self) -> list[str]:
        from django.utils.translation import gettext as _
        from django.utils.translation import ngettext

        needs = []
        scheduled = any(kind == TrainingKind.TEAM_TRAINING for _d, _n, kind, _b in self.upcoming)
        if self.not_trained and not scheduled:
            needs.append(
                ngettext("tiimivalmennus %(n)s jäsenelle", "tiimivalmennus %(n)s jäsenelle", self.not_trained) % {"n": self.not_trained}
            )
        if self.in_training and not scheduled:
            # attended a block of a training that is over, not every block: nothing left to finish it
            needs.append(
                ngettext("puuttuvat jaksot %(n)s jäsenelle", "puuttuvat jaksot %(n)s jäsenelle", self.in_training) % {"n": self.in_training}
            )
        if (
            self.team.kind == "systemic"
            and self.trained
            and not self.follow_ups_held
            and not any(kind == TrainingKind.FOLLOW_UP for _d, _n, kind, _b in self.upcoming)
        ):
            needs.append(_("jatkotyönohjaus"))
        if self.team.kind == "systemic" and not self.partner_sessions_held:
            needs.append(_("infotilaisuus yhteistyökumppaneille"))
        return needs


def training_plan(county_id: int, today: datetime.date | None = None) -> list[PlanRow]:
    """The county's regional training plan: each team's members by training status, what is
    scheduled, what was held, and what is still needed."""
    today = today or timezone.localdate()
    teams = list(Team.objects.filter(county_id=county_id).select_related("unit").order_by("unit__name", "name"))
    rows = {t.pk: PlanRow(t) for t in teams}
    for team_id, statuses in member_status([t.pk for t in teams], today).items():
        row = rows[team_id]
        row.members = len(statuses)
        row.trained = sum(s == TRAINED for s in statuses.values())
        row.in_training = sum(s == IN_TRAINING for s in statuses.values())
        row.not_trained = sum(s == NOT_TRAINED for s in statuses.values())
    for team_id, kind, name, number, starts_on, _ends, partners in (
        TrainingSession.objects.filter(training__county_id=county_id)
        .order_by("starts_on", "number")
        .values_list("training__team_id", "training__kind", "training__name", "number", "starts_on", "ends_on", "partner_participants")
    ):
        row = rows[team_id]
        if starts_on > today:
            row.upcoming.append((starts_on, name, kind, number))
        elif kind == TrainingKind.FOLLOW_UP:
            row.follow_ups_held += 1
        elif kind == TrainingKind.PARTNER_INFO:
            row.partner_sessions_held += 1
            row.partner_participants += partners
    for (team_id,) in Training.objects.filter(county_id=county_id, kind=TrainingKind.TEAM_TRAINING).values_list("team_id"):
        rows[team_id].team_trainings += 1
    return list(rows.values())
