"""Believable genograms and ecomaps for the demo families, written in bulk.

Each family's genogram starts from its members (each client once, linked to the client record) and
adds the relatives a worker would draw: grandparents on both sides (some of them dead), now and then
a great-grandmother (four generations), a parent's siblings (sometimes twins), a step-parent's
earlier partnership and child, the half-siblings born to the new couple; partnerships with years
(married, cohabiting, separated, divorced), households as they are now, a foster family where a child
is placed, and a few relationship qualities. Each family gets two or three ecomaps over the past year,
one of them from the index child's point of view, each a changed copy of the one before.

Everything is drawn from one random generator per family, seeded by the plan's seed and the family's
first member, so the same seed gives the same drawings at every scale. Genogram versions are not
generated (a family's history of edits would be invented twice over): the first edit in the demo
starts it.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from apps.clients.models import Relation
from apps.network.models import Ecomap, EcomapTie, GenogramPerson, Household, Parentage, Partnership, Relationship

from .bulk import insert
from .names import BOOKS, ELDER, FEMALE, MALE
from .plan import rng_for

SEX = {FEMALE: "female", MALE: "male"}
PLACEMENTS = {"placement_voluntary", "emergency_placement", "care_order"}
FRIENDS = ("Leevi", "Sara", "Aada", "Eetu", "Venla", "Onni", "Iida", "Niilo", "Helmi", "Elias")
HOBBIES = ("jalkapallo", "partio", "kuoro", "salibandy", "ratsastus", "musiikkiopisto", "nuorisotalo", "taidekoulu")
PROFESSIONAL_TITLES = {
    "school": "opettaja",
    "daycare": "varhaiskasvatuksen opettaja",
    "neuvola": "terveydenhoitaja",
    "family_guidance": "sosiaaliohjaaja",
    "home_help": "kodinhoitaja",
    "child_psychiatry": "psykiatrinen sairaanhoitaja",
    "adult_psychiatry": "sairaanhoitaja",
    "substance": "päihdetyöntekijä",
}


@dataclass
class _G:
    """One genogram person before insert: index in the family's list."""

    client: int | None  # clients.Person pk
    name: str
    sex: str
    birth_year: int | None
    death_year: int | None = None
    is_index: bool = False
    twin_of: int | None = None  # index
    identical: bool = False


@dataclass
class _Drawn:
    people: list[_G] = field(default_factory=list)
    partnerships: list[tuple] = field(default_factory=list)  # (a, b, kind, start, end)
    parentages: list[tuple] = field(default_factory=list)  # (parent, child, kind)
    households: list[tuple[str, list[int]]] = field(default_factory=list)
    relationships: list[tuple] = field(default_factory=list)  # (a, b, quality, note)
    ecomaps: list[dict] = field(default_factory=list)
    centre: int | None = None  # the client at the centre of the child's own map

    def add(self, g: _G) -> int:
        self.people.append(g)
        return len(self.people) - 1


def _professional(rng: random.Random, book) -> str:
    sex = rng.choice((FEMALE, MALE))
    return f"{book.first[('adult', sex)][rng.randrange(len(book.first[('adult', sex)]))]} {book.surname(rng)}"


