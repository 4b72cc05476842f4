"""Demo data for working with the network (apps/partnership): partner professionals with the
consent of a few families of each county's first team — a school, a neuvola and a psychiatric
clinic — one consent that has passed its last day and one the family withdrew; each such family's
shared plan in two versions with steps for the family, the team and the partners, and the family's
agreement.

Small by nature (a few families per county), so written with the ORM after the families' bulk
load. Deterministic for a seed. Returns what the access-log history needs: when each partner could
read which family's plan.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import User
from apps.clients.models import FamilyMember, Relation
from apps.partnership.models import Consent, ConsentParty, PlanAgreement, PlanVersion, SharedPlan, SharedStep, StepOwner

from .plan import Plan, rng_for

FAMILIES_PER_PARTNER = 3
# The third family of a partner shows a consent that has ended: the school's passed its last day,
# the neuvola's the family withdrew.
ENDED = {"koulu": "expired", "neuvola": "withdrawn"}

GOALS = (
    "Haluamme, että aamut sujuvat ilman riitaa ja {child} pääsee kouluun ajoissa.",
    "Toivomme, että meillä olisi kotona rauhallisempaa ja että jaksamme paremmin.",
    "{child} haluaa, että kotona kuunnellaan häntä ja että kaverit saavat käydä.",
    "Haluamme oppia riitelemään niin, ettei kukaan pelkää.",
)
FAMILY_PARTS = (
    "Sovimme yhteisen iltarutiinin ja kokeilemme sitä kaksi viikkoa.",
    "Vanhemmat käyvät yhdessä perheneuvolassa ja kertovat, miltä tuntui.",
    "Pidämme viikoittain perhepalaverin, jossa jokainen saa sanoa yhden asian.",
)
TEAM_PARTS = (
    "Sosiaalityöntekijä tapaa perhettä joka toinen viikko ja {child}a kahden kesken kerran kuussa.",
    "Sosiaaliohjaaja tukee aamujen järjestelyissä kotikäynneillä kuukauden ajan.",
)
PARTNER_PARTS = {
    "koulu": "Kuraattori tapaa {child}a viikoittain ja sopii opettajan kanssa joustavasta aamun aloituksesta.",
    "neuvola": "Terveydenhoitaja seuraa pienimmän kasvua ja vanhempien jaksamista neuvolakäynneillä.",
    "psykiatria": "Hoitaja koordinoi {child}n hoitokäynnit niin, etteivät ne osu koulupäivän tärkeisiin tunteihin.",
}
PARTNER_STEPS = {
    "koulu": ("Aamupalaveri {child}n ja opettajan kanssa", "Sovimme aamupalaverit maanantaiksi ja torstaiksi."),
    "neuvola": ("Neuvolakäynti, jossa puhutaan vanhempien jaksamisesta", "Käynti pidetty, seuraava aika sovittu."),
    "psykiatria": ("Hoitokäyntien aikataulu yhteen koulun kanssa", "Aikataulu lähetetty perheelle ja kuraattorille."),
}


@dataclass(frozen=True)
class PartnerWindow:
    """When one partner could read one family's plan (first and last day), for the access-log history."""

    family_id: int
    partner_id: int
    start: datetime.datetime
    last_day: datetime.date
    recipient: str
    legal_basis: str


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def write_partnership(plan: Plan, first_team: list, counts: Counter) -> list[PartnerWindow]:
    """Consents and shared plans for a few families of each county's first team."""
    today = plan.today
    windows: list[PartnerWindow] = []
    for cspec in plan.counties:
        rng = rng_for(plan.seed, cspec.info.slug, "partnership")
        candidates = [(s, f, r) for s, f, r in first_team if r.county.code == cspec.info.code]
        partner_specs = [s for s in cspec.org_users if s.partner]
        users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in partner_specs])}
        family_rows: dict[int, tuple] = {}
        consents: list[tuple[Consent, str, object]] = []
        for pspec in partner_specs:
            lo, hi = pspec.partner.child_ages
            eligible = []
            for spec, family, rows in candidates:
                for rel in spec.relationships:
                    if rel.history.closed_on is None and lo <= _age(rel.child.birth_date, today) <= hi:
                        eligible.append((spec, family, rows, rel))
                        break
            for n, (spec, family, rows, rel) in enumerate(rng.sample(eligible, min(FAMILIES_PER_PARTNER, len(eligible)))):
                state = ENDED.get(pspec.partner.slug, "active") if n == FAMILIES_PER_PARTNER - 1 else "active"
                worker = rows.caseworkers[rel.worker]
                start = today - datetime.timedelta(days=rng.randint(30, 90) if state != "expired" else rng.randint(150, 200))
                until = (
                    today - datetime.timedelta(days=rng.randint(5, 20))
                    if state == "expired"
                    else today + datetime.timedelta(days=rng.randint(60, 180))
                )
                withdrawn = _at(today - datetime.timedelta(days=rng.randint(3, 14)), 13) if state == "withdrawn" else None
                consent = Consent(
                    county_id=family.county_id,
                    family_id=family.pk,
                    partner=users[pspec.username],
                    purpose=pspec.partner.purpose,
                    ecomap=rng.random() < 0.5,
                    valid_from=start,
                    valid_until=until,
                    recorded_by=worker,
                    recorded_at=_at(start, 10),
                    withdrawn_at=withdrawn,
                    withdrawn_by=worker if withdrawn else None,
                    withdrawal_note="Äiti perui suostumuksen puhelimessa." if withdrawn else "",
                )
                consents.append((consent, pspec.partner.slug, rel))
                family_rows[family.pk] = (spec, family, rows, rel)
        Consent.objects.bulk_create([c for c, _slug, _rel in consents])
        members = _members(list(family_rows))
        parties = []
        for consent, _slug, _rel in consents:
            adults = [m for m in members[consent.family_id] if m.relation in (Relation.PARENT, Relation.GUARDIAN)]
            if adults:
                parties.append(ConsentParty(consent=consent, member=adults[0], gave=True))
            for child in members[consent.family_id]:
                age = _age(child.person.birth_date, consent.valid_from) if child.person.birth_date else None
                if child.relation == Relation.CHILD and age is not None and 12 <= age < 18:
                    view = rng.choice(
                        (
                            "Saa kertoa koululle, kunhan ei kerrota kaikille.",
                            "Ok, jos se auttaa.",
                            "En halua, että opettajat puhuvat minusta, mutta kuraattori saa tietää.",
                        )
                    )
                    parties.append(ConsentParty(consent=consent, member=child, view=view))
        ConsentParty.objects.bulk_create(parties)
        for family_id, (_spec, family, rows, rel) in family_rows.items():
            family_consents = [(c, slug) for c, slug, _rel in consents if c.family_id == family_id]
            _write_plan(rng, today, family, rows, rel, members[family_id], family_consents, counts)
        for consent, _slug, _rel in consents:
            last = consent.valid_until
            if consent.withdrawn_at:
                last = min(last, timezone.localtime(consent.withdrawn_at).date() - datetime.timedelta(days=1))
            windows.append(
                PartnerWindow(
                    consent.family_id,
                    consent.partner_id,
                    _at(consent.valid_from, 11),
                    min(last, today - datetime.timedelta(days=1)),
                    consent.partner.professional_label,
                    f"Perheen suostumus {consent.valid_from:%-d.%-m.%Y}–{consent.valid_until:%-d.%-m.%Y}: {consent.purpose}",
                )
            )
        counts.update(consents=len(consents))
    return windows


