"""Links reversed once for a list's rows are the links reverse() gives for each row."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.links import id_links


@pytest.mark.parametrize(
    ("name", "ids"),
    [("family-detail", (1,)), ("family-detail", (9_876_543_210,)), ("notification-detail", (12, 3)), ("assessment-complete", (7, 70))],
)
def test_id_links_equal_reverse(name, ids):
    assert id_links(name, len(ids))(*ids) == reverse(name, args=ids)


def test_id_links_follow_the_script_prefix_and_refuse_what_is_not_an_id():
    from django.urls import set_script_prefix

    set_script_prefix("/systeemi/")
    try:
        link = id_links("family-detail")
        assert link(5) == "/systeemi/families/5/" == reverse("family-detail", args=[5])
    finally:
        set_script_prefix("/")
    with pytest.raises(ValueError):
        id_links("family-detail")("5/../../admin")
    with translation.override("sv"):
        assert id_links("family-detail")(5) == "/families/5/"


def test_a_pattern_without_ids_is_refused():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        id_links("healthz", 1)
