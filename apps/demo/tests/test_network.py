"""The demo's genograms and ecomaps: believable, drawable and valid for every family, at every scale."""

import datetime
from collections import Counter

import pytest
from django.db.models import Count

from apps.demo.generate import generate
from apps.network import selectors
from apps.network.layout import render_svg
from apps.network.models import Ecomap, EcomapTie, GenogramPerson, Household, Parentage, Partnership, Relationship
from apps.network.tests.test_layout import check_drawing

TODAY = datetime.date(2026, 9, 14)


@pytest.fixture
def team_demo(db):
    return generate("team", 3, TODAY)


def test_every_family_has_a_genogram_and_two_or_three_ecomaps(team_demo):
    from apps.clients.models import Family, FamilyMember

    families = Family.objects.count()
    assert GenogramPerson.objects.values("family").distinct().count() == families
    # every member drawn once, linked to the client record
    assert GenogramPerson.objects.filter(person__isnull=False).count() == FamilyMember.objects.count()
    maps = Counter(Ecomap.objects.values_list("family", flat=True))
    assert set(maps.values()) <= {2, 3} and len(maps) == families
    child_views = Ecomap.objects.filter(viewpoint="child").values("family").distinct().count()
    assert child_views == families
    assert not Ecomap.objects.filter(viewpoint="child", viewpoint_person__isnull=True).exists()
    assert EcomapTie.objects.exclude(professional="").exists()


def test_the_demo_genograms_hold_what_real_families_have(team_demo):
    kinds = Counter(Partnership.objects.values_list("kind", flat=True))
    assert kinds["divorced"] + kinds["separated"] > 0 and kinds["married"] > 0
    assert GenogramPerson.objects.filter(death_year__isnull=False).exists()
    assert Parentage.objects.filter(kind="foster").exists() == Household.objects.filter(name="Sijaisperhe").exists()
    assert Relationship.objects.exists() and Household.objects.exists()
    assert GenogramPerson.objects.filter(twin_of__isnull=False).exists() or GenogramPerson.objects.count() < 300
    step_families = Partnership.objects.values("family").annotate(n=Count("id")).filter(n__gte=3)
    assert step_families.exists()


def test_every_demo_genogram_draws_within_the_rules(team_demo):
    from apps.clients.models import Family

    depth = Counter()
    for family in Family.objects.all()[:40]:
        tree = selectors.genogram_tree(family)
        check_drawing(tree, render_svg(tree, title="demo"))
        depth[max(tree.generations().values()) + 1] += 1
    assert depth[3] + depth[4] > 0 and min(depth) >= 2
