"""Reads for the shared plan and consents, each in a fixed number of queries."""

import datetime
import difflib
from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from apps.accounts.models import display_name
from apps.casework.deadlines import Deadline
from apps.clients.models import ClientRelationship
from apps.core.links import id_links

from . import questions
from .models import (
    Consent,
    ConsentParty,
    HandoverShare,
    JointAnswer,
    JointAssessment,
    PlanAgreement,
    PlanVersion,
    SharedPlan,
    SharedStep,
    StepOwner,
)

REVIEW_KIND = "shared_plan_review"


def review_deadlines(families, *, worker=None, today=None) -> list[Deadline]:
    """The next review of each family's shared plan, as a deadline (one query). `worker`: only the
    families where they are a child's responsible worker or the parents' worker."""
    plans = SharedPlan.objects.filter(family__in=families, review_on__isnull=False)
    if worker is not None:
        responsible = ClientRelationship.objects.filter(responsible_worker=worker, closed_on__isnull=True).values("family_id")
        plans = plans.filter(Q(family__parents_worker=worker) | Q(family_id__in=responsible))
    link = id_links("shared-plan")
    title, source = gettext("Yhteisen suunnitelman tarkistus"), gettext("Perheen ja verkoston sopima tarkistuspäivä")
    everyone = gettext("koko perhe")
    rows = plans.values_list(
        "family_id", "family__name", "review_on", "family__parents_worker__first_name", "family__parents_worker__last_name"
    )
    return [
        Deadline(REVIEW_KIND, title, source, review_on, family_id, name, everyone, display_name(first, last, ""), link(family_id), today)
        for family_id, name, review_on, first, last in rows
    ]


@dataclass
class PlanPage:
    plan: SharedPlan
    version: PlanVersion | None
    steps: list[SharedStep]
    agreements: list[PlanAgreement]


def plan_page(plan: SharedPlan) -> PlanPage:
    """The current version, the steps and the family's agreements (three queries; none when unsaved)."""
    if not plan.pk:
        return PlanPage(plan, None, [], [])
    version = PlanVersion.objects.filter(plan=plan, number=plan.version).select_related("saved_by").first() if plan.version else None
    steps = list(
        SharedStep.objects.filter(plan=plan).select_related("owner_user", "owner_member__person", "done_by").order_by("due_on", "id")
    )
    agreements = list(PlanAgreement.objects.filter(plan=plan).select_related("member__person").order_by("-version", "-agreed_on", "-id"))
    return PlanPage(plan, version, steps, agreements)


def partner_view(page: PlanPage, partner) -> tuple[list[dict], list[SharedStep], list[SharedStep]]:
    """What a partner sees of the plan: their own part of the division of responsibility, their own
    steps and the family's and team's steps; never another partner's part or steps (apps/partnership/access.py)."""
    parts = [p for p in (page.version.partner_parts if page.version else []) if p["partner_id"] == partner.pk]
    own = [s for s in page.steps if s.owner_kind == StepOwner.PARTNER and s.owner_user_id == partner.pk]
    others = [s for s in page.steps if s.owner_kind != StepOwner.PARTNER and s.status != SharedStep.Status.CANCELLED]
    return parts, own, others


def family_consents(family) -> list[Consent]:
    """Every consent of the family, newest first, with its parties (two queries)."""
    consents = list(Consent.objects.filter(family=family).select_related("partner", "recorded_by", "withdrawn_by"))
    parties = ConsentParty.objects.filter(consent__in=consents).select_related("member__person").order_by("member__person__birth_date")
    by_consent: dict[int, list] = {}
    for party in parties:
        by_consent.setdefault(party.consent_id, []).append(party)
    for consent in consents:
        consent.party_list = by_consent.get(consent.pk, [])
    return consents


def partner_plans(partner, *, today=None) -> list[dict]:
    """A partner's home: the families whose consent is in force today, with their plan and the
    partner's open steps in it (two queries)."""
    today = today or timezone.localdate()
    consents = list(
        Consent.objects.active(today)
        .filter(partner=partner, county_id=partner.county_id)
        .select_related("family", "family__shared_plan")
        .order_by("family__name", "valid_until")
    )
    open_steps: dict[int, int] = {}
    for family_id in SharedStep.objects.filter(
        owner_user=partner, owner_kind=StepOwner.PARTNER, status=SharedStep.Status.OPEN, family__in=[c.family_id for c in consents]
    ).values_list("family_id", flat=True):
        open_steps[family_id] = open_steps.get(family_id, 0) + 1
    rows: dict[int, dict] = {}
    for consent in consents:
        row = rows.setdefault(
            consent.family_id,
            {"family": consent.family, "plan": getattr(consent.family, "shared_plan", None), "until": consent.valid_until, "purposes": []},
        )
        row["until"] = max(row["until"], consent.valid_until)
        row["purposes"].append(consent.purpose)
        row["ecomap"] = row.get("ecomap", False) or consent.ecomap
        row["open_steps"] = open_steps.get(consent.family_id, 0)
    return list(rows.values())


def partner_handovers(partner, family_ids) -> list:
    """Handover summaries shared with the partner, of families whose consent is in force (one query)."""
    return list(
        HandoverShare.objects.filter(recipient=partner, summary__family_id__in=family_ids)
        .select_related("summary__family", "summary__relationship__child")
        .order_by("-shared_at")
    )