def draw_family(seed: int, spec, person_of: dict, today: datetime.date) -> _Drawn:
    """The genogram and ecomaps of one demo family (`person_of`: id(PersonSpec) -> clients.Person pk)."""
    first = spec.members[0].person
    rng = rng_for(seed, "network", first.personal_identity_code or first.first_names)
    book = BOOKS.get(first.language, BOOKS["fi"])
    d = _Drawn()
    idx = {}
    open_children = {id(r.child) for r in spec.relationships if r.history.closed_on is None}
    placed = {id(r.child) for r in spec.relationships if r.history.current_phase in PLACEMENTS}
    for m in spec.members:
        p = m.person
        idx[id(p)] = d.add(
            _G(
                person_of[id(p)],
                "",
                SEX.get(p.sex, "unknown"),
                p.birth_date.year,
                is_index=id(p) in open_children and m.relation == Relation.CHILD,
            )
        )
    by = {}
    for m in spec.members:
        by.setdefault(m.relation, []).append(m)
    parents = [idx[id(m.person)] for m in by.get(Relation.PARENT, [])]
    children = [idx[id(m.person)] for m in by.get(Relation.CHILD, []) + by.get(Relation.SIBLING, [])]
    step = [idx[id(m.person)] for m in by.get(Relation.STEP_PARENT, [])]
    year = today.year

    def born(i):
        return d.people[i].birth_year or year - 40

    # Parents and their partnership; a step-parent's partnership with the parent the children live with.
    mother = next((i for i in parents if d.people[i].sex == "female"), parents[0] if parents else None)
    father = next((i for i in parents if i != mother), None)
    if mother is None:
        sex = FEMALE
        mother = d.add(
            _G(
                None,
                book.first_names(rng, "adult", sex).split()[0],
                "female",
                min(born(c) for c in children) - rng.randint(22, 34) if children else year - 40,
            )
        )
    if father is None:
        father = d.add(_G(None, book.first_names(rng, "adult", MALE).split()[0], "male", born(mother) + rng.randint(-5, 2)))
    for c in children:
        for p in (mother, father):
            if born(c) > born(p):
                d.parentages.append((p, c, "biological"))
    first_child = min((born(c) for c in children), default=year - 5)
    start = max(born(mother), born(father)) + rng.randint(18, 26)
    start = min(start, first_child)
    if step:
        end = min(year, first_child + rng.randint(2, 8))
        d.partnerships.append((mother, father, rng.choice(["divorced", "separated"]), start, max(start, end)))
        resident = mother if d.people[step[0]].sex == "male" else father
        together = min(year, end + rng.randint(1, 3))
        d.partnerships.append((resident, step[0], rng.choice(["married", "cohabiting"]), together, None))
        # The new couple's own child (a half-sibling, not a client) and the step-parent's earlier child.
        if year - together > 1 and rng.random() < 0.6:
            half = d.add(
                _G(
                    None,
                    book.first_names(rng, "child", rng.choice((FEMALE, MALE))).split()[0],
                    rng.choice(["female", "male"]),
                    together + 1,
                )
            )
            d.parentages += [(resident, half, "biological"), (step[0], half, "biological")]
            children.append(half)
        for s in step:
            if born(s) < first_child and rng.random() < 0.5:
                ex = d.add(
                    _G(
                        None,
                        book.first_names(rng, "adult", rng.choice((FEMALE, MALE))).split()[0],
                        "female" if d.people[s].sex == "male" else "male",
                        born(s) + rng.randint(-3, 3),
                    )
                )
                d.partnerships.append((s, ex, "divorced", born(s) + 22, born(s) + 28))
                earlier = d.add(_G(None, book.first_names(rng, "child", MALE).split()[0], "male", born(s) + 24))
                d.parentages += [(s, earlier, "biological"), (ex, earlier, "biological")]
        d.households.append(("Koti", sorted({resident, *step, *(c for c in children if not _placed(d, c, placed, spec, idx))})))
    else:
        kind = rng.choice(["married", "married", "cohabiting", "divorced"]) if len(parents) >= 2 else rng.choice(["divorced", "separated"])
        end = min(year, first_child + rng.randint(3, 10)) if kind in ("divorced", "separated") else None
        d.partnerships.append((mother, father, kind, start, end))
        home = [mother, father] if end is None else [mother]
        d.households.append(("Koti", sorted({*home, *(c for c in children if not _placed(d, c, placed, spec, idx))})))
    # Grandparents on both sides, a death or two, sometimes a great-grandmother (four generations).
    elders = [idx[id(m.person)] for m in by.get(Relation.GRANDPARENT, [])]
    for side, parent in (("mother", mother), ("father", father)):
        if side == "father" and rng.random() < 0.35:
            continue
        gm = next((e for e in elders if d.people[e].sex == "female"), None) if side == "mother" else None
        if gm is not None:
            elders.remove(gm)
        else:
            gm = d.add(_G(None, book.first_names(rng, ELDER, FEMALE).split()[0], "female", born(parent) - rng.randint(22, 32)))
        gf_born = born(gm) + rng.randint(-5, 1)
        dead = gf_born + rng.randint(55, 80) if rng.random() < 0.35 else None
        gf = d.add(
            _G(None, book.first_names(rng, ELDER, MALE).split()[0], "male", gf_born, death_year=dead if dead and dead < year else None)
        )
        d.partnerships.append((gm, gf, rng.choice(["married", "married", "divorced"]), born(gm) + rng.randint(19, 25), None))
        d.parentages += [(g, parent, "biological") for g in (gm, gf) if born(g) < born(parent)]
        for _n in range(rng.choice([0, 1, 1, 2])):
            sib_sex = rng.choice((FEMALE, MALE))
            sib = d.add(
                _G(None, book.first_names(rng, "adult", sib_sex).split()[0], SEX[sib_sex], born(parent) + rng.choice([-4, -2, 3, 5]))
            )
            d.parentages += [(gm, sib, "biological"), (gf, sib, "biological")]
        if side == "mother" and rng.random() < 0.08:
            twin = d.add(
                _G(
                    None,
                    book.first_names(rng, "adult", FEMALE).split()[0],
                    "female",
                    born(parent),
                    twin_of=parent,
                    identical=rng.random() < 0.5,
                )
            )
            d.parentages += [(gm, twin, "biological"), (gf, twin, "biological")]
        if side == "mother" and rng.random() < 0.3:
            ggm = d.add(_G(None, book.first_names(rng, ELDER, FEMALE).split()[0], "female", born(gm) - rng.randint(20, 30)))
            ggm_dead = born(ggm) + rng.randint(70, 95)
            d.people[ggm].death_year = ggm_dead if ggm_dead < year else None
            d.parentages.append((ggm, gm, "biological"))
    for e in elders:  # a grandparent member not placed above: the father's mother
        if born(e) < born(father):
            d.parentages.append((e, father, "biological"))
    # A foster family for a placed child.
    for m in by.get(Relation.CHILD, []):
        if id(m.person) in placed:
            c = idx[id(m.person)]
            fm = d.add(_G(None, "sijaisäiti", "female", born(c) - rng.randint(28, 40)))
            ff = d.add(_G(None, "sijaisisä", "male", born(fm) + rng.randint(-4, 3)))
            d.partnerships.append((fm, ff, "married", born(fm) + 25, None))
            d.parentages += [(fm, c, "foster"), (ff, c, "foster")]
            d.households.append(("Sijaisperhe", [fm, ff, c]))
            break
    # Relationship qualities.
    index = next((i for i, g in enumerate(d.people) if g.is_index), children[0] if children else mother)
    if rng.random() < 0.6:
        d.relationships.append(
            (
                index,
                father,
                rng.choice(["conflicted", "distant", "cut_off"]),
                rng.choice(["", "tapaamiset epäsäännöllisiä", "riitaa tapaamisista"]),
            )
        )
    if rng.random() < 0.5:
        grandma = next((a for a, b, kind in d.parentages if b == mother and d.people[a].sex == "female"), None)
        if grandma is not None:
            d.relationships.append((index, grandma, "close", "mummo tärkeä turva"))
    if any(p[2] in ("divorced", "separated") for p in d.partnerships[:1]) and rng.random() < 0.4:
        d.relationships.append((mother, father, rng.choice(["conflicted", "abusive", "cut_off"]), ""))
    d.centre = d.people[index].client or next((d.people[c].client for c in children if d.people[c].client), None)
    d.ecomaps = _ecomaps(rng, d, index, book, spec, idx, today)
    return d