def _members(family_ids: list[int]) -> dict[int, list[FamilyMember]]:
    out: dict[int, list[FamilyMember]] = {pk: [] for pk in family_ids}
    for member in FamilyMember.objects.filter(family_id__in=family_ids).select_related("person").order_by("person__birth_date", "id"):
        out[member.family_id].append(member)
    return out


def _write_plan(rng, today, family, rows, rel, members, family_consents, counts: Counter) -> None:
    """Two versions a month apart; steps for the family, the team and each partner; the family's agreement."""
    child = rel.child.first_names.split()[0]
    worker = rows.caseworkers[rel.worker]
    parent = next((m for m in members if m.relation in (Relation.PARENT, Relation.GUARDIAN)), None)
    first_day = min(c.valid_from for c, _slug in family_consents)
    saved_1 = _at(first_day + datetime.timedelta(days=1), 14)
    saved_2 = _at(max(first_day + datetime.timedelta(days=20), today - datetime.timedelta(days=rng.randint(5, 15))), 10)
    review = today + datetime.timedelta(days=rng.randint(10, 60))
    shared = SharedPlan.objects.create(
        county_id=family.county_id, family_id=family.pk, version=2, review_on=review, created_at=saved_1, updated_at=saved_2
    )
    steps = [
        SharedStep(
            county_id=family.county_id,
            plan=shared,
            family_id=family.pk,
            what=f"Kotikäynti: {child}n aamujen järjestelyt",
            owner_kind=StepOwner.TEAM,
            owner_user=worker,
            due_on=today + datetime.timedelta(days=rng.randint(3, 20)),
            created_by=worker,
            created_at=saved_1,
        )
    ]
    if parent is not None:
        steps.append(
            SharedStep(
                county_id=family.county_id,
                plan=shared,
                family_id=family.pk,
                what="Iltarutiinin kokeilu kahden viikon ajan",
                owner_kind=StepOwner.FAMILY,
                owner_member=parent,
                due_on=today + datetime.timedelta(days=rng.randint(5, 14)),
                created_by=worker,
                created_at=saved_1,
            )
        )
    parts = []
    for consent, slug in family_consents:
        partner = consent.partner
        parts.append({"partner_id": partner.pk, "label": partner.professional_label, "text": PARTNER_PARTS[slug].format(child=child)})
        what, note = PARTNER_STEPS[slug]
        done = consent.is_active(today) and rng.random() < 0.5
        steps.append(
            SharedStep(
                county_id=family.county_id,
                plan=shared,
                family_id=family.pk,
                what=what.format(child=child),
                owner_kind=StepOwner.PARTNER,
                owner_user=partner,
                due_on=today + datetime.timedelta(days=rng.randint(-10, 20)),
                status=SharedStep.Status.DONE if done else SharedStep.Status.OPEN,
                done_on=today - datetime.timedelta(days=rng.randint(1, 4)) if done else None,
                done_by=partner if done else None,
                done_note=note if done else "",
                created_by=worker,
                created_at=saved_1,
            )
        )
    SharedStep.objects.bulk_create(steps)
    snapshot = [
        {
            "id": s.pk,
            "what": s.what,
            "owner": s.owner_label,
            "owner_kind": s.owner_kind,
            "partner_id": s.owner_user_id if s.owner_kind == StepOwner.PARTNER else None,
            "due_on": s.due_on.isoformat(),
        }
        for s in steps
    ]
    goals = rng.choice(GOALS).format(child=child)
    common = {"family_part": rng.choice(FAMILY_PARTS), "team_part": rng.choice(TEAM_PARTS).format(child=child), "partner_parts": parts}
    PlanVersion.objects.bulk_create(
        [
            PlanVersion(
                plan=shared,
                number=1,
                goals=goals,
                review_on=None,
                steps=snapshot[:1],
                saved_by=worker,
                saved_at=saved_1,
                **{**common, "partner_parts": parts[:1]},
            ),
            PlanVersion(
                plan=shared,
                number=2,
                goals=goals + " Lisäksi haluamme, että viikonloput ovat rauhallisia.",
                review_on=review,
                steps=snapshot,
                change_note="Tavoitteita tarkennettu perheen kanssa; kumppanien askeleet lisätty.",
                saved_by=worker,
                saved_at=saved_2,
                **common,
            ),
        ]
    )
    if parent is not None:
        PlanAgreement.objects.create(
            plan=shared,
            version=2,
            member=parent,
            agreed=True,
            agreed_on=timezone.localtime(saved_2).date(),
            disagreement="Kotikäyntejä on liian usein; toivomme joka toista viikkoa." if rng.random() < 0.4 else "",
            recorded_by=worker,
            recorded_at=saved_2,
        )
    counts.update(shared_plans=1, shared_steps=len(steps))


def delete_partnership(county_ids: list[int], done: set) -> int:
    """The counties' consents, plans and their rows, before the families they refer to."""
    deleted = 0
    for model in (PlanAgreement, PlanVersion, ConsentParty):
        field = "plan__county_id__in" if model is not ConsentParty else "consent__county_id__in"
        deleted += model.objects.filter(**{field: county_ids}).delete()[0]
        done.add(model)
    for model in (SharedStep, SharedPlan, Consent):
        deleted += model.objects.filter(county_id__in=county_ids).delete()[0]
        done.add(model)
    return deleted


def fingerprint_queries(county_codes: list[str]) -> list:
    """What the demo digest reads of the partnership data (no primary keys)."""
    return [
        Consent.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "family__name", "partner__username", "purpose", "valid_from", "valid_until", "withdrawn_at", "ecomap"
        ),
        SharedStep.objects.filter(county__code__in=county_codes).values_list("family__name", "what", "owner_kind", "due_on", "status"),
        PlanVersion.objects.filter(plan__county__code__in=county_codes).values_list("plan__family__name", "number", "goals", "review_on"),
    ]
