"""Reads of the genogram and the ecomaps, each in a fixed number of queries whatever the family's size."""

from django.db.models import Prefetch

from apps.clients.models import Family

from .models import Ecomap, EcomapTie, GenogramPerson, GenogramVersion, Household, Parentage, Partnership, Relationship
from .tree import THousehold, TParentage, TPartnership, TPerson, Tree, TRelationship


def person_name(g: GenogramPerson) -> str:
    """A client's name as the client register holds it (never typed twice); a relative's as recorded."""
    if g.person_id:
        return f"{g.person.first_names} {g.person.last_name}".strip()
    return g.name or "?"


def relationship_label(r: Relationship) -> str:
    """ "Aino Mäkinen – Mikko Mäkinen: ristiriitainen" (with `first` and `second` and their persons loaded)."""
    return f"{person_name(r.first)} – {person_name(r.second)}: {r.get_quality_display()}"


def _tperson(g: GenogramPerson) -> TPerson:
    birth_date = g.person.birth_date if g.person_id else None
    return TPerson(
        id=g.pk,
        name=person_name(g),
        sex=g.sex,
        birth_year=birth_date.year if birth_date else g.birth_year,
        birth_date=birth_date.isoformat() if birth_date else "",
        death_year=g.death_year,
        deceased=g.deceased,
        is_index=g.is_index,
        client_id=g.person_id,
        twin_of=g.twin_of_id,
        identical_twin=g.identical_twin,
        note=g.note,
    )


def genogram_people(family: Family):
    return GenogramPerson.objects.filter(family=family).select_related("person").order_by("birth_year", "id")


def genogram_tree(family: Family) -> Tree:
    """The family's genogram as it is now: five queries (one when nobody is drawn yet)."""
    people = [_tperson(g) for g in genogram_people(family)]
    if not people:
        return Tree(family_id=family.pk)
    partnerships = [
        TPartnership(p.pk, p.first_id, p.second_id, p.kind, p.started_year, p.ended_year)
        for p in Partnership.objects.filter(family=family).order_by("started_year", "id")
    ]
    parentages = [TParentage(p.pk, p.parent_id, p.child_id, p.kind) for p in Parentage.objects.filter(family=family).order_by("id")]
    through = Household.members.through
    members: dict[int, list[int]] = {}
    households = list(Household.objects.filter(family=family).order_by("id"))
    if households:
        for household_id, person_id in (
            through.objects.filter(household__family=family).order_by("id").values_list("household_id", "genogramperson_id")
        ):
            members.setdefault(household_id, []).append(person_id)
    relationships = [
        TRelationship(r.pk, r.first_id, r.second_id, r.quality, r.note) for r in Relationship.objects.filter(family=family).order_by("id")
    ]
    return Tree(
        people=people,
        partnerships=partnerships,
        parentages=parentages,
        households=[THousehold(h.pk, h.name, members.get(h.pk, [])) for h in households],
        relationships=relationships,
        family_id=family.pk,
    )


def genogram_versions(family: Family, limit: int = 50):
    return GenogramVersion.objects.filter(family=family).defer("data").select_related("saved_by").order_by("-number")[:limit]


def genogram_version(family: Family, number) -> GenogramVersion | None:
    if not str(number).isdigit():
        return None
    return GenogramVersion.objects.filter(family=family, number=int(number)).first()


def family_ecomaps(family: Family):
    return Ecomap.objects.filter(family=family).select_related("viewpoint_person", "centre", "created_by").order_by("-drawn_on", "-id")


def ecomap_ties(ecomap: Ecomap) -> list[EcomapTie]:
    return list(ecomap.ties.select_related("relative__person").order_by("sector", "ring", "id"))


def ecomaps_with_ties(family: Family, ids=None):
    """The family's maps (those of `ids`, or all) with their ties: two queries."""
    ties = Prefetch("ties", queryset=EcomapTie.objects.select_related("relative__person").order_by("sector", "ring", "id"))
    maps = family_ecomaps(family) if ids is None else family_ecomaps(family).filter(pk__in=list(ids))
    return list(maps.prefetch_related(ties))