def _placed(d, c, placed, spec, idx) -> bool:
    return any(idx.get(id(m.person)) == c and id(m.person) in placed for m in spec.members)


def _ecomaps(rng, d: _Drawn, index: int, book, spec, idx, today) -> list[dict]:
    child = d.people[index]
    age = today.year - (child.birth_year or today.year - 8)
    grandma = next(
        (i for i, g in enumerate(d.people) if g.client is None and g.sex == "female" and g.birth_year and g.birth_year < today.year - 50),
        None,
    )
    ties = [
        {"sector": "family", "name": "äiti", "ring": 1, "strength": "strong", "support": "both"},
        {
            "sector": "family",
            "name": "isä",
            "ring": rng.choice([1, 2, 3]),
            "strength": rng.choice(["strong", "weak", "stressful"]),
            "support": "to_centre",
        },
        {"sector": "friends", "name": rng.choice(FRIENDS), "ring": rng.choice([1, 2]), "strength": "strong", "support": "both"},
    ]
    if grandma is not None:
        ties.append({"sector": "relatives", "relative": grandma, "ring": rng.choice([1, 2]), "strength": "strong", "support": "to_centre"})
    service = "daycare" if age < 7 else "school"
    ties.append(
        {
            "sector": "school",
            "service": service,
            "name": "" if service == "daycare" else f"{rng.randint(1, 9)}{rng.choice('ABC')}-luokka",
            "ring": 2,
            "strength": rng.choice(["strong", "weak"]),
            "support": "to_centre",
            "pro": service,
        }
    )
    for svc in rng.sample(
        ["neuvola" if age < 7 else "child_psychiatry", "family_guidance", "home_help", "adult_psychiatry", "substance"], rng.randint(1, 3)
    ):
        ties.append(
            {
                "sector": "health" if svc in ("neuvola", "child_psychiatry", "adult_psychiatry") else "social",
                "service": svc,
                "ring": rng.choice([2, 3]),
                "strength": rng.choice(["strong", "weak", "stressful"]),
                "support": "to_centre",
                "pro": svc,
            }
        )
    if age > 5:
        ties.append(
            {
                "sector": "leisure",
                "service": "hobby",
                "name": rng.choice(HOBBIES),
                "ring": rng.choice([2, 3]),
                "strength": "strong",
                "support": "none",
            }
        )
    for t in ties:
        if t.pop("pro", None):
            t["professional"] = f"{_professional(rng, book)}, {PROFESSIONAL_TITLES.get(t.get('service', ''), '')}".strip(", ")
            t["contact"] = f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    maps = []
    n = rng.choice([2, 3, 3])
    drawn_on = today - datetime.timedelta(days=rng.randint(250, 360))
    viewpoints = ["worker", "child", "parent"][:n]
    rng.shuffle(viewpoints)
    if "child" not in viewpoints:
        viewpoints[-1] = "child"
    current = ties
    for k in range(n):
        if k:
            current = [dict(t) for t in current]
            for t in current:
                if rng.random() < 0.3:
                    t["ring"] = max(1, min(3, t["ring"] + rng.choice([-1, 1])))
                if rng.random() < 0.2:
                    t["strength"] = rng.choice(["strong", "weak", "stressful"])
            if rng.random() < 0.5:
                current.append(
                    {
                        "sector": "social",
                        "service": "family_guidance",
                        "ring": 2,
                        "strength": "strong",
                        "support": "to_centre",
                        "professional": f"{_professional(rng, book)}, sosiaaliohjaaja",
                        "contact": f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    }
                )
            if len(current) > 5 and rng.random() < 0.4:
                current.pop(rng.randrange(3, len(current)))
        view = viewpoints[k]
        maps.append({"drawn_on": drawn_on, "viewpoint": view, "child_view": view == "child", "ties": current})
        drawn_on = min(today, drawn_on + datetime.timedelta(days=rng.randint(90, 150)))
    return maps


