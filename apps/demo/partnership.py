"""Demo data for working with the network (apps/partnership): partner professionals with the
consent of a few families of each county's first team — a school, a neuvola and a psychiatric
clinic — one consent that has passed its last day and one the family withdrew; each such family's
shared plan in two versions with steps for the family, the team and the partners, and the family's
agreement; joint assessments where the child, a parent, the worker and a partner see the family's
life differently (one concluded, one still open and so proposed for the team meeting); and a child's
closed client relationship with its handover summary shared with a partner who stays with the family.

Small by nature (a few families per county), so written with the ORM after the families' bulk
load. Deterministic for a seed. Returns what the access-log history needs: when each partner could
read which family's plan.
"""

import datetime
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import User
from apps.clients.models import ClientRelationship, FamilyMember, Relation
from apps.core.dates import short
from apps.partnership import invitations, questions
from apps.partnership.models import (
    Consent,
    ConsentParty,
    HandoverShare,
    HandoverSummary,
    JointAnswer,
    JointAssessment,
    JointLink,
    PeerContribution,
    PeerContributor,
    PeerGroup,
    PeerGroupMember,
    PeerMeeting,
    PlanAgreement,
    PlanVersion,
    SharedPlan,
    SharedStep,
    StepOwner,
)

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
                    # Each partner's first family lets them see its ecomap too (the README's demo users).
                    ecomap=(rng.random() < 0.5) or n == 0,
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
        _write_joint_and_handover(rng, today, family_rows, members, [c for c, _slug, _rel in consents], counts)
        if candidates:
            _write_peer_group(rng, today, candidates[0][2], counts)
            _write_experts_group(rng_for(plan.seed, cspec.info.slug, "experts"), today, candidates[0][2], counts)
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
                    f"Perheen suostumus {short(consent.valid_from)}–{short(consent.valid_until)}: {consent.purpose}",
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


# ---- joint assessments and a handover ----------------------------------------------------------

# How each participant sees the family's life areas (1–5): the child worries about safety and school
# where the parent does not, the school's partner sees school going better than the family does.
JOINT_VIEWS = {
    "child": {"daily_life": 3, "relationships": 2, "school_work": 2, "health": 4, "safety": 2, "leisure": 4},
    "parent": {"daily_life": 4, "relationships": 4, "school_work": 3, "health": 3, "safety": 5, "leisure": 3, "finances": 2},
    "worker": {"daily_life": 3, "relationships": 3, "school_work": 3, "health": 3, "safety": 3, "housing": 4, "finances": 2},
    "partner": {"school_work": 5, "relationships": 3, "health": 4, "safety": 3},
}
JOINT_WORDS = {
    "child": {"safety": "Illalla kun isä huutaa, menen omaan huoneeseen.", "school_work": "Ruotsi on vaikeaa, muuten ok."},
    "parent": {"safety": "Meillä ei ole mitään hätää.", "finances": "Rahat loppuvat aina kuun lopussa."},
    "worker": {"safety": "Lapsi ja vanhempi kuvaavat illat eri tavoin; puhutaan tästä yhdessä."},
    "partner": {"school_work": "Koulussa sujuu hyvin, poissaoloja ei ole ollut."},
}
HANDOVER = {
    "what_helped": "- Yhteinen iltarutiini ja viikoittainen perhepalaveri\n- Kuraattorin tapaamiset koululla\n"
    "- {child}n oma vuoro puhua tiimin kanssa kahden kesken",
    "what_to_watch": "- Iltojen riidat, jos vanhempien jaksaminen heikkenee\n- Kuun lopun rahahuolet",
    "contacts": "- Vastuusosiaalityöntekijä {worker} (asiakkuus päättynyt {closed})\n- {partner}",
    "family_words": "Nyt meillä menee paremmin. Haluamme, että koululla tiedetään, keneen ottaa yhteyttä, jos tulee huolta.",
    "open_steps": "- Aamupalaveri koululla kerran kuussa syksyn ajan",
}


