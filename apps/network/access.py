"""Who may open a family's genogram and ecomaps, and what a reading of them logs.

The family rule (apps/clients/access.py) decides who reaches the family; the drawings need
`network.view` on top of it (the team's members and the sending team during a handover). Another
team, another county, a manager: 404. A partner professional never reaches these pages; when the
family's consent in force says so, apps/partnership shows them the family's latest ecomap on a page
of their own (the consent is partnership's, above this app).

What a drawing shows is what is logged: each client drawn in it by their own entry, and the family
once for the relatives who are not clients (they have no client record to name) — not every member of
the family, as opening the family page would.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.access.caller import caller_of
from apps.access.gate import Access, refuse
from apps.access.permissions import Perm
from apps.audit.services import Subject
from apps.clients.access import family_access, record_of
from apps.clients.models import Family

from .models import Ecomap
from .tree import Tree

LOG_VIEWS = {
    "family-genogram": _("Sukupuu"),
    "family-genogram-svg": _("Sukupuu kuvana (SVG)"),
    "genogram-edit": _("Sukupuun muokkaus"),
    "genogram-draft": _("Sukupuun luonnos perheen tiedoista"),
    "genogram-person-add": _("Sukupuu: henkilön lisäys"),
    "genogram-person-update": _("Sukupuu: henkilön tietojen muutos"),
    "genogram-partnership-add": _("Sukupuu: parisuhteen lisäys"),
    "genogram-child-add": _("Sukupuu: lapsen liittäminen vanhempiin"),
    "genogram-household-add": _("Sukupuu: kotitalouden lisäys"),
    "genogram-relationship-add": _("Sukupuu: suhteen laadun kirjaus"),
    "genogram-remove": _("Sukupuu: merkinnän poisto"),
    "family-ecomaps": _("Verkostokartat"),
    "ecomap-create": _("Verkostokartan luonti"),
    "ecomap-detail": _("Verkostokartta"),
    "ecomap-svg": _("Verkostokartta kuvana (SVG)"),
    "ecomap-tie-add": _("Verkostokartta: yhteyden lisäys"),
    "ecomap-tie-remove": _("Verkostokartta: yhteyden poisto"),
    "ecomap-compare": _("Verkostokarttojen vertailu"),
}


def open_network(user, family_id, *, need: Perm = Perm.NETWORK_VIEW) -> Access:
    """Open a family's drawings. Logs nothing yet: the page logs what it draws (`show_tree`)."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    family = Family.objects.filter(county_id=caller.county_id, pk=family_id).select_related("team").first()
    if family is None:
        raise Http404
    access = family_access(caller, family)
    refuse(access, need, visible=Perm.FAMILY_VIEW)
    return access


def open_ecomap(user, family_id, ecomap_id, *, need: Perm = Perm.NETWORK_VIEW) -> Access:
    """One ecomap of the family (`resource`), or 404 for an id of another family's map."""
    access = open_network(user, family_id, need=need)
    ecomap = record_of(access, Ecomap.objects.select_related("viewpoint_person", "centre", "created_by"), ecomap_id)
    return access.on(ecomap)


def tree_subjects(family_id: int, tree: Tree) -> list[Subject]:
    clients, others = tree.subjects()
    subjects = [Subject(family_id, pid) for pid in clients]
    if others or not subjects:
        subjects.append(Subject(family_id))
    return subjects


def show_tree(access: Access, tree: Tree) -> None:
    """The drawing shows these people: each client by name, the relatives who are not clients under the family."""
    access.shown(tree_subjects(access.family.pk, tree))


def ecomap_subjects(family_id: int, ecomaps) -> list[Subject]:
    """A map shows its centre and whose view it is (clients), its ties to relatives who are clients,
    and people who are not clients (friends, professionals): the family's entry stands for those."""
    clients = set()
    for ecomap in ecomaps:
        clients |= {pid for pid in (ecomap.centre_id, ecomap.viewpoint_person_id) if pid}
        clients |= {t.relative.person_id for t in ecomap.ties.all() if t.relative_id and t.relative.person_id}
    return [Subject(family_id, pid) for pid in sorted(clients)] + [Subject(family_id)]


def show_ecomaps(access: Access, ecomaps) -> None:
    access.shown(ecomap_subjects(access.family.pk, ecomaps))
