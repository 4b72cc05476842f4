"""The genogram for pages assembled elsewhere (the family page's thumbnail, the meeting's live record):
drawn only for a reader with `network.view`, and logged for what it adds to what the page already
shows (the family's members are logged by the family rule; the drawing adds relatives who are not
clients, logged under the family)."""

from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm

from . import selectors
from .access import tree_subjects
from .layout import render_svg
from .tree import Tree


def genogram_title(family) -> str:
    return _("Sukupuu: %(family)s") % {"family": family.name}


def drawing(tree: Tree, family, *, with_description=False) -> str:
    return render_svg(tree, title=genogram_title(family), with_description=with_description) if tree.people else ""


def genogram_for(access: Access) -> str:
    """The family's genogram as inline SVG for `access`'s page, or "" (no permission, or nobody drawn yet)."""
    if not access.can(Perm.NETWORK_VIEW):
        return ""
    tree = selectors.genogram_tree(access.family)
    if not tree.people:
        return ""
    already = {m.person_id for m in access.members}
    access.shown([s for s in tree_subjects(access.family.pk, tree) if s.person_id is None or s.person_id not in already])
    return drawing(tree, access.family)