def _write_joint_and_handover(rng, today, family_rows: dict, members: dict, consents: list, counts: Counter) -> None:
    """Two joint assessments for two families with a partner in force (one concluded a month ago,
    one open with widely differing views), and one handover summary of a closed relationship."""
    qset = questions.shipped().model_dump(mode="json", by_alias=True)
    active = {}
    for consent in consents:
        if consent.is_active(today):
            active.setdefault(consent.family_id, consent)
    written = 0
    for family_id in sorted(active)[:2]:
        _spec, family, rows, rel = family_rows[family_id]
        worker = rows.caseworkers[rel.worker]
        fam_members = members[family_id]
        child = next((m for m in fam_members if m.person.personal_identity_code == rel.child.personal_identity_code), None) or next(
            (m for m in fam_members if m.relation == Relation.CHILD), None
        )
        parent = next((m for m in fam_members if m.relation in (Relation.PARENT, Relation.GUARDIAN)), None)
        for n, days_ago in enumerate((45, rng.randint(2, 8))):
            created = _at(today - datetime.timedelta(days=days_ago), 9)
            concluded = n == 0
            assessment = JointAssessment.objects.create(
                county_id=family.county_id,
                family_id=family.pk,
                title="Yhdessä-arviointi kotikäynnillä" if concluded else "Yhdessä-arviointi ennen tiimikokousta",
                question_set=qset,
                conclusion=(
                    "Olemme samaa mieltä siitä, että arki sujuu. Turvallisuudesta illoilla on eri näkemyksiä: "
                    "sovimme, että iltoja seurataan ja niistä puhutaan seuraavalla kotikäynnillä."
                )
                if concluded
                else "",
                concluded_by=worker if concluded else None,
                concluded_at=created + datetime.timedelta(days=7) if concluded else None,
                created_by=worker,
                created_at=created,
            )
            answers = []
            for role, participant in (("child", child), ("parent", parent), ("worker", worker), ("partner", active[family_id].partner)):
                if participant is None:
                    continue
                marks = dict(JOINT_VIEWS[role])
                if concluded:  # a month earlier the views were closer together
                    marks = {k: min(5, max(1, v + (1 if v < 3 else -1 if v > 3 else 0))) for k, v in marks.items()}
                is_member = isinstance(participant, FamilyMember)
                answers.append(
                    JointAnswer(
                        assessment=assessment,
                        role=JointAnswer.Role.CHILD
                        if role == "child"
                        else JointAnswer.Role.PARENT
                        if role == "parent"
                        else JointAnswer.Role.PROFESSIONAL,
                        member=participant if is_member else None,
                        user=None if is_member else participant,
                        marks=marks,
                        words=JOINT_WORDS[role],
                        mode=JointAnswer.Mode.PHONE if role == "child" else JointAnswer.Mode.WORKER,
                        entered_by=None if role == "child" else worker,
                        created_at=created + datetime.timedelta(hours=1),
                    )
                )
            JointAnswer.objects.bulk_create(answers)
            written += 1
    counts.update(joint_assessments=written)
    _write_handover(today, family_rows, active, counts)


def _write_handover(today, family_rows: dict, active: dict, counts: Counter) -> None:
    """A closed client relationship of a family whose partner stays: its handover summary, shared."""
    closed = (
        ClientRelationship.objects.filter(family_id__in=sorted(active), closed_on__isnull=False, closed_on__lt=today)
        .select_related("child", "responsible_worker")
        .order_by("family__name", "closed_on", "id")
        .first()
    )
    if closed is None:
        return
    _spec, _family, rows, rel = family_rows[closed.family_id]
    worker = closed.responsible_worker or rows.caseworkers[rel.worker]
    consent = active[closed.family_id]
    child = closed.child.first_names.split()[0]
    texts = {
        key: value.format(child=child, worker=worker, closed=short(closed.closed_on), partner=consent.partner.professional_label)
        for key, value in HANDOVER.items()
    }
    written = _at(closed.closed_on + datetime.timedelta(days=2), 12)
    summary = HandoverSummary.objects.create(
        county_id=closed.county_id,
        family_id=closed.family_id,
        relationship=closed,
        created_by=worker,
        created_at=written,
        updated_by=worker,
        updated_at=written,
        **texts,
    )
    shared = max(written + datetime.timedelta(days=1), _at(consent.valid_from, 13))
    HandoverShare.objects.create(summary=summary, recipient=consent.partner, consent=consent, shared_by=worker, shared_at=shared)
    counts.update(handover_summaries=1)


