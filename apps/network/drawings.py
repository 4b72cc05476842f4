"""The drawings for pages here and assembled elsewhere: the genogram (the family page's thumbnail, the
meeting's live record) drawn only for a reader with `network.view`, and logged for what it adds to
what the page already shows (the family's members are logged by the family rule; the drawing adds
relatives who are not clients, logged under the family); an ecomap drawn with its text alternative
(the team's pages, the partner's view by consent, the API's SVG)."""

from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.core.dates import short

from . import ecomap_layout, selectors
from .access import tree_subjects
from .layout import render_svg
from .models import GenogramPerson
from .tree import Tree


def genogram_title(family) -> str:
    return _("Sukupuu: %(family)s") % {"family": family.name}


def drawing(tree: Tree, family, *, with_description=False) -> str:
    return render_svg(tree, title=genogram_title(family), with_description=with_description) if tree.people else ""


def genogram_drawn(access: Access) -> bool:
    """Whether a page assembled elsewhere shows the genogram for `access`'s reader (`network.view`,
    somebody drawn). Such a page shows it as an image of the genogram's own SVG address, so the
    drawing is read and logged by that request ("family-genogram-svg") while the page renders
    without building and drawing the tree; the page itself logs nothing for it."""
    return access.can(Perm.NETWORK_VIEW) and GenogramPerson.objects.filter(family=access.family).exists()


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


def _centre_label(ecomap) -> str:
    return ecomap.centre.full_name if ecomap.centre_id else ecomap.family.name


def ecomap_drawing(ecomap, ties, *, svg_id="ecomap") -> dict:
    views = ecomap_layout.tie_views(ties)
    title = _("Verkostokartta %(date)s: %(viewpoint)s") % {"date": short(ecomap.drawn_on), "viewpoint": _viewpoint(ecomap)}
    return {
        "ecomap": ecomap,
        "svg": ecomap_layout.render_svg(views, centre_label=_centre_label(ecomap), title=title, svg_id=svg_id),
        "text": ecomap_layout.text_alternative(views),
        "title": title,
    }


def _viewpoint(ecomap) -> str:
    label = ecomap.get_viewpoint_display()
    return f"{label} ({ecomap.viewpoint_person.full_name})" if ecomap.viewpoint_person_id else label
