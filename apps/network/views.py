"""The genogram and ecomap pages. Thin: the gate opens, services write, selectors read, the layout draws.

The editors are ordinary forms that work without JavaScript (each posts to its own endpoint and
comes back to the editor); with htmx the endpoint answers with the editor's part only, redrawn at
once (template partials, `request.htmx`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from apps.access.permissions import Perm
from apps.audit.ledger import shows_record
from apps.clients.access import record_of
from apps.clients.models import Person
from apps.core.marks import changes_personal_data, personal_data

from . import selectors, services
from .access import open_ecomap, open_network, show_ecomaps, show_tree
from .drawings import drawing, ecomap_drawing, genogram_title
from .forms import ChildForm, EcomapForm, GenogramPersonForm, HouseholdForm, PartnershipForm, RelationshipForm, RemoveForm, TieForm
from .layout import render_svg
from .models import EcomapTie, GenogramPerson, Sex
from .tree import Tree, text_alternative


def _clients(family):
    return Person.objects.filter(memberships__family=family).order_by("birth_date", "id")


def _forms(family, data=None, which=None):
    people = selectors.genogram_people(family)
    in_tree = GenogramPerson.objects.filter(family=family, person__isnull=False).values("person_id")

    def bound(name):
        return data if which == name else None

    return {
        "person_form": GenogramPersonForm(
            bound("person"), people=people, clients=_clients(family).exclude(id__in=in_tree), prefix="person"
        ),
        "partnership_form": PartnershipForm(bound("partnership"), people=people, prefix="partnership"),
        "child_form": ChildForm(bound("child"), people=people, prefix="child"),
        "household_form": HouseholdForm(bound("household"), people=people, prefix="household"),
        "relationship_form": RelationshipForm(bound("relationship"), people=people, prefix="relationship"),
    }


def _removable(tree: Tree) -> list[tuple[str, int, str]]:
    names = {p.id: p.name for p in tree.people}
    rows = [("partnership", p.id, f"{names[p.first]} – {names[p.second]}") for p in tree.partnerships]
    rows += [("parentage", link.id, f"{names[link.parent]} → {names[link.child]}") for link in tree.parentages]
    rows += [("household", h.id, h.name) for h in tree.households]
    rows += [("relationship", r.id, f"{names[r.first]} ~ {names[r.second]}") for r in tree.relationships]
    return rows


def _genogram_context(access, tree, *, version=None):
    family = access.family
    return {
        "removable": _removable(tree),
        "sexes": Sex.choices,
        "family": family,
        "tree": tree,
        "svg": drawing(tree, family),
        "text": [(s.heading, s.lines) for s in text_alternative(tree)],
        "version": version,
        "can_edit": access.can(Perm.NETWORK_EDIT) and version is None,
    }


@personal_data
@login_required
@require_safe
def genogram_detail(request, family_id):
    access = open_network(request.user, family_id)
    number = request.GET.get("version")
    version = selectors.genogram_version(access.family, number) if number else None
    if number and version is None:
        raise Http404
    tree = Tree.from_json(version.data, access.family.pk) if version else selectors.genogram_tree(access.family)
    show_tree(access, tree)
    context = _genogram_context(access, tree, version=version)
    context["versions"] = selectors.genogram_versions(access.family)
    return render(request, "network/genogram.html", context)


@personal_data
@login_required
@require_safe
def genogram_svg(request, family_id):
    """The drawing as a file (for print, or the record): a read like the page, logged the same way."""
    access = open_network(request.user, family_id)
    number = request.GET.get("version")
    version = selectors.genogram_version(access.family, number) if number else None
    if number and version is None:
        raise Http404
    tree = Tree.from_json(version.data, access.family.pk) if version else selectors.genogram_tree(access.family)
    show_tree(access, tree)
    svg = render_svg(tree, title=genogram_title(access.family), with_description=True)
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sukupuu-{access.family.pk}-{timezone.localdate():%Y%m%d}.svg"'
    return response


def _editor(request, access, *, data=None, which=None, status=200):
    tree = selectors.genogram_tree(access.family)
    show_tree(access, tree)
    context = {**_genogram_context(access, tree), **_forms(access.family, data, which), "clients_missing": _missing_clients(access.family)}
    if request.htmx:
        return shows_record(render(request, "network/genogram_edit.html#editor", context, status=status))
    return shows_record(render(request, "network/genogram_edit.html", context, status=status))


def _missing_clients(family) -> int:
    return _clients(family).exclude(id__in=GenogramPerson.objects.filter(family=family, person__isnull=False).values("person_id")).count()


@personal_data
@login_required
@require_safe
def genogram_edit(request, family_id):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    return _editor(request, access)


def _act(request, family_id, which, form_class, call, message):
    """One editor action: validate the form, run the service, and answer with the editor redrawn
    (htmx) or a redirect back to it; a refusal comes back on the form with what was typed."""
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    people = selectors.genogram_people(access.family)
    form = (
        form_class(request.POST, people=people, prefix=which)
        if form_class is not GenogramPersonForm
        else form_class(request.POST, people=people, clients=_clients(access.family), prefix=which)
    )
    if form.is_valid():
        try:
            call(access, form)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, message)
            if request.htmx:
                return _editor(request, access)
            return redirect("genogram-edit", family_id=access.family.pk)
    return _editor_with(request, access, which, form)


def _errors_onto(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _editor_with(request, access, which, form):
    tree = selectors.genogram_tree(access.family)
    show_tree(access, tree)
    forms_ = _forms(access.family)
    forms_[f"{which}_form"] = form
    context = {**_genogram_context(access, tree), **forms_, "clients_missing": _missing_clients(access.family), "error_in": which}
    template = "network/genogram_edit.html#editor" if request.htmx else "network/genogram_edit.html"
    return shows_record(render(request, template, context))


@changes_personal_data
@login_required
@require_POST
def genogram_draft(request, family_id):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    added = services.genogram_draft(access=access)
    messages.success(
        request,
        ngettext("Sukupuuhun lisättiin %(n)s perheenjäsen.", "Sukupuuhun lisättiin %(n)s perheenjäsentä.", len(added)) % {"n": len(added)},
    )
    if request.htmx:
        return _editor(request, access)
    return redirect("genogram-edit", family_id=access.family.pk)


def _person_add(access, form):
    return services.person_add(access=access, **form.cleaned_data)


@changes_personal_data
@login_required
@require_POST
def person_add(request, family_id):
    return _act(request, family_id, "person", GenogramPersonForm, _person_add, _("Henkilö lisätty sukupuuhun."))


@changes_personal_data
@login_required
@require_POST
def person_update(request, family_id, genogram_person_id):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    g = record_of(access, GenogramPerson.objects.select_related("person"), genogram_person_id)
    form = GenogramPersonForm(request.POST, instance=g, people=selectors.genogram_people(access.family), prefix="edit")
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
        try:
            services.person_update(access=access, genogram_person=g, **fields)
        except ValidationError as exc:
            _errors_onto(form, exc)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tiedot tallennettu."))
    else:
        messages.error(request, _("Tarkista henkilön tiedot."))
    if request.htmx:
        return _editor(request, access)
    return redirect("genogram-edit", family_id=access.family.pk)


@changes_personal_data
@login_required
@require_POST
def partnership_add(request, family_id):
    return _act(
        request,
        family_id,
        "partnership",
        PartnershipForm,
        lambda a, f: services.partnership_add(access=a, **f.cleaned_data),
        _("Parisuhde lisätty."),
    )


@changes_personal_data
@login_required
@require_POST
def child_add(request, family_id):
    return _act(
        request,
        family_id,
        "child",
        ChildForm,
        lambda a, f: services.child_add(access=a, **f.service_args()),
        _("Lapsi liitetty vanhempiin."),
    )


@changes_personal_data
@login_required
@require_POST
def household_add(request, family_id):
    return _act(
        request,
        family_id,
        "household",
        HouseholdForm,
        lambda a, f: services.household_add(access=a, **f.cleaned_data),
        _("Kotitalous lisätty."),
    )


@changes_personal_data
@login_required
@require_POST
def relationship_add(request, family_id):
    return _act(
        request,
        family_id,
        "relationship",
        RelationshipForm,
        lambda a, f: services.relationship_add(access=a, **f.cleaned_data),
        _("Suhteen laatu kirjattu."),
    )


@changes_personal_data
@login_required
@require_POST
def genogram_remove(request, family_id):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    model = services.REMOVABLE[form.cleaned_data["what"]]
    record = record_of(access, model.objects.all(), form.cleaned_data["id"])
    services.genogram_remove(access=access, record=record)
    messages.success(request, _("Poistettu. Aiemmat versiot säilyvät."))
    if request.htmx:
        return _editor(request, access)
    return redirect("genogram-edit", family_id=access.family.pk)


# ---- ecomaps ---------------------------------------------------------------------------------


@personal_data
@login_required
@require_safe
def ecomap_list(request, family_id):
    access = open_network(request.user, family_id)
    family = access.family
    ecomaps = list(selectors.family_ecomaps(family))
    access.shown([*{(family.pk, pid) for e in ecomaps for pid in (e.centre_id, e.viewpoint_person_id) if pid}, (family.pk, None)])
    form = EcomapForm(clients=_clients(family), ecomaps=selectors.family_ecomaps(family))
    context = {"family": family, "ecomaps": ecomaps, "form": form, "can_edit": access.can(Perm.NETWORK_EDIT)}
    return render(request, "network/ecomaps.html", context)


@changes_personal_data
@login_required
@require_POST
def ecomap_create(request, family_id):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    family = access.family
    form = EcomapForm(request.POST, clients=_clients(family), ecomaps=selectors.family_ecomaps(family))
    if form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in ("drawn_on", "viewpoint", "viewpoint_person", "centre", "note", "copy_from")}
        try:
            ecomap = services.ecomap_create(access=access, **data)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Verkostokartta luotu. Lisää kartalle yhteydet."))
            return redirect("ecomap-detail", family_id=family.pk, ecomap_id=ecomap.pk)
    ecomaps = list(selectors.family_ecomaps(family))
    access.shown([(family.pk, None)])
    context = {"family": family, "ecomaps": ecomaps, "form": form, "can_edit": True}
    return shows_record(render(request, "network/ecomaps.html", context))


def _ecomap_page(request, access, tie_form=None):
    ecomap = access.resource
    ties = selectors.ecomap_ties(ecomap)
    ecomap._prefetched_objects_cache = {"ties": ties}
    show_ecomaps(access, [ecomap])
    context = {
        **ecomap_drawing(ecomap, ties),
        "family": access.family,
        "ties": ties,
        "can_edit": access.can(Perm.NETWORK_EDIT),
        "tie_form": tie_form or TieForm(people=selectors.genogram_people(access.family), prefix="tie"),
        "others": selectors.family_ecomaps(access.family).exclude(pk=ecomap.pk)[:10],
    }
    template = "network/ecomap.html#editor" if request.htmx else "network/ecomap.html"
    return shows_record(render(request, template, context))


@personal_data
@login_required
@require_safe
def ecomap_detail(request, family_id, ecomap_id):
    return _ecomap_page(request, open_ecomap(request.user, family_id, ecomap_id))


@personal_data
@login_required
@require_safe
def ecomap_svg(request, family_id, ecomap_id):
    access = open_ecomap(request.user, family_id, ecomap_id)
    ecomap = access.resource
    ties = selectors.ecomap_ties(ecomap)
    ecomap._prefetched_objects_cache = {"ties": ties}
    show_ecomaps(access, [ecomap])
    svg = ecomap_drawing(ecomap, ties)["svg"]
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verkostokartta-{ecomap.drawn_on:%Y%m%d}.svg"'
    return response


@changes_personal_data
@login_required
@require_POST
def tie_add(request, family_id, ecomap_id):
    access = open_ecomap(request.user, family_id, ecomap_id, need=Perm.NETWORK_EDIT)
    form = TieForm(request.POST, people=selectors.genogram_people(access.family), prefix="tie")
    if form.is_valid():
        try:
            services.tie_add(
                access=access, ecomap=access.resource, **{k: v for k, v in form.cleaned_data.items() if v is not None or k == "relative"}
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Yhteys lisätty."))
            if not request.htmx:
                return redirect("ecomap-detail", family_id=access.family.pk, ecomap_id=access.resource.pk)
            return _ecomap_page(request, access)
    return _ecomap_page(request, access, tie_form=form)


@changes_personal_data
@login_required
@require_POST
def tie_remove(request, family_id, ecomap_id):
    access = open_ecomap(request.user, family_id, ecomap_id, need=Perm.NETWORK_EDIT)
    tie_id = request.POST.get("tie", "")
    tie = EcomapTie.objects.filter(ecomap=access.resource, pk=tie_id).select_related("relative").first() if tie_id.isdigit() else None
    if tie is None:
        raise Http404
    services.tie_remove(access=access, tie=tie)
    messages.success(request, _("Yhteys poistettu."))
    if request.htmx:
        return _ecomap_page(request, access)
    return redirect("ecomap-detail", family_id=access.family.pk, ecomap_id=access.resource.pk)


@personal_data
@login_required
@require_safe
def ecomap_compare(request, family_id):
    """Two maps side by side: the two latest unless the reader chose (`a`, `b`)."""
    access = open_network(request.user, family_id)
    family = access.family
    all_maps = list(selectors.family_ecomaps(family))
    chosen = [request.GET.get("a", ""), request.GET.get("b", "")]
    ids = [int(x) for x in chosen if x.isdigit()] or [e.pk for e in all_maps[:2]]
    maps = selectors.ecomaps_with_ties(family, ids)
    if len(maps) != len(set(ids)):
        raise Http404
    maps.sort(key=lambda e: (e.drawn_on, e.pk))
    show_ecomaps(access, maps) if maps else access.shown([(family.pk, None)])
    drawings = [ecomap_drawing(e, list(e.ties.all()), svg_id=f"ecomap-{n}") for n, e in enumerate(maps)]
    context = {
        "family": family,
        "drawings": drawings,
        "all_maps": all_maps,
        "a": maps[0].pk if maps else None,
        "b": maps[-1].pk if len(maps) > 1 else None,
    }
    return render(request, "network/ecomap_compare.html", context)
