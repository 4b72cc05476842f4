from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.access.gate import visible_teams
from apps.access.permissions import Perm, org_permissions

from .marks import own_account, public


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
    """Send each user to where their work is: their team, or their aggregate or log view."""
    if not request.user.is_authenticated:
        return redirect("login")
    team = visible_teams(request.user).order_by("name").first()
    if team is not None:
        return redirect("team-detail", team_id=team.pk)
    perms = org_permissions(request.user)
    if Perm.CASELOAD_AGGREGATE in perms:
        return redirect("caseload-overview")
    if Perm.AUDIT_LOG_VIEW in perms:
        return redirect("audit-search")
    if Perm.RESEARCH_EXPORT in perms:
        return redirect("research-export")
    return render(request, "core/no_access.html")


def csrf_failure(request, reason=""):
    """A refused form (its security token is stale: the page was open long, or the user signed in
    again in another tab) explained in the site's own layout and language, with the way back;
    Django's default page is bare and English-technical."""
    return render(request, "403_csrf.html", status=403)