def consented_partners(family, *, today=None) -> list:
    """Partners with the family's consent in force: who may own a step or a part of the plan."""
    consents = Consent.objects.active(today).filter(family=family).select_related("partner").order_by("partner__last_name", "partner_id")
    seen, partners = set(), []
    for consent in consents:
        if consent.partner_id not in seen:
            seen.add(consent.partner_id)
            partners.append(consent.partner)
    return partners


# ---- versions and their differences -------------------------------------------------------------


def _day(value) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def version_lines(version: PlanVersion | None) -> list[str]:
    """A version as plain lines, the same way every time, for comparing two versions."""
    if version is None:
        return []
    heads = {
        "goals": gettext("Perheen tavoitteet omin sanoin"),
        "family": gettext("Mitä perhe tekee"),
        "team": gettext("Mitä tiimi tekee"),
        "steps": gettext("Askeleet"),
        "review": gettext("Seuraava tarkistus"),
    }
    lines = ["## " + heads["goals"], *(version.goals.splitlines() or ["–"])]
    lines += ["## " + heads["family"], *(version.family_part.splitlines() or ["–"])]
    lines += ["## " + heads["team"], *(version.team_part.splitlines() or ["–"])]
    for part in version.partner_parts:
        lines += ["## " + pgettext("plan part", "Mitä %(who)s tekee") % {"who": part["label"]}, *part["text"].splitlines()]
    lines.append("## " + heads["steps"])
    lines += [f"- {s['what']} · {s['owner']} · {_day(s['due_on'])}" for s in version.steps] or ["–"]
    lines += ["## " + heads["review"], _day(version.review_on)]
    return lines


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def version_diff(older: PlanVersion | None, newer: PlanVersion | None) -> list[DiffLine]:
    """What changed from `older` to `newer`, line by line (difflib), unchanged lines kept for context."""
    out = []
    for line in difflib.ndiff(version_lines(older), version_lines(newer)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        out.append(DiffLine({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    return out


# ---- the joint assessment -------------------------------------------------------------------------

# Views this far apart on one area (of 1–5) are marked as differing; the widest are marked "most".
DIFFERS_AT = 2
# An open assessment whose views differ this much on some area is proposed for the team meeting.
AGENDA_SPREAD = 3


@dataclass
class JointColumn:
    answer: JointAnswer
    label: str


@dataclass
class JointCell:
    value: int | None
    zone: str
    words: str
    label: str  # whose view (the column's heading, repeated for a phone's stacked table)


@dataclass
class JointRow:
    area: object
    cells: list[JointCell]
    spread: int
    differs: bool = False
    most: bool = False


def _participant_label(answer: JointAnswer) -> str:
    if answer.member_id:
        person = answer.member.person
        return f"{person.first_names} ({answer.member.get_relation_display()})"
    user = answer.user
    return user.professional_label if user.is_partner else gettext("%(name)s (tiimi)") % {"name": user}


def spread_of(values) -> int:
    values = [v for v in values if v is not None]
    return max(values) - min(values) if len(values) > 1 else 0


def joint_table(assessment: JointAssessment) -> tuple[object, list[JointColumn], list[JointRow]]:
    """The views side by side: a column per participant (family first), a row per area with each
    participant's mark, zone and words; the areas where views differ most marked (one query)."""
    qset = questions.from_snapshot(assessment.question_set)
    order = {JointAnswer.Role.CHILD: 0, JointAnswer.Role.PARENT: 1, JointAnswer.Role.PROFESSIONAL: 2}
    answers = sorted(
        JointAnswer.objects.filter(assessment=assessment).select_related("member__person", "user"),
        key=lambda a: (order[a.role], a.pk),
    )
    columns = [JointColumn(a, _participant_label(a)) for a in answers]
    rows = []
    for area in qset.areas:
        cells = []
        for column in columns:
            value = column.answer.marks.get(area.key)
            zone = qset.scale.zone_of(value)
            cells.append(JointCell(value, zone.zone if zone else "", column.answer.words.get(area.key, ""), column.label))
        rows.append(JointRow(area, cells, spread_of(c.value for c in cells)))
    widest = max((r.spread for r in rows), default=0)
    for row in rows:
        row.differs = row.spread >= DIFFERS_AT
        row.most = row.differs and row.spread == widest
    return qset, columns, rows


def joint_flags(family_ids) -> set[int]:
    """Families with an open joint assessment whose views differ widely on some area (one query):
    a reason to discuss the family in the team meeting, as a rating alert is."""
    spreads: dict[tuple[int, int], dict[str, list[int]]] = {}
    answers = JointAnswer.objects.filter(assessment__family__in=family_ids, assessment__concluded_at__isnull=True).values_list(
        "assessment__family_id", "assessment_id", "marks"
    )
    for family_id, assessment_id, marks in answers:
        by_area = spreads.setdefault((family_id, assessment_id), {})
        for key, value in marks.items():
            by_area.setdefault(key, []).append(value)
    return {family_id for (family_id, _a), by_area in spreads.items() if any(spread_of(v) >= AGENDA_SPREAD for v in by_area.values())}
