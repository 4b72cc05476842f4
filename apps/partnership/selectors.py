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

from .models import Consent, ConsentParty, PlanAgreement, PlanVersion, SharedPlan, SharedStep, StepOwner

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
        row["open_steps"] = open_steps.get(consent.family_id, 0)
    return list(rows.values())


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
