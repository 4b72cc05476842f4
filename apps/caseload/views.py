from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.access.gate import require_org_perm
from apps.access.permissions import Perm
from apps.core.marks import aggregate

from .selectors import caseload_overview


@aggregate
@login_required
def overview(request):
    require_org_perm(request.user, Perm.CASELOAD_AGGREGATE)
    loads, cap = caseload_overview(request.user)
    return render(request, "caseload/overview.html", {"loads": loads, "cap": cap})