PEER_TOPICS = ("Ensimmäinen oma koti", "Raha-asiat ja Kela", "Mitä haluaisimme sanoa sosiaalityöntekijöille", "Opiskelu ja työ")


def _write_peer_group(rng, today, rows, counts: Counter) -> None:
    """The first team's after-care youth group: young people of 15–23 in its families invited at
    their consented contact details, three monthly meetings, the group's own plan."""
    worker = rows.caseworkers[0]
    low, high = 15, 23
    youth = [
        m
        for m in FamilyMember.objects.filter(family__team_id=rows.team.pk).select_related("person").order_by("person__birth_date", "id")
        if m.person.birth_date and low <= _age(m.person.birth_date, today) <= high
    ][:6]
    if not youth:
        return
    group = PeerGroup.objects.create(
        county_id=rows.team.county_id,
        team=rows.team,
        name="Nuorten ilta",
        kind=PeerGroup.Kind.AFTERCARE,
        group_plan="Tapaamme kuun ensimmäisenä tiistaina. Keväällä puhumme omasta kodista ja rahasta; "
        "kerromme tiimille, mikä jälkihuollossa auttoi ja mikä ei.",
        created_by=worker,
        created_at=_at(today - datetime.timedelta(days=100), 10),
    )
    invited = today - datetime.timedelta(days=95)
    # The last young person gave a phone number: the worker called, reading the recorded text.
    contacts = [_email(m) for m in youth[:-1]] + [_phone(rng)]
    joined = PeerGroupMember.objects.bulk_create(
        [
            PeerGroupMember(
                group=group,
                member=m,
                contact=contact,
                contact_consent_on=invited,
                invited_on=invited,
                invited_by=worker,
                **_invitation(group, contact, "fi", worker, invited),
            )
            for m, contact in zip(youth, contacts, strict=True)
        ]
    )
    for n in range(3):
        meeting = PeerMeeting.objects.create(
            group=group, held_on=today - datetime.timedelta(days=90 - 30 * n), topic=PEER_TOPICS[n], recorded_by=worker
        )
        meeting.attendees.set([j for j in joined if rng.random() < 0.7])
    counts.update(peer_groups=1)


def _email(member: FamilyMember) -> str:
    first, last = (
        unicodedata.normalize("NFKD", n.split()[0]).encode("ascii", "ignore").decode().lower()
        for n in (member.person.first_names, member.person.last_name)
    )
    return f"{first}.{last}@example.org"


def _phone(rng) -> str:
    return f"040 {rng.randrange(100, 1000)} {rng.randrange(1000, 10000)}"


def _invitation(group: PeerGroup, contact: str, language: str, sender, day: datetime.date) -> dict:
    """The fields of an invitation sent on `day` (composed as Systeemi composes it, never sent)."""
    channel = invitations.contact_channel(contact)
    text = invitations.compose(group=group, channel=channel, language=language, sender=sender, today=day).text
    return {
        "invitation_channel": channel,
        "invitation_language": language,
        "invitation_sent_at": _at(day, 10),
        "invitations_sent": 1,
        "invitation_text": text,
    }


EXPERT_CONTRIBUTIONS = (
    (
        60,
        "Perheen sivun selkokieli",
        "Kun luin suunnitelmaa ensimmäistä kertaa, en ymmärtänyt puoliakaan. Kirjoittakaa niin kuin puhutte meille "
        "tapaamisissa, ja kertokaa ensin, mitä seuraavaksi tapahtuu.",
        "named",
    ),
    (
        35,
        "Tiimikokouksen käytännöt",
        "Perheen pitää tietää etukäteen, keitä kokouksessa on ja saako sanoa, jos ei halua jonkun olevan paikalla. "
        "Reflektio oli hyvä: kuulimme, mitä työntekijät oikeasti ajattelivat.",
        "group",
    ),
    (
        12,
        "Kirjeet perheille",
        "Kirje tuli perjantaina, eikä kukaan vastannut puhelimeen ennen maanantaita. Lähettäkää kirjeet alkuviikosta "
        "ja kertokaa, kenelle voi soittaa.",
        "anonymous",
    ),
)


