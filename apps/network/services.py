"""Writes to the genogram and the ecomaps.

Each service takes the `Access` the gate returned, requires `network.edit`, checks what the drawing
cannot hold (a person who would become their own ancestor, a partnership ending before it began, a
child born before a parent, a death before birth, a fifth parent, a tie to nobody) and says so in the
user's language before anything is written, writes, saves the genogram's new version and logs the
change — all in one transaction, so a refused change leaves everything as it was.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.clients.models import ClientRelationship, FamilyMember, Relation

from . import selectors
from .access import tree_subjects
from .models import (
    SERVICE_SECTOR,
    Ecomap,
    EcomapTie,
    GenogramPerson,
    GenogramVersion,
    Household,
    Parentage,
    ParentKind,
    Partnership,
    Relationship,
    Sex,
)

MAX_PARENTS = 4  # two by birth, and two more by adoption, foster care or a parent's partner
EARLIEST_YEAR = 1850


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _subjects(access: Access, people) -> list[Subject]:
    family_id = access.family.pk
    ids = sorted({p.person_id for p in people if p.person_id})
    subjects = [Subject(family_id, pid) for pid in ids]
    if any(not p.person_id for p in people) or not subjects:
        subjects.append(Subject(family_id))
    return subjects


def _version(access: Access, change: str) -> GenogramVersion:
    family = access.family
    number = (GenogramVersion.objects.filter(family=family).aggregate(n=Max("number"))["n"] or 0) + 1
    tree = selectors.genogram_tree(family)
    return GenogramVersion.objects.create(
        county_id=family.county_id, family=family, number=number, saved_by=access.user, change=change[:200], data=tree.to_json()
    )


def _check_years(*, birth_year=None, death_year=None, field_prefix=""):
    this_year = timezone.localdate().year
    errors = {}
    for name, year in (("birth_year", birth_year), ("death_year", death_year)):
        if year is not None and not EARLIEST_YEAR <= year <= this_year:
            errors[field_prefix + name] = _("Vuoden on oltava välillä %(first)s–%(last)s.") % {"first": EARLIEST_YEAR, "last": this_year}
    if birth_year and death_year and death_year < birth_year:
        errors[field_prefix + "death_year"] = _("Kuolinvuosi ei voi olla ennen syntymävuotta (%(year)s).") % {"year": birth_year}
    if errors:
        raise ValidationError(errors)


def _birth_year(g: GenogramPerson) -> int | None:
    if g.person_id and g.person.birth_date:
        return g.person.birth_date.year
    return g.birth_year


def _name(g: GenogramPerson) -> str:
    return selectors.person_name(g)


# ---- the genogram --------------------------------------------------------------------------------


@transaction.atomic
def genogram_draft(*, access: Access) -> list[GenogramPerson]:
    """Start (or complete) the genogram from the family's members: each member once, linked to their
    client record; children linked to the parents (by birth) and to a parent's partner (step), the
    children with an open client relationship marked as index children. Adds only what is missing."""
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    members = list(FamilyMember.objects.filter(family=family).select_related("person").order_by("person__birth_date", "id"))
    existing = {g.person_id: g for g in GenogramPerson.objects.filter(family=family, person__isnull=False).select_related("person")}
    open_children = set(ClientRelationship.objects.filter(family=family, closed_on__isnull=True).values_list("child_id", flat=True))
    added = []
    for m in members:
        if m.person_id in existing:
            continue
        g = _save(
            GenogramPerson(
                county_id=family.county_id,
                family=family,
                person=m.person,
                sex=Sex.UNKNOWN,
                birth_year=m.person.birth_date.year if m.person.birth_date else None,
                is_index=m.person_id in open_children,
            )
        )
        existing[m.person_id] = g
        added.append(g)
    by_relation: dict[str, list[GenogramPerson]] = {}
    for m in members:
        by_relation.setdefault(m.relation, []).append(existing[m.person_id])
    children = by_relation.get(Relation.CHILD, []) + by_relation.get(Relation.SIBLING, [])
    links = set(Parentage.objects.filter(family=family).values_list("parent_id", "child_id"))
    for parents, kind in (
        (by_relation.get(Relation.PARENT, [])[:2], ParentKind.BIOLOGICAL),
        (by_relation.get(Relation.STEP_PARENT, [])[:2], ParentKind.STEP),
    ):
        for parent in parents:
            for child in children:
                if (
                    (parent.pk, child.pk) not in links
                    and _birth_year(parent) is not None
                    and (_birth_year(child) or 9999) > _birth_year(parent)
                ):
                    _save(Parentage(county_id=family.county_id, family=family, parent=parent, child=child, kind=kind))
                    links.add((parent.pk, child.pk))
    if added:
        _version(access, _("Luonnos perheen tiedoista"))
        access.changed(_subjects(access, added), action=Action.CREATE)
    return added


@transaction.atomic
def person_add(
    *,
    access: Access,
    name: str = "",
    person=None,
    sex: str = Sex.UNKNOWN,
    birth_year: int | None = None,
    death_year: int | None = None,
    deceased: bool = False,
    is_index: bool = False,
    twin_of: GenogramPerson | None = None,
    identical_twin: bool = False,
    note: str = "",
) -> GenogramPerson:
    """A relative who is not a client (a name or a label, sex as recorded, years), or a client of the
    family (`person`: name and birth date come from the client record)."""
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    if person is not None:
        if not FamilyMember.objects.filter(family=family, person=person).exists():
            raise ValidationError({"person": _("Henkilö ei ole tämän perheen jäsen.")})
        if GenogramPerson.objects.filter(family=family, person=person).exists():
            raise ValidationError({"person": _("%(name)s on jo sukupuussa.") % {"name": person.full_name}})
        name = ""
        if person.birth_date:
            birth_year = person.birth_date.year
    elif not name.strip():
        raise ValidationError({"name": _("Anna nimi tai kuvaus, esimerkiksi ”äidin isä”.")})
    _check_years(birth_year=birth_year, death_year=death_year)
    if twin_of is not None and twin_of.family_id != family.pk:
        raise ValidationError({"twin_of": _("Kaksosen on oltava samassa sukupuussa.")})
    g = _save(
        GenogramPerson(
            county_id=family.county_id,
            family=family,
            person=person,
            name=name.strip(),
            sex=sex,
            birth_year=birth_year,
            death_year=death_year,
            deceased=deceased or death_year is not None,
            is_index=is_index,
            twin_of=twin_of,
            identical_twin=identical_twin and twin_of is not None,
            note=note,
        )
    )
    if twin_of is not None:
        _link_twin(access, g, twin_of)
    _version(access, _("Lisätty %(name)s") % {"name": _name(g)})
    access.changed(_subjects(access, [g]), action=Action.CREATE)
    return g


def _link_twin(access, g: GenogramPerson, twin: GenogramPerson) -> None:
    """A twin has the parents of their twin: hang them from the same couple."""
    if _birth_year(twin) and g.birth_year and _birth_year(twin) != g.birth_year:
        raise ValidationError({"twin_of": _("Kaksosilla on sama syntymävuosi (%(year)s).") % {"year": _birth_year(twin)}})
    if g.birth_year is None and _birth_year(twin):
        g.birth_year = _birth_year(twin)
        g.save(update_fields=["birth_year"])
    for link in Parentage.objects.filter(child=twin):
        _save(Parentage(county_id=g.county_id, family_id=g.family_id, parent_id=link.parent_id, child=g, kind=link.kind))


@transaction.atomic
def person_update(*, access: Access, genogram_person: GenogramPerson, **fields) -> GenogramPerson:
    access.require(Perm.NETWORK_EDIT)
    g = genogram_person
    if g.person_id:
        fields.pop("name", None)  # a client's name is the client register's
    for key, value in fields.items():
        setattr(g, key, value)
    if g.person_id and g.person.birth_date:
        g.birth_year = g.person.birth_date.year
    if g.death_year is not None:
        g.deceased = True
    _check_years(birth_year=g.birth_year, death_year=g.death_year)
    if not g.person_id and not g.name.strip():
        raise ValidationError({"name": _("Anna nimi tai kuvaus, esimerkiksi ”äidin isä”.")})
    if g.birth_year:
        _check_generation_years(g)
    _save(g)
    _version(access, _("Muutettu %(name)s") % {"name": _name(g)})
    access.changed(_subjects(access, [g]))
    return g


def _check_generation_years(g: GenogramPerson) -> None:
    """A changed birth year may not put a child before a parent."""
    for link in Parentage.objects.filter(Q(child=g) | Q(parent=g)).select_related("parent__person", "child__person"):
        parent_year = g.birth_year if link.parent_id == g.pk else _birth_year(link.parent)
        child_year = g.birth_year if link.child_id == g.pk else _birth_year(link.child)
        if parent_year and child_year and child_year <= parent_year:
            raise ValidationError(
                {
                    "birth_year": _("Lapsi (%(child)s) ei voi syntyä ennen vanhempaansa (%(parent)s).")
                    % {"child": _name(link.child), "parent": _name(link.parent)}
                }
            )


def _ancestors(family_id: int, person_id: int) -> set[int]:
    parents: dict[int, list[int]] = {}
    for parent, child in Parentage.objects.filter(family_id=family_id).values_list("parent_id", "child_id"):
        parents.setdefault(child, []).append(parent)
    seen, stack = set(), [person_id]
    while stack:
        for parent in parents.get(stack.pop(), []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


@transaction.atomic
def child_add(
    *, access: Access, child: GenogramPerson, parents: list[GenogramPerson], kind: str = ParentKind.BIOLOGICAL
) -> list[Parentage]:
    """Hang `child` from one or two parents (of one kind). Refused: the child as their own ancestor,
    a child born before a parent, more than two parents of one kind, a fifth parent."""
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    parents = [p for p in dict.fromkeys(parents) if p is not None]
    if not parents:
        raise ValidationError({"parents": _("Valitse vähintään yksi vanhempi.")})
    if len(parents) > 2:
        raise ValidationError({"parents": _("Valitse yksi tai kaksi vanhempaa kerrallaan.")})
    existing = list(Parentage.objects.filter(child=child).select_related("parent__person"))
    new = [p for p in parents if p.pk not in {link.parent_id for link in existing}]
    if not new:
        raise ValidationError({"parents": _("%(child)s on jo liitetty näihin vanhempiin.") % {"child": _name(child)}})
    for parent in new:
        if parent.pk == child.pk or child.pk in _ancestors(family.pk, parent.pk):
            raise ValidationError(
                {
                    "parents": _("%(child)s ei voi olla itsensä esivanhempi: %(parent)s on jo hänen jälkeläisensä.")
                    % {"child": _name(child), "parent": _name(parent)}
                }
            )
        child_year, parent_year = _birth_year(child), _birth_year(parent)
        if child_year and parent_year and child_year <= parent_year:
            raise ValidationError(
                {
                    "parents": _("Lapsi (%(child)s, s. %(cy)s) ei voi syntyä ennen vanhempaansa (%(parent)s, s. %(py)s).")
                    % {"child": _name(child), "cy": child_year, "parent": _name(parent), "py": parent_year}
                }
            )
    if len(existing) + len(new) > MAX_PARENTS:
        raise ValidationError(
            {
                "parents": _(
                    "Lapsella voi olla enintään neljä vanhempaa (kaksi biologista sekä adoptio-, sijais- tai uusperheen vanhemmat). %(child)s on jo liitetty %(n)s vanhempaan."
                )
                % {"child": _name(child), "n": len(existing)}
            }
        )
    same_kind = sum(1 for link in existing if link.kind == kind) + len(new)
    if same_kind > 2:
        raise ValidationError({"parents": _("Lapsella voi olla enintään kaksi samanlaista vanhempaa.")})
    links = [_save(Parentage(county_id=family.county_id, family=family, parent=p, child=child, kind=kind)) for p in new]
    for twin in GenogramPerson.objects.filter(Q(twin_of=child) | Q(pk=child.twin_of_id)).exclude(pk=child.pk):
        for p in new:
            if not Parentage.objects.filter(parent=p, child=twin).exists():
                links.append(_save(Parentage(county_id=family.county_id, family=family, parent=p, child=twin, kind=kind)))
    _version(access, _("%(child)s liitetty vanhempiin") % {"child": _name(child)})
    access.changed(_subjects(access, [child, *new]))
    return links


@transaction.atomic
def partnership_add(
    *,
    access: Access,
    first: GenogramPerson,
    second: GenogramPerson,
    kind: str,
    started_year: int | None = None,
    ended_year: int | None = None,
) -> Partnership:
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    if first.pk == second.pk:
        raise ValidationError({"second": _("Valitse kaksi eri henkilöä.")})
    this_year = timezone.localdate().year
    errors = {}
    for name, year in (("started_year", started_year), ("ended_year", ended_year)):
        if year is not None and not EARLIEST_YEAR <= year <= this_year:
            errors[name] = _("Vuoden on oltava välillä %(first)s–%(last)s.") % {"first": EARLIEST_YEAR, "last": this_year}
    if started_year and ended_year and ended_year < started_year:
        errors["ended_year"] = _("Parisuhde ei voi päättyä (%(end)s) ennen kuin se alkoi (%(start)s).") % {
            "end": ended_year,
            "start": started_year,
        }
    if errors:
        raise ValidationError(errors)
    if Partnership.objects.filter(Q(first=first, second=second) | Q(first=second, second=first)).exists():
        raise ValidationError({"second": _("Näiden kahden parisuhde on jo sukupuussa.")})
    if first.pk in _ancestors(family.pk, second.pk) or second.pk in _ancestors(family.pk, first.pk):
        raise ValidationError({"second": _("Vanhempi ja hänen jälkeläisensä eivät voi olla parisuhteessa sukupuussa.")})
    p = _save(
        Partnership(
            county_id=family.county_id,
            family=family,
            first=first,
            second=second,
            kind=kind,
            started_year=started_year,
            ended_year=ended_year,
        )
    )
    _version(access, _("Parisuhde: %(a)s – %(b)s") % {"a": _name(first), "b": _name(second)})
    access.changed(_subjects(access, [first, second]), action=Action.CREATE)
    return p


@transaction.atomic
def household_add(*, access: Access, name: str, members: list[GenogramPerson]) -> Household:
    """Who lives together now. Each person lives in one household."""
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    if not members:
        raise ValidationError({"members": _("Valitse kotitalouden jäsenet.")})
    elsewhere = (
        Household.members.through.objects.filter(genogramperson__in=members).select_related("household", "genogramperson__person").first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "members": _("%(name)s asuu jo kotitaloudessa ”%(household)s”. Poista hänet siitä ensin.")
                % {"name": _name(elsewhere.genogramperson), "household": elsewhere.household.name}
            }
        )
    h = _save(Household(county_id=family.county_id, family=family, name=name))
    h.members.set(members)
    _version(access, _("Kotitalous: %(name)s") % {"name": name})
    access.changed(_subjects(access, members), action=Action.CREATE)
    return h


@transaction.atomic
def relationship_add(*, access: Access, first: GenogramPerson, second: GenogramPerson, quality: str, note: str = "") -> Relationship:
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    if first.pk == second.pk:
        raise ValidationError({"second": _("Valitse kaksi eri henkilöä.")})
    r = _save(Relationship(county_id=family.county_id, family=family, first=first, second=second, quality=quality, note=note))
    _version(access, _("Suhde: %(a)s – %(b)s") % {"a": _name(first), "b": _name(second)})
    access.changed(_subjects(access, [first, second]), action=Action.CREATE)
    return r


REMOVABLE = {
    "person": GenogramPerson,
    "partnership": Partnership,
    "parentage": Parentage,
    "household": Household,
    "relationship": Relationship,
}


@transaction.atomic
def genogram_remove(*, access: Access, record) -> None:
    """Remove one entry of the genogram (a person takes their ties with them); the versions keep
    the drawing as it was."""
    access.require(Perm.NETWORK_EDIT)
    tree_before = selectors.genogram_tree(access.family)
    record.delete()
    _version(access, _("Poistettu merkintä"))
    access.changed(tree_subjects(access.family.pk, tree_before))


# ---- ecomaps ---------------------------------------------------------------------------------------


def _family_person(family, person, field):
    if person is not None and not FamilyMember.objects.filter(family=family, person=person).exists():
        raise ValidationError({field: _("Henkilö ei ole tämän perheen jäsen.")})


@transaction.atomic
def ecomap_create(
    *,
    access: Access,
    drawn_on: datetime.date,
    viewpoint: str,
    viewpoint_person=None,
    centre=None,
    note: str = "",
    copy_from: Ecomap | None = None,
) -> Ecomap:
    """A new dated map, from one person's point of view; it may start from an earlier map's ties
    (the earlier map stays as it was)."""
    access.require(Perm.NETWORK_EDIT)
    family = access.family
    if drawn_on > timezone.localdate():
        raise ValidationError({"drawn_on": _("Päivämäärä ei voi olla tulevaisuudessa.")})
    _family_person(family, viewpoint_person, "viewpoint_person")
    _family_person(family, centre, "centre")
    if copy_from is not None and copy_from.family_id != family.pk:
        raise ValidationError({"copy_from": _("Pohjaksi voi ottaa vain saman perheen kartan.")})
    ecomap = _save(
        Ecomap(
            county_id=family.county_id,
            family=family,
            drawn_on=drawn_on,
            viewpoint=viewpoint,
            viewpoint_person=viewpoint_person,
            centre=centre,
            note=note,
            created_by=access.user,
        )
    )
    if copy_from is not None:
        EcomapTie.objects.bulk_create(
            [
                EcomapTie(
                    county_id=family.county_id,
                    ecomap=ecomap,
                    **{
                        f: getattr(t, f)
                        for f in (
                            "sector",
                            "service",
                            "name",
                            "relative_id",
                            "ring",
                            "strength",
                            "support",
                            "professional",
                            "contact",
                            "note",
                        )
                    },
                )
                for t in copy_from.ties.all()
            ]
        )
    subjects = [Subject(family.pk, pid) for pid in sorted({p.pk for p in (centre, viewpoint_person) if p is not None})] or [
        Subject(family.pk)
    ]
    access.changed(subjects, action=Action.CREATE)
    return ecomap


@transaction.atomic
def tie_add(
    *,
    access: Access,
    ecomap: Ecomap,
    sector: str = "",
    service: str = "",
    name: str = "",
    relative: GenogramPerson | None = None,
    ring: int = 2,
    strength: str = "strong",
    support: str = "none",
    professional: str = "",
    contact: str = "",
    note: str = "",
) -> EcomapTie:
    access.require(Perm.NETWORK_EDIT)
    name = name.strip()
    if not name and relative is None and not service:
        raise ValidationError(
            {"name": _("Yhteys ei voi olla ei kehenkään: kirjoita, kehen tai mihin yhteys on, tai valitse palvelu tai sukupuun henkilö.")}
        )
    if relative is not None and relative.family_id != ecomap.family_id:
        raise ValidationError({"relative": _("Henkilön on oltava tämän perheen sukupuussa.")})
    sector = sector or SERVICE_SECTOR.get(service, "") or ("relatives" if relative is not None else "")
    if not sector:
        raise ValidationError({"sector": _("Valitse sektori.")})
    tie = _save(
        EcomapTie(
            county_id=ecomap.county_id,
            ecomap=ecomap,
            sector=sector,
            service=service,
            name=name,
            relative=relative,
            ring=ring,
            strength=strength,
            support=support,
            professional=professional,
            contact=contact,
            note=note,
        )
    )
    person_id = relative.person_id if relative is not None else None
    access.changed([Subject(ecomap.family_id, person_id)], action=Action.CREATE)
    return tie


@transaction.atomic
def tie_remove(*, access: Access, tie: EcomapTie) -> None:
    access.require(Perm.NETWORK_EDIT)
    person_id = tie.relative.person_id if tie.relative_id else None
    tie.delete()
    access.changed([Subject(access.family.pk, person_id)])
