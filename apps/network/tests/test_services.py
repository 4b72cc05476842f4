"""Writing the genogram and ecomaps: drafted from the family's members, bad input refused with a clear
message in the user's language, and nothing already saved lost."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from apps.audit.models import AccessLogEntry
from apps.network import selectors, services
from apps.network.access import open_network
from apps.network.models import Ecomap, GenogramPerson, GenogramVersion, Parentage, Partnership


@pytest.fixture
def access(world):
    return open_network(world.worker, world.family.pk, need="network.edit")


def _relative(access, name, born=None, **kw):
    return services.person_add(access=access, name=name, birth_year=born, **kw)


def _snapshot(family):
    tree = selectors.genogram_tree(family)
    return tree.to_json()


def test_the_draft_takes_the_familys_members_once_and_never_types_them_twice(world, access):
    added = services.genogram_draft(access=access)
    members = set(world.family.members.values_list("person_id", flat=True))
    assert {g.person_id for g in added} == members
    tree = selectors.genogram_tree(world.family)
    children = [p for p in tree.people if p.is_index]
    assert len(children) == 2 and all(p.name.endswith("Mäkinen") for p in tree.people)
    # both children hang from both parents
    assert len(tree.child_groups()) == 1 and len(tree.child_groups()[0][0]) == 2
    assert services.genogram_draft(access=access) == []  # nothing twice
    assert GenogramPerson.objects.filter(family=world.family).count() == len(members)
    entry = AccessLogEntry.objects.filter(actor=world.worker, action="create").latest("id")
    assert entry.family_id == world.family.pk and entry.person_id in members


def test_a_relative_needs_a_name_or_label_and_never_an_identity_code(access):
    with pytest.raises(ValidationError) as err:
        services.person_add(access=access, name="  ")
    assert "äidin isä" in str(err.value)
    assert "personal_identity_code" not in {f.name for f in GenogramPerson._meta.get_fields()}


def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved_is_lost(world, access):
    services.genogram_draft(access=access)
    grandma = _relative(access, "Mummo", 1950, sex="female")
    mother = GenogramPerson.objects.get(family=world.family, person__first_names="Sanna")
    child = GenogramPerson.objects.get(family=world.family, person__first_names="Aino")
    services.child_add(access=access, child=mother, parents=[grandma])
    before = _snapshot(world.family)
    versions = GenogramVersion.objects.filter(family=world.family).count()
    cases = [
        # own ancestor: the child as the grandmother's parent
        (lambda: services.child_add(access=access, child=grandma, parents=[child]), "itsensä esivanhempi"),
        (lambda: services.child_add(access=access, child=child, parents=[child]), "itsensä esivanhempi"),
        # a partnership ending before it began
        (
            lambda: services.partnership_add(
                access=access, first=grandma, second=_relative(access, "Ukki", 1948), kind="divorced", started_year=1980, ended_year=1975
            ),
            "ennen kuin se alkoi",
        ),
        # a child born before a parent
        (lambda: services.child_add(access=access, child=grandma, parents=[_relative(access, "Nuori", 1990)]), "ennen vanhempaansa"),
        # a death before birth
        (lambda: services.person_add(access=access, name="Isoisä", birth_year=1940, death_year=1930), "ennen syntymävuotta"),
        (lambda: services.person_update(access=access, genogram_person=grandma, death_year=1949), "ennen syntymävuotta"),
    ]
    for call, message in cases:
        with pytest.raises(ValidationError) as err:
            call()
        assert message in " ".join(err.value.messages), err.value.messages
    # a fifth parent: two by birth (the draft), two foster parents, then one more
    others = [_relative(access, f"Vanhempi {n}", 1960 + n) for n in range(3)]
    services.child_add(access=access, child=child, parents=others[:2], kind="foster")
    assert Parentage.objects.filter(child=child).count() == 4
    with pytest.raises(ValidationError) as err:
        services.child_add(access=access, child=child, parents=others[2:], kind="step")
    assert "enintään neljä vanhempaa" in " ".join(err.value.messages)
    assert Parentage.objects.filter(child=child).count() == 4
    tree_now = _snapshot(world.family)
    # nothing of what was saved before the refusals is gone (the new relatives were each saved on their own)
    for key in ("partnerships", "parentages"):
        assert all(item in tree_now[key] for item in before[key]), key
    assert GenogramVersion.objects.filter(family=world.family).count() > versions


def test_messages_are_in_the_users_language(world, access):
    for lang, words in (("sv", "före"), ("en", "before")):
        with translation.override(lang), pytest.raises(ValidationError) as err:
            services.person_add(access=access, name="X", birth_year=1940, death_year=1930)
        text = " ".join(err.value.messages)
        assert "Kuolinvuosi" not in text and words in text, text


def test_twins_share_their_parents_and_a_partnership_keeps_its_years(world, access):
    a, b = _relative(access, "Äiti", 1980, sex="female"), _relative(access, "Isä", 1978, sex="male")
    p = services.partnership_add(access=access, first=a, second=b, kind="divorced", started_year=2000, ended_year=2010)
    assert (p.started_year, p.ended_year) == (2000, 2010)
    t1 = _relative(access, "Kaksonen 1", 2005)
    services.child_add(access=access, child=t1, parents=[a, b])
    t2 = services.person_add(access=access, name="Kaksonen 2", twin_of=t1)
    assert t2.birth_year == 2005
    assert set(Parentage.objects.filter(child=t2).values_list("parent_id", flat=True)) == {a.pk, b.pk}
    with pytest.raises(ValidationError):
        services.partnership_add(access=access, first=b, second=a, kind="married")  # already partners


def test_a_household_holds_each_person_once(access):
    a, b = _relative(access, "A", 1980), _relative(access, "B", 1981)
    services.household_add(access=access, name="Koti", members=[a, b])
    with pytest.raises(ValidationError) as err:
        services.household_add(access=access, name="Toinen", members=[a])
    assert "asuu jo kotitaloudessa" in " ".join(err.value.messages)


def test_every_change_keeps_the_earlier_version_readable(world, access):
    a = _relative(access, "Mummo", 1950)
    first = GenogramVersion.objects.get(family=world.family, number=1)
    services.person_update(access=access, genogram_person=a, name="Mummi")
    assert GenogramVersion.objects.filter(family=world.family).count() == 2
    assert first.data["people"][0]["name"] == "Mummo"
    services.genogram_remove(access=access, record=a)
    assert selectors.genogram_tree(world.family).people == []
    assert GenogramVersion.objects.get(family=world.family, number=2).data["people"][0]["name"] == "Mummi"


def test_an_ecomap_tie_to_nobody_is_refused(world, access):
    child = world.family.members.filter(relation="child").first().person
    ecomap = services.ecomap_create(access=access, drawn_on=datetime.date.today(), viewpoint="child", viewpoint_person=child, centre=child)
    with pytest.raises(ValidationError) as err:
        services.tie_add(access=access, ecomap=ecomap, sector="friends", name="  ")
    assert "ei kehenkään" in " ".join(err.value.messages)
    tie = services.tie_add(
        access=access, ecomap=ecomap, service="school", professional="Opettaja Olli", contact="040 111 2222", support="to_centre"
    )
    assert tie.sector == "school"
    copy = services.ecomap_create(access=access, drawn_on=datetime.date.today(), viewpoint="worker", copy_from=ecomap)
    assert copy.ties.count() == 1 and ecomap.ties.count() == 1
    assert Ecomap.objects.filter(family=world.family).count() == 2


def test_read_only_roles_and_the_partner_write_nothing(world):
    from apps.network.access import open_network

    for persona in ("therapist",):
        access = open_network(getattr(world, persona), world.family.pk)
        with pytest.raises(PermissionDenied):
            services.person_add(access=access, name="Mummo")
    with pytest.raises(Http404):  # a partner's consent opens the shared plan only
        open_network(world.partner, world.family.pk)
    assert not Partnership.objects.exists() and not GenogramPerson.objects.exists()
