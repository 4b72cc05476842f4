"""Family, person and client-relationship pages. Thin: the gate opens, services write, selectors read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.access import gate
from apps.access.permissions import Perm
from apps.core.flow import saved
from apps.core.marks import creates_personal_data, personal_data

from . import selectors, services
from .access import open_family, open_member, record_of, responsible_for_contact
from .forms import (
    AssignWorkerForm,
    FamilyForm,
    PersonForm,
    PhaseForm,
    RelationshipOpenForm,
)
from .models import ClientRelationship


@creates_personal_data
@login_required
def family_create(request, team_id):
    access = gate.open_team(request.user, team_id, need=Perm.FAMILY_EDIT)
    team = access.team
    form = FamilyForm(request.POST or None, caseworkers=selectors.caseworkers(team))
    call = lambda: services.family_create(access=access, **form.cleaned_data)  # noqa: E731
    if family := saved(request, form, call, lambda f: _("Perhe %(name)s lisätty.") % {"name": f.name}):
        return redirect("family-detail", family_id=family.pk)
    return render(request, "clients/family_form.html", {"form": form, "team": team})


@personal_data
@login_required
def family_edit(request, family_id):
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    family = access.family
    form = FamilyForm(request.POST or None, instance=family, caseworkers=selectors.caseworkers(family.team))
    call = lambda: services.family_update(access=access, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Muutokset tallennettu.")):
        return redirect("family-detail", family_id=family.pk)
    return render(request, "clients/family_form.html", {"form": form, "family": family, "team": family.team})


@personal_data
@login_required
def person_create(request, family_id):
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    form = PersonForm(request.POST or None)

    def call():
        return services.person_add_to_family(access=access, **form.member_fields(), **form.person_fields())

    if saved(request, form, call, lambda p: _("%(name)s lisätty perheeseen.") % {"name": p.full_name}):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/person_form.html", {"form": form, "family": access.family})


@personal_data
@login_required
def person_edit(request, family_id, person_id):
    access = open_member(request.user, family_id, person_id, need=Perm.FAMILY_EDIT)
    member = access.resource
    person = member.person
    show_contact = responsible_for_contact(request.user, person, access.family)
    form = PersonForm(request.POST or None, instance=person, member=member, show_contact=show_contact)

    def call():
        return services.person_update(
            access=access,
            person=person,
            member=member,
            member_fields=form.member_fields(),
            **form.person_fields(),
        )

    if saved(request, form, call, _("Muutokset tallennettu.")):
        return redirect("family-detail", family_id=family_id)
    context = {"form": form, "family": access.family, "person": person, "contact_hidden": not show_contact}
    return render(request, "clients/person_form.html", context)


@personal_data
@login_required
def relationship_open(request, family_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    family = access.family
    form = RelationshipOpenForm(request.POST or None, family=family, caseworkers=selectors.caseworkers(family.team))
    call = lambda: services.relationship_open(access=access, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Asiakkuus avattu.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/relationship_form.html", {"form": form, "family": family})


def _relationship(access, relationship_id):
    return record_of(access, ClientRelationship.objects.select_related("child"), relationship_id)


@personal_data
@login_required
def phase_create(request, family_id, relationship_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    rel = _relationship(access, relationship_id)
    form = PhaseForm(request.POST or None, relationship=rel)
    call = lambda: services.phase_record(access=access, relationship=rel, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Vaihe kirjattu.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/phase_form.html", {"form": form, "family": access.family, "relationship": rel})


@personal_data
@login_required
def relationship_assign(request, family_id, relationship_id):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    rel = _relationship(access, relationship_id)
    workers = selectors.caseworkers(access.family.team)
    form = AssignWorkerForm(request.POST or None, caseworkers=workers, initial={"responsible_worker": rel.responsible_worker_id})
    call = lambda: services.relationship_assign_worker(access=access, relationship=rel, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Vastuutyöntekijä vaihdettu.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/assign_form.html", {"form": form, "family": access.family, "relationship": rel})
