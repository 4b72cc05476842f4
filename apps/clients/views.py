"""Family, person and client-relationship pages. Thin: the gate opens, services write, selectors read."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.access import gate
from apps.access.permissions import Perm
from apps.casework import deadlines
from apps.casework.models import InterfaceAssessment
from apps.core.flow import saved
from apps.core.marks import creates_personal_data, personal_data
from apps.meetings import selectors as meeting_selectors
from apps.meetings.selectors import RECENT_DISCUSSIONS as RECENT
from apps.ratings.selectors import family_flags

from . import selectors, services
from .forms import (
    AssignWorkerForm,
    FamilyForm,
    PersonForm,
    PhaseForm,
    RelationshipOpenForm,
)
from .models import ClientRelationship


@personal_data
@login_required
def family_detail(request, family_id):
    access = gate.get_family(request.user, family_id, view_name="family-detail")
    detail = selectors.family_detail(access, viewer=request.user)
    casework = access.can(Perm.CASEWORK_VIEW)
    notifications = deadlines.family_notifications(access.family.pk) if casework else []
    family_deadlines = deadlines.deadlines([access.family.pk], notifications=notifications) if casework else []
    return render(
        request,
        "clients/family_detail.html",
        {
            "deadlines": family_deadlines,
            "casework": casework,
            "handover": access.role == "handover",
            "discussions": meeting_selectors.family_timeline(access.family, latest=RECENT + 1) if casework else [],
            "recent": RECENT,
            "rating_flags": family_flags([access.family.pk], known_persons={m.person_id: m.person for m in access.members}).get(
                access.family.pk, []
            )
            if casework
            else [],
            "transfers": InterfaceAssessment.objects.filter(family=access.family).select_related("from_team", "to_team", "decided_by")
            if casework
            else [],
            "notifications": notifications,
            "detail": detail,
            "family": detail.family,
            "can_edit": access.can(Perm.FAMILY_EDIT),
            "can_edit_phase": access.can(Perm.PHASE_EDIT),
        },
    )


@creates_personal_data
@login_required
def family_create(request, team_id):
    team, perms, _role = gate.get_team(request.user, team_id)
    if Perm.FAMILY_EDIT not in perms:
        raise PermissionDenied
    form = FamilyForm(request.POST or None, caseworkers=selectors.caseworkers(team))
    call = lambda: services.family_create(actor=request.user, team=team, **form.cleaned_data)  # noqa: E731
    if family := saved(request, form, call, lambda f: _("Perhe %(name)s lisätty.") % {"name": f.name}):
        return redirect("family-detail", family_id=family.pk)
    return render(request, "clients/family_form.html", {"form": form, "team": team})


@personal_data
@login_required
def family_edit(request, family_id):
    access = gate.get_family(request.user, family_id, view_name="family-edit", need=Perm.FAMILY_EDIT)
    family = access.family
    form = FamilyForm(request.POST or None, instance=family, caseworkers=selectors.caseworkers(family.team))
    call = lambda: services.family_update(actor=request.user, access=access, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Muutokset tallennettu.")):
        return redirect("family-detail", family_id=family.pk)
    return render(request, "clients/family_form.html", {"form": form, "family": family, "team": family.team})


@personal_data
@login_required
def person_create(request, family_id):
    access = gate.get_family(request.user, family_id, view_name="person-create", need=Perm.FAMILY_EDIT)
    form = PersonForm(request.POST or None)

    def call():
        return services.person_add_to_family(actor=request.user, access=access, **form.member_fields(), **form.person_fields())

    if saved(request, form, call, lambda p: _("%(name)s lisätty perheeseen.") % {"name": p.full_name}):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/person_form.html", {"form": form, "family": access.family})


@personal_data
@login_required
def person_edit(request, family_id, person_id):
    member, access = gate.get_member(request.user, family_id, person_id, view_name="person-edit", need=Perm.FAMILY_EDIT)
    person = member.person
    show_contact = gate.responsible_for_contact(request.user, person, access.family)
    form = PersonForm(request.POST or None, instance=person, member=member, show_contact=show_contact)

    def call():
        return services.person_update(
            actor=request.user,
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
    access = gate.get_family(request.user, family_id, view_name="relationship-open", need=Perm.PHASE_EDIT)
    family = access.family
    form = RelationshipOpenForm(request.POST or None, family=family, caseworkers=selectors.caseworkers(family.team))
    call = lambda: services.relationship_open(actor=request.user, access=access, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Asiakkuus avattu.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/relationship_form.html", {"form": form, "family": family})


def _relationship(access, relationship_id):
    rel = ClientRelationship.objects.filter(family=access.family, pk=relationship_id).select_related("child").first()
    if rel is None:
        raise Http404
    return rel


@personal_data
@login_required
def phase_create(request, family_id, relationship_id):
    access = gate.get_family(request.user, family_id, view_name="phase-create", need=Perm.PHASE_EDIT)
    rel = _relationship(access, relationship_id)
    form = PhaseForm(request.POST or None, relationship=rel)
    call = lambda: services.phase_record(actor=request.user, access=access, relationship=rel, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Vaihe kirjattu.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/phase_form.html", {"form": form, "family": access.family, "relationship": rel})


@personal_data
@login_required
def relationship_assign(request, family_id, relationship_id):
    access = gate.get_family(request.user, family_id, view_name="relationship-assign", need=Perm.PHASE_EDIT)
    rel = _relationship(access, relationship_id)
    workers = selectors.caseworkers(access.family.team)
    form = AssignWorkerForm(request.POST or None, caseworkers=workers, initial={"responsible_worker": rel.responsible_worker_id})
    call = lambda: services.relationship_assign_worker(actor=request.user, access=access, relationship=rel, **form.cleaned_data)  # noqa: E731
    if saved(request, form, call, _("Vastuutyöntekijä vaihdettu.")):
        return redirect("family-detail", family_id=family_id)
    return render(request, "clients/assign_form.html", {"form": form, "family": access.family, "relationship": rel})