def _write_experts_group(rng, today, rows, counts: Counter) -> None:
    """The first team's experts by experience: three parents of its families, invited by e-mail
    (one in Swedish) and by phone, and their contributions to the team's development work: one
    quoted with the contributor's name (they agreed), one the group's, one anonymous."""
    worker = rows.caseworkers[0]
    adults = list(
        FamilyMember.objects.filter(family__team_id=rows.team.pk, relation__in=(Relation.PARENT, Relation.GUARDIAN))
        .select_related("person")
        .order_by("id")[:3]
    )
    if len(adults) < 2:
        return
    group = PeerGroup.objects.create(
        county_id=rows.team.county_id,
        team=rows.team,
        name="Kokemusasiantuntijat",
        kind=PeerGroup.Kind.EXPERTS,
        group_plan="Luemme tiimin kirjeet ja perheen sivut ennen kuin ne otetaan käyttöön. Keväällä mukaan tiimikokoukseen.",
        next_meeting_on=today + datetime.timedelta(days=14),
        created_by=worker,
        created_at=_at(today - datetime.timedelta(days=80), 10),
    )
    invited = today - datetime.timedelta(days=75)
    ways = [(_email(adults[0]), "fi"), (_phone(rng), "fi"), (_email(adults[-1]), "sv")]
    members = [
        PeerGroupMember.objects.create(
            group=group,
            member=m,
            contact=contact,
            contact_consent_on=invited,
            invited_on=invited,
            invited_by=worker,
            **_invitation(group, contact, language, worker, invited),
        )
        for m, (contact, language) in zip(adults, ways, strict=False)
    ]
    for days, purpose, text, who in EXPERT_CONTRIBUTIONS:
        contribution = PeerContribution.objects.create(
            group=group,
            made_on=today - datetime.timedelta(days=days),
            purpose=purpose,
            text=text,
            by_group=who == "group",
            recorded_by=worker,
            recorded_at=_at(today - datetime.timedelta(days=days), 15),
        )
        if who == "named":
            PeerContributor.objects.create(contribution=contribution, member=members[0], named=True)
        elif who == "anonymous":
            PeerContributor.objects.bulk_create([PeerContributor(contribution=contribution, member=m) for m in members[1:]])
    counts.update(peer_groups=1, peer_contributions=len(EXPERT_CONTRIBUTIONS))


def delete_partnership(county_ids: list[int], done: set) -> int:
    """The counties' consents, plans, joint assessments and handovers, before the families they refer to."""
    deleted = 0
    for model, field in (
        (PeerContributor, "contribution__group__county_id__in"),
        (PeerContribution, "group__county_id__in"),
        (PeerMeeting.attendees.through, "peermeeting__group__county_id__in"),
        (PeerMeeting, "group__county_id__in"),
        (PeerGroupMember, "group__county_id__in"),
        (PeerGroup, "county_id__in"),
        (HandoverShare, "summary__county_id__in"),
        (HandoverSummary, "county_id__in"),
        (JointAnswer, "assessment__county_id__in"),
        (JointLink, "county_id__in"),
        (JointAssessment, "county_id__in"),
        (PlanAgreement, "plan__county_id__in"),
        (PlanVersion, "plan__county_id__in"),
        (ConsentParty, "consent__county_id__in"),
    ):
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
        JointAnswer.objects.filter(assessment__county__code__in=county_codes).values_list(
            "assessment__family__name", "assessment__title", "role", "marks", "words"
        ),
        HandoverSummary.objects.filter(county__code__in=county_codes).values_list(
            "family__name", "relationship__child__first_names", *HandoverSummary.TEXT_FIELDS
        ),
    ]
