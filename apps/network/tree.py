"""The genogram as plain data: what the layout draws, the text alternative reads and a saved version
keeps. Built from the database (selectors.genogram_tree) or from a saved version's JSON, so an
earlier version is drawn and read exactly like the current one.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from apps.core.choices import labels

from .models import Parentage, Partnership, Relationship


@dataclass
class TPerson:
    id: int
    name: str
    sex: str
    birth_year: int | None = None
    birth_date: str = ""  # ISO date, for clients: orders twins and siblings born the same year
    death_year: int | None = None
    deceased: bool = False
    is_index: bool = False
    client_id: int | None = None
    twin_of: int | None = None
    identical_twin: bool = False
    note: str = ""

    def birth_key(self) -> tuple:
        return (self.birth_year if self.birth_year is not None else 9999, self.birth_date or "", self.id)

    def years(self) -> str:
        if self.birth_year and (self.death_year or self.deceased):
            return f"{self.birth_year}–{self.death_year or '?'}"
        if self.birth_year:
            return _("s. %(year)s") % {"year": self.birth_year}
        if self.death_year:
            return _("k. %(year)s") % {"year": self.death_year}
        return ""


@dataclass
class TPartnership:
    id: int
    first: int
    second: int
    kind: str
    started_year: int | None = None
    ended_year: int | None = None

    def sort_key(self) -> tuple:
        return (self.started_year or 9999, self.id)


@dataclass
class TParentage:
    id: int
    parent: int
    child: int
    kind: str


@dataclass
class THousehold:
    id: int
    name: str
    members: list[int] = field(default_factory=list)


@dataclass
class TRelationship:
    id: int
    first: int
    second: int
    quality: str
    note: str = ""


@dataclass
class Tree:
    people: list[TPerson] = field(default_factory=list)
    partnerships: list[TPartnership] = field(default_factory=list)
    parentages: list[TParentage] = field(default_factory=list)
    households: list[THousehold] = field(default_factory=list)
    relationships: list[TRelationship] = field(default_factory=list)
    family_id: int | None = None

    # ---- serialising: a saved version ------------------------------------------------------------

    def to_json(self) -> dict:
        return {k: [asdict(x) for x in getattr(self, k)] for k in ("people", "partnerships", "parentages", "households", "relationships")}

    @classmethod
    def from_json(cls, data: dict, family_id: int | None = None) -> "Tree":
        return cls(
            people=[TPerson(**x) for x in data.get("people", [])],
            partnerships=[TPartnership(**x) for x in data.get("partnerships", [])],
            parentages=[TParentage(**x) for x in data.get("parentages", [])],
            households=[THousehold(**x) for x in data.get("households", [])],
            relationships=[TRelationship(**x) for x in data.get("relationships", [])],
            family_id=family_id,
        )

    # ---- structure ---------------------------------------------------------------------------

    def by_id(self) -> dict[int, TPerson]:
        return {p.id: p for p in self.people}

    def parents_of(self) -> dict[int, list[TParentage]]:
        parents = defaultdict(list)
        for link in self.parentages:
            parents[link.child].append(link)
        return parents

    def generations(self) -> dict[int, int]:
        """Each person's generation, 0 for the eldest row: a child one row below its parents,
        partners on the same row. Solved by walking the family from its eldest members, then
        settling what the walk left uneven (a child one row below its lower parent, partners on the
        lower partner's row) until nothing moves."""
        people = sorted(self.people, key=TPerson.birth_key)
        if not people:
            return {}
        neighbours = defaultdict(list)
        for link in self.parentages:
            neighbours[link.parent].append((link.child, 1))
            neighbours[link.child].append((link.parent, -1))
        for p in self.partnerships:
            neighbours[p.first].append((p.second, 0))
            neighbours[p.second].append((p.first, 0))
        gen: dict[int, int] = {}
        for start in people:
            if start.id in gen:
                continue
            gen[start.id] = 0
            queue = [start.id]
            while queue:
                current = queue.pop(0)
                for other, delta in neighbours[current]:
                    if other not in gen:
                        gen[other] = gen[current] + delta
                        queue.append(other)
        for _round in range(len(people) + 1):
            moved = False
            for link in self.parentages:
                if gen[link.child] < gen[link.parent] + 1:
                    gen[link.child] = gen[link.parent] + 1
                    moved = True
            for p in self.partnerships:
                low = max(gen[p.first], gen[p.second])
                if gen[p.first] != low or gen[p.second] != low:
                    gen[p.first] = gen[p.second] = low
                    moved = True
            if not moved:
                break
        # Someone with no parents in the drawing stands on the row of their partner or just above
        # their eldest child (an in-law's row is their partner's, not the top).
        top = min(gen.values())
        return {pid: g - top for pid, g in gen.items()}

    def child_groups(self) -> list[tuple[tuple[int, ...], str, list[int]]]:
        """Who hangs from whom: (the parents, the kind, their children oldest first). Parents of the
        same kind hang a child from their couple; a step-parent's tie is drawn on its own."""
        people = self.by_id()
        groups: dict[tuple, list[int]] = defaultdict(list)
        for child, links in self.parents_of().items():
            by_kind = defaultdict(list)
            for link in links:
                by_kind[link.kind].append(link.parent)
            for kind, parents in by_kind.items():
                groups[(tuple(sorted(parents)), kind)].append(child)
        return [
            (parents, kind, sorted(children, key=lambda c: people[c].birth_key()))
            for (parents, kind), children in sorted(groups.items(), key=lambda kv: (kv[0][1] != "biological", kv[0]))
        ]

    def subjects(self) -> tuple[list[int], bool]:
        """Whom a drawing shows: the clients among its people, and whether it shows anyone else."""
        clients = sorted({p.client_id for p in self.people if p.client_id})
        return clients, any(not p.client_id for p in self.people)


# ---- the text alternative -------------------------------------------------------------------


@dataclass
class TextSection:
    heading: str
    lines: list[str]


def describe_person(p: TPerson, sex_labels: dict) -> str:
    facts = [str(sex_labels.get(p.sex, p.sex))]
    if p.years():
        facts.append(p.years())
    if p.death_year or p.deceased:
        facts.append(_("kuollut"))
    if p.is_index:
        facts.append(_("indeksihenkilö"))
    if p.twin_of:
        facts.append(_("kaksonen"))
    return f"{p.name} ({', '.join(dict.fromkeys(facts))})"


def text_alternative(tree: Tree) -> list[TextSection]:
    """Every person and every tie, in the order a reader follows a genogram: the rows from the
    eldest down (oldest first in each row), then the couples and their children, the households,
    and the quality of relationships."""
    from .models import GenogramPerson

    sex_labels = labels(GenogramPerson._meta.get_field("sex"))
    partnership_labels = labels(Partnership._meta.get_field("kind"))
    parent_labels = labels(Parentage._meta.get_field("kind"))
    quality_labels = labels(Relationship._meta.get_field("quality"))
    people = tree.by_id()
    gens = tree.generations()
    sections = []
    for g in sorted(set(gens.values())):
        row = sorted((p for p in tree.people if gens[p.id] == g), key=TPerson.birth_key)
        sections.append(TextSection(_("Sukupolvi %(n)s") % {"n": g + 1}, [describe_person(p, sex_labels) for p in row]))
    couples = []
    for p in sorted(tree.partnerships, key=TPartnership.sort_key):
        span = ""
        if p.started_year or p.ended_year:
            span = f" {p.started_year or '?'}–{p.ended_year or ''}"
        couples.append(f"{people[p.first].name} – {people[p.second].name}: {partnership_labels.get(p.kind, p.kind)}{span}")
    if couples:
        sections.append(TextSection(_("Parisuhteet"), couples))
    children = []
    for parents, kind, kids in tree.child_groups():
        names = (
            _("%(first)s ja %(second)s") % {"first": people[parents[0]].name, "second": people[parents[1]].name}
            if len(parents) == 2
            else ", ".join(people[pid].name for pid in parents)
        )
        children.append(
            _("%(parents)s: %(children)s (%(kind)s)")
            % {"parents": names, "children": ", ".join(people[c].name for c in kids), "kind": parent_labels.get(kind, kind)}
        )
    if children:
        sections.append(TextSection(_("Lapset"), children))
    if tree.households:
        sections.append(
            TextSection(
                _("Kotitaloudet nyt"),
                [f"{h.name}: {', '.join(people[m].name for m in h.members if m in people)}" for h in tree.households],
            )
        )
    ties = []
    for r in tree.relationships:
        line = f"{people[r.first].name} – {people[r.second].name}: {quality_labels.get(r.quality, r.quality)}"
        ties.append(f"{line} ({r.note})" if r.note else line)
    if ties:
        sections.append(TextSection(_("Suhteiden laatu"), ties))
    return sections
