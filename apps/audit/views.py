"""The auditor's log views: find a client, list who has seen their data, export it as a disclosure."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access import gate
from apps.access.permissions import Perm
from apps.audit.services import Subject, disclosure_log_append
from apps.core.marks import personal_data
from apps.core.spreadsheet import csv_response

from . import selectors
from .forms import DisclosureForm
from .models import Action


@personal_data
@login_required
def search(request):
    gate.require_org_perm(request.user, Perm.AUDIT_LOG_VIEW)
    query = request.GET.get("q", "")
    people = list(selectors.person_search(request.user.county_id, query))
    gate.log_audit_search(request.user, people, view_name="audit-search")
    return render(request, "audit/search.html", {"query": query, "people": people})


@personal_data
@login_required
def person_log(request, person_id):
    person = gate.get_person_for_audit(request.user, person_id, view_name="audit-person-log")
    include_older = request.GET.get("older") == "1"
    page = Paginator(selectors.person_log_entries(person, include_older=include_older), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/person_log.html",
        {"person": person, "page": page, "include_older": include_older, "form": DisclosureForm()},
    )


@personal_data
@login_required
@require_POST
def person_log_export(request, person_id):
    gate.require_org_perm(request.user, Perm.AUDIT_LOG_EXPORT)
    form = DisclosureForm(request.POST)
    valid = form.is_valid()
    # A refused export hands nothing out: it is logged as what it showed, the log page again.
    person = gate.get_person_for_audit(
        request.user,
        person_id,
        view_name="audit-person-log-export" if valid else "audit-person-log",
        action=Action.EXPORT if valid else Action.VIEW,
    )
    if not valid:
        page = Paginator(selectors.person_log_entries(person), 50).get_page(1)
        return render(request, "audit/person_log.html", {"person": person, "page": page, "form": form}, status=400)
    entries = selectors.person_log_entries(person, include_older=form.cleaned_data["include_older"])
    disclosure_log_append(
        actor=request.user,
        county_id=person.county_id,
        actor_role=request.user.org_role,
        view_name="audit-person-log-export",
        recipient=form.cleaned_data["recipient"],
        legal_basis=form.cleaned_data["legal_basis"],
        subjects=[Subject(None, person.pk)],
    )
    response, writer = csv_response(f"lokiote-{person.pk}-{timezone.localtime():%Y%m%d-%H%M}.csv")
    writer.writerow(
        [
            _("aika"),
            _("käyttäjä"),
            _("rooli"),
            _("laji"),
            _("toimenpide"),
            _("näkymä"),
            _("käyttötarkoitus"),
            _("vastaanottaja"),
            _("peruste"),
        ]
    )
    for e in entries:
        writer.writerow(
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                str(e.actor),
                e.role_label,
                e.get_kind_display(),
                e.get_action_display(),
                e.view_label,
                e.purpose_label,
                e.recipient,
                e.legal_basis,
            ]
        )
    return response