TIE_FIELDS = ("sector", "service", "name", "ring", "strength", "support", "professional", "contact", "note")


def write_network(seed: int, chunk, families, person_of: dict, today: datetime.date, counts: Counter) -> None:
    """Draw and insert the genograms and ecomaps of one chunk of families."""
    drawn = [draw_family(seed, spec, person_of, today) for spec, _rows in chunk]
    rows = []
    for (_spec, r), fam, d in zip(chunk, families, drawn, strict=True):
        for g in d.people:
            rows.append(
                (
                    r.county.pk,
                    fam.pk,
                    g.client,
                    g.name,
                    g.sex,
                    g.birth_year,
                    g.death_year,
                    g.death_year is not None,
                    g.is_index,
                    g.identical,
                    "",
                )
            )
    keys = iter(
        insert(
            GenogramPerson,
            ("county", "family", "person", "name", "sex", "birth_year", "death_year", "deceased", "is_index", "identical_twin", "note"),
            rows,
            returning=True,
        )
    )
    pks = [[next(keys) for _ in d.people] for d in drawn]
    twins, partnerships, parentages, households, relationships, ecomaps = [], [], [], [], [], []
    for (_spec, r), fam, d, pk in zip(chunk, families, drawn, pks, strict=True):
        county = r.county.pk
        twins += [(pk[i], pk[g.twin_of]) for i, g in enumerate(d.people) if g.twin_of is not None]
        partnerships += [(county, fam.pk, pk[a], pk[b], kind, s, e) for a, b, kind, s, e in d.partnerships]
        once = {(p, c): kind for p, c, kind in reversed(d.parentages)}
        parentages += [(county, fam.pk, pk[p], pk[c], kind) for (p, c), kind in once.items()]
        households += [(county, fam.pk, name, [pk[m] for m in members]) for name, members in d.households]
        relationships += [(county, fam.pk, pk[a], pk[b], q, note) for a, b, q, note in d.relationships if a != b]
        ecomaps += [(county, fam.pk, m, d, pk) for m in d.ecomaps]
    if twins:
        GenogramPerson.objects.bulk_update([GenogramPerson(pk=pk, twin_of_id=twin) for pk, twin in twins], ["twin_of"])
    insert(Partnership, ("county", "family", "first", "second", "kind", "started_year", "ended_year"), partnerships)
    insert(Parentage, ("county", "family", "parent", "child", "kind"), parentages)
    household_keys = insert(Household, ("county", "family", "name"), [h[:3] for h in households], returning=True)
    through = Household.members.through
    insert(through, ("household", "genogramperson"), [(hk, m) for hk, h in zip(household_keys, households, strict=True) for m in h[3]])
    insert(Relationship, ("county", "family", "first", "second", "quality", "note"), relationships)
    index_client = {fam.pk: d.centre for fam, d in zip(families, drawn, strict=True)}
    map_rows = [
        (
            county,
            fam,
            m["drawn_on"],
            m["viewpoint"],
            index_client[fam] if m["child_view"] else None,
            index_client[fam] if m["child_view"] else None,
            "",
        )
        for county, fam, m, _d, _pk in ecomaps
    ]
    map_keys = insert(Ecomap, ("county", "family", "drawn_on", "viewpoint", "viewpoint_person", "centre", "note"), map_rows, returning=True)
    ties = []
    for key, (county, _fam, m, _d, pk) in zip(map_keys, ecomaps, strict=True):
        for t in m["ties"]:
            relative = pk[t["relative"]] if t.get("relative") is not None else None
            ties.append((county, key, relative, *(t.get(f, 2 if f == "ring" else ("none" if f == "support" else "")) for f in TIE_FIELDS)))
    insert(EcomapTie, ("county", "ecomap", "relative", *TIE_FIELDS), ties)
    counts.update(
        genogram_people=sum(len(d.people) for d in drawn),
        partnerships=len(partnerships),
        parentages=len(parentages),
        households=len(households),
        genogram_relationships=len(relationships),
        ecomaps=len(map_rows),
        ecomap_ties=len(ties),
    )
