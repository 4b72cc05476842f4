"""Synthetic families for the layout tests: the known failures of family-tree drawers, and random
families of 1 to 40 people over 1 to 4 generations (deterministic by seed)."""

import random

from apps.network.tree import THousehold, TParentage, TPartnership, TPerson, Tree, TRelationship


class Builder:
    def __init__(self):
        self.tree = Tree()
        self._ids = {"person": 0, "partnership": 0, "parentage": 0, "household": 0, "relationship": 0}

    def _next(self, kind):
        self._ids[kind] += 1
        return self._ids[kind]

    def person(self, name, sex="female", born=None, **kw) -> int:
        p = TPerson(self._next("person"), name, sex, born, **kw)
        self.tree.people.append(p)
        return p.id

    def couple(self, a, b, kind="married", start=None, end=None) -> int:
        p = TPartnership(self._next("partnership"), a, b, kind, start, end)
        self.tree.partnerships.append(p)
        return p.id

    def child(self, parents, child, kind="biological"):
        for parent in parents:
            self.tree.parentages.append(TParentage(self._next("parentage"), parent, child, kind))

    def household(self, name, members):
        self.tree.households.append(THousehold(self._next("household"), name, list(members)))

    def tie(self, a, b, quality="conflicted", note=""):
        self.tree.relationships.append(TRelationship(self._next("relationship"), a, b, quality, note))


def known_failures() -> Tree:
    """Half-siblings, a person with three partners, children of earlier partners, a foster child, twins."""
    b = Builder()
    gp1, gp2 = b.person("Vaari", "male", 1940, death_year=2015), b.person("Mummi", "female", 1944)
    b.couple(gp1, gp2, start=1963)
    mother = b.person("Äiti", "female", 1970)
    uncle = b.person("Eno", "male", 1966)
    b.child([gp1, gp2], mother)
    b.child([gp1, gp2], uncle)
    p1, p2, p3 = b.person("Eka", "male", 1968), b.person("Toka", "male", 1965), b.person("Kolmas", "unknown", 1975)
    b.couple(mother, p1, "divorced", 1990, 1996)
    b.couple(mother, p2, "separated", 1998, 2005)
    b.couple(mother, p3, "cohabiting", 2008)
    c1 = b.person("Anna", "female", 1991)
    c2 = b.person("Bertta", "female", 1994)
    b.child([mother, p1], c1)
    b.child([mother, p1], c2)
    c3 = b.person("Cecilia", "female", 2000, is_index=True)
    b.child([mother, p2], c3)
    t1 = b.person("Daniel", "male", 2010)
    t2 = b.person("Eemeli", "male", 2010, twin_of=t1, identical_twin=True)
    b.child([mother, p3], t1)
    b.child([mother, p3], t2)
    foster = b.person("Fiona", "female", 2012)
    b.child([mother, p3], foster, "foster")
    # a child of the second partner's earlier partnership
    ex = b.person("Ex", "female", 1967)
    b.couple(p2, ex, "divorced", 1988, 1995)
    half = b.person("Gabriel", "male", 1990)
    b.child([p2, ex], half)
    b.household("Äidin koti", [mother, p3, c3, t1, t2, foster])
    b.tie(c3, p2, "conflicted", "riitaa tapaamisista")
    b.tie(c3, gp2, "close")
    b.tie(mother, p1, "cut_off")
    return b.tree


def random_family(seed: int, size: int, generations: int) -> Tree:
    """`size` people over `generations` rows: couples with children, remarriages, twins, a foster
    child now and then, a household, and a few relationship qualities."""
    rng = random.Random(seed)
    b = Builder()
    rows: list[list[int]] = [[]]
    born = {}

    def add(name_row, year, sex=None):
        sex = sex or rng.choice(["female", "male", "male", "female", "unknown"])
        pid = b.person(
            f"H{len(b.tree.people) + 1}", sex, year, death_year=(year + rng.randint(40, 80)) if year < 1950 and rng.random() < 0.4 else None
        )
        rows[name_row].append(pid)
        born[pid] = year
        return pid

    first_year = 2015 - 28 * generations
    add(0, first_year)
    if size > 1:
        add(0, first_year + rng.randint(-3, 3))
        b.couple(rows[0][0], rows[0][1], start=first_year + 22)
    while len(b.tree.people) < size:
        gen = rng.randrange(0, max(1, min(generations - 1, len(rows))))
        if gen >= len(rows):
            gen = len(rows) - 1
        if gen + 1 >= generations:
            gen = generations - 2
        if gen < 0:
            # a single generation: siblings or partners only
            add(0, first_year + rng.randint(-5, 5))
            continue
        parent = rng.choice(rows[gen])
        partners = [p.second if p.first == parent else p.first for p in b.tree.partnerships if parent in (p.first, p.second)]
        if not partners or (rng.random() < 0.25 and len(b.tree.people) < size - 1):
            partner = add(gen, born[parent] + rng.randint(-4, 4))
            kind = rng.choice(["married", "cohabiting", "divorced", "separated"])
            b.couple(parent, partner, kind, born[parent] + 20, (born[parent] + 30) if kind in ("divorced", "separated") else None)
            partners.append(partner)
        partner = rng.choice(partners)
        while len(rows) <= gen + 1:
            rows.append([])
        year = max(born[parent], born[partner]) + rng.randint(20, 35)
        if len(b.tree.people) >= size:
            break
        child = add(gen + 1, year)
        kind = "foster" if rng.random() < 0.08 else "biological"
        b.child([parent, partner], child, kind)
        if rng.random() < 0.1 and len(b.tree.people) < size:
            twin = add(gen + 1, year)
            b.tree.people[-1].twin_of = child
            b.child([parent, partner], twin, kind)
    ids = [p.id for p in b.tree.people]
    if len(ids) > 3:
        b.household("Koti", rng.sample(rows[-1], min(3, len(rows[-1]))))
        for _ in range(min(3, len(ids) // 4)):
            a, c = rng.sample(ids, 2)
            b.tie(a, c, rng.choice(["close", "distant", "conflicted", "cut_off", "abusive"]))
    return b.tree
