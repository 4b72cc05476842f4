"""Pages that draw from several apps: the family page, the team page, the landing redirect and the
auditor's views. Thin: each domain app's access module opens what is shown, selectors read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from apps.access import gate
from apps.access.permissions import Perm
from apps.audit import selectors as log_selectors
from apps.audit import signing
from apps.audit.ledger import shows_record
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.casework import deadlines
from apps.casework.models import InterfaceAssessment
from apps.clients import selectors as client_selectors
from apps.clients.access import open_family
from apps.core.marks import aggregate, own_account, personal_data, public
from apps.core.spreadsheet import csv_response
from apps.meetings.selectors import RECENT_DISCUSSIONS as RECENT
from apps.meetings.selectors import family_timeline
from apps.network.drawings import genogram_drawn
from apps.ratings.selectors import family_flags

from . import selectors
from .access import open_person_log
from .forms import DisclosureForm
from .rows import family_rows


@public
@never_cache
@require_GET
def healthz(request):
    """200 when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@own_account
def home(request):
    """Send each user to where their work is: their team, or their aggregate or log view; a partner
    professional to the shared plans families have consented to."""
    if not request.user.is_authenticated:
        return redirect("login")
    if gate.caller_of(request.user).is_partner:
        return redirect("partner-home")
    team = gate.visible_teams(request.user).order_by("name").first()
    if team is not None:
        return redirect("team-detail", team_id=team.pk)
    caller = gate.caller_of(request.user)
    if caller.can(Perm.CASELOAD_AGGREGATE):
        return redirect("caseload-overview")
    if caller.can(Perm.AUDIT_LOG_VIEW):
        return redirect("audit-search")
    if caller.can(Perm.RESEARCH_EXPORT):
        return redirect("research-export")
    return render(request, "core/no_access.html")


@personal_data
@login_required
@require_safe
def family_detail(request, family_id):
    access = open_family(request.user, family_id)
    detail = selectors.family_detail(access, viewer=request.user)
    casework = access.can(Perm.CASEWORK_VIEW)
    notifications = deadlines.family_notifications(access.family.pk) if casework else []
    family_deadlines = deadlines.deadlines([access.family.pk], notifications=notifications) if casework else []
    known_persons = {m.person_id: m.person for m in access.members}
    return render(
        request,
        "pages/family_detail.html",
        {
            "deadlines": family_deadlines,
            "casework": casework,
            "handover": access.role == gate.ROLE_HANDOVER,
            "discussions": family_timeline(access.family, latest=RECENT + 1) if casework else [],
            "recent": RECENT,
            "rating_flags": family_flags([access.family.pk], known_persons=known_persons).get(access.family.pk, []) if casework else [],
            "transfers": InterfaceAssessment.objects.filter(family=access.family).select_related("from_team", "to_team", "decided_by")
            if casework
            else [],
            "notifications": notifications,
            "detail": detail,
            "family": detail.family,
            "can_edit": access.can(Perm.FAMILY_EDIT),
            "can_edit_phase": access.can(Perm.PHASE_EDIT),
            "network": access.can(Perm.NETWORK_VIEW),
            "genogram_drawn": genogram_drawn(access),
        },
    )


@personal_data
@login_required
@require_safe
def team_detail(request, team_id):
    access = gate.open_team(request.user, team_id)
    team = access.team
    query = request.GET.get("q", "").strip()
    families = list(client_selectors.family_search(selectors.team_families(team, viewer=request.user), query))
    access.families_listed(f.pk for f in families)
    members = client_selectors.team_members(team)
    loads = client_selectors.children_per_worker({m.user_id for m in members}, team.county_id)
    caseload = [
        {"user": m.user, "role": m.get_role_display(), "children": loads.get(m.user_id, 0)}
        for m in members
        if m.role in client_selectors.CASEWORKER_ROLES
    ]
    return render(
        request,
        "pages/team_detail.html",
        {
            "team": team,
            "members": members,
            "families": families,
            "family_rows": family_rows(families),
            "caseload": caseload,
            "query": query,
            "can_edit": access.can(Perm.FAMILY_EDIT),
            "other_teams": gate.visible_teams(request.user).exclude(pk=team.pk).order_by("name"),
        },
    )


# ---- the auditor's views of the log -------------------------------------------------------------


@personal_data
@login_required
@require_safe
def audit_search(request):
    access = gate.open_organisation(request.user, Perm.AUDIT_LOG_VIEW)
    query = request.GET.get("q", "")
    people = list(selectors.person_search(access.county_id, query))
    # The search shows names and birth dates: one 'list' entry per person shown.
    access.shown([Subject(None, p.pk) for p in people], action=Action.LIST)
    context = {
        "query": query,
        "people": people,
        "latest_checkpoint": log_selectors.checkpoints(access.county_id).last(),
        "public_key": bool(_configured_public_keys()),
    }
    return render(request, "pages/audit_search.html", context)


def _configured_public_keys() -> dict:
    try:
        return signing.public_keys()
    except signing.KeyConfigurationError:
        return {}


# The checkpoints hold no personal data: entry numbers, hashes, times and signatures.
@aggregate
@login_required
@require_safe
def audit_checkpoints(request):
    """The auditor keeps these (with the public key) outside the system: with them anyone can later
    show that the log was not rewritten (`manage.py verify_access_log --checkpoints`)."""
    access = gate.open_organisation(request.user, Perm.AUDIT_LOG_VIEW)
    lines = log_selectors.checkpoints(access.county_id).values_list("line", flat=True)
    response = HttpResponse("".join(f"{line}\n" for line in lines), content_type="application/x-ndjson; charset=utf-8")
    filename = f"{request.user.county.code}-lokin-tarkistuspisteet-{timezone.localdate():%Y%m%d}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@aggregate
@login_required
@require_safe
def audit_checkpoint_key(request):
    gate.open_organisation(request.user, Perm.AUDIT_LOG_VIEW)
    keys = _configured_public_keys()
    if not keys:
        raise Http404
    response = HttpResponse("".join(signing.public_pem(k) for k in keys.values()), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="systeemi-lokin-julkinen-avain.pem"'
    return response


@personal_data
@login_required
@require_safe
def audit_person_log(request, person_id):
    access, person = open_person_log(request.user, person_id)
    include_older = request.GET.get("older") == "1"
    entries = selectors.person_log(person, include_older=include_older)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"person": person, "page": page, "include_older": include_older, "form": DisclosureForm()}
    return render(request, "pages/audit_person_log.html", context)


@personal_data
@login_required
@require_POST
def audit_person_log_export(request, person_id):
    access, person = open_person_log(request.user, person_id, need=Perm.AUDIT_LOG_EXPORT, show=False)
    form = DisclosureForm(request.POST)
    if not form.is_valid():
        # A refused export hands nothing out: the log page is shown again, and logged as shown.
        access.shown([Subject(None, person.pk)])
        page = Paginator(selectors.person_log(person), 50).get_page(1)
        response = render(request, "pages/audit_person_log.html", {"person": person, "page": page, "form": form}, status=400)
        return shows_record(response)
    entries = selectors.person_log(person, include_older=form.cleaned_data["include_older"])
    access.disclosed([Subject(None, person.pk)], recipient=form.cleaned_data["recipient"], legal_basis=form.cleaned_data["legal_basis"])
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
