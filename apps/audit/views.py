"""The auditor's log views: find a client, list who has seen their data, export it as a disclosure,
download the log's signed checkpoints."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.access import gate
from apps.access.permissions import Perm
from apps.audit.services import Subject, disclosure_log_append
from apps.core.marks import aggregate, personal_data
from apps.core.spreadsheet import csv_response

from . import selectors, signing
from .forms import DisclosureForm
from .models import Action


@personal_data
@login_required
def search(request):
    gate.require_org_perm(request.user, Perm.AUDIT_LOG_VIEW)
    query = request.GET.get("q", "")
    people = list(selectors.person_search(request.user.county_id, query))
    gate.log_audit_search(request.user, people, view_name="audit-search")
    context = {
        "query": query,
        "people": people,
        "latest_checkpoint": selectors.checkpoints(request.user.county_id).last(),
        "public_key": bool(_configured_public_keys()),
    }
    return render(request, "audit/search.html", context)


def _configured_public_keys() -> dict:
    try:
        return signing.public_keys()
    except signing.KeyConfigurationError:
        return {}


# The checkpoints hold no personal data: entry numbers, hashes, times and signatures.
@aggregate
@login_required
@require_safe
def checkpoints_download(request):
    """The auditor keeps these (with the public key) outside the system: with them anyone can later
    show that the log was not rewritten (`manage.py verify_access_log --checkpoints`)."""
    gate.require_org_perm(request.user, Perm.AUDIT_LOG_VIEW)
    lines = selectors.checkpoints(request.user.county_id).values_list("line", flat=True)
    response = HttpResponse("".join(f"{line}\n" for line in lines), content_type="application/x-ndjson; charset=utf-8")
    filename = f"{request.user.county.code}-lokin-tarkistuspisteet-{timezone.localdate():%Y%m%d}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@aggregate
@login_required
@require_safe
def checkpoint_public_key(request):
    gate.require_org_perm(request.user, Perm.AUDIT_LOG_VIEW)
    keys = _configured_public_keys()
    if not keys:
        raise Http404
    response = HttpResponse("".join(signing.public_pem(k) for k in keys.values()), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="systeemi-lokin-julkinen-avain.pem"'
    return response


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
