"""What a log entry's codes mean, in the reader's language.

The log stores stable codes (the view's URL name, the role and purpose codes) so that entries stay
comparable across releases and languages; the auditor's page and the CSV handed to a family show
these labels instead ("Perheen sivu", not "family-detail"). A code without a label here is shown
as stored. tests/test_access_walk.py fails when a view that logs has no label, or a label names no view.
"""

from django.utils.translation import gettext_lazy as _

from apps.accounts.models import OrgRole
from apps.organisations.models import TeamRole

# URL name (or API operation name) -> label. Each app registers the views it logs through, from
# its own access module (`LOG_VIEWS`, registered in its AppConfig.ready): a new app names its
# views in its own room.
VIEWS: dict = {}
# Entries written outside any request (a management command, a service called from code).
OUTSIDE_REQUEST_LABELS = {"system": _("Järjestelmän ylläpitotoiminto")}


def register_views(labels: dict) -> None:
    clash = {name for name in labels if name in VIEWS and VIEWS[name] != labels[name]}
    if clash:
        raise ValueError(f"log view names registered twice with different labels: {sorted(clash)}")
    VIEWS.update(labels)


ROLES = {
    **dict(TeamRole.choices),
    **{code: label for code, label in OrgRole.choices if code},
    # Entries written before consents replaced the whole-family grant keep their role and purpose.
    "grant": _("yhteistyökumppani (perheen suostumus)"),
    "handover": _("edellinen tiimi (siirron siirtymäaika)"),
}

PURPOSES = {
    "client_work": _("asiakastyö"),
    "consented_grant": _("suostumukseen perustuva yhteistyö"),
    "consented_cooperation": _("yhteistyö perheen suostumuksella"),
    "handover": _("tiimisiirron siirtymäaika"),
    "aggregate": _("koosteet"),
    "log_audit": _("lokitarkastus"),
    "export": _("luovutus"),
}


def view_label(code: str) -> str:
    return str(VIEWS.get(code, code))


def role_label(code: str) -> str:
    """A caller acting in several team roles at once is logged with them all ("consultant,social_worker")."""
    return ", ".join(str(ROLES.get(part, part)) for part in code.split(",")) if code else ""


def purpose_label(code: str) -> str:
    """A grant's purpose is the grantor's own words: shown as written."""
    return str(PURPOSES.get(code, code))
