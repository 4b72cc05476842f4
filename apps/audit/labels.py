"""What a log entry's codes mean, in the reader's language.

The log stores stable codes (the view's URL name, the role and purpose codes) so that entries stay
comparable across releases and languages; the auditor's page and the CSV handed to a family show
these labels instead ("Perheen sivu", not "family-detail"). A code without a label here is shown
as stored. apps/audit/tests/test_person_log.py (test_every_view_the_code_logs_has_a_label) fails
when code writes a view name missing from VIEWS.
"""

from django.utils.translation import gettext_lazy as _

from apps.accounts.models import OrgRole
from apps.organisations.models import TeamRole

VIEWS = {
    "access-log": _("Lokitarkastus: käyttöloki"),
    "agenda-add": _("Tiimikokouksen esityslistalle lisäys"),
    "api-family-get": _("Rajapinta: perheen tiedot"),
    "api-family-list": _("Rajapinta: tiimin perheet"),
    "api-family-ratings": _("Rajapinta: perheen arviot"),
    "api-family-update": _("Rajapinta: perheen tietojen muutos"),
    "api-hypothesis-add": _("Rajapinta: hypoteesin lisäys"),
    "api-meeting-get": _("Rajapinta: tiimikokous"),
    "api-meeting-record": _("Rajapinta: tiimikokouksen kirjaus"),
    "api-person-create": _("Rajapinta: henkilön lisäys"),
    "api-person-get": _("Rajapinta: henkilön tiedot"),
    "api-person-update": _("Rajapinta: henkilön tietojen muutos"),
    "api-phase-record": _("Rajapinta: asiakkuuden vaiheen kirjaus"),
    "api-rating-link": _("Rajapinta: arviointilinkin luonti"),
    "api-rating-paper": _("Rajapinta: paperisen arvion kirjaus"),
    "api-relationship-get": _("Rajapinta: asiakkuus"),
    "api-relationship-open": _("Rajapinta: asiakkuuden avaus"),
    "api-step-add": _("Rajapinta: pienen askeleen lisäys"),
    "api-step-status": _("Rajapinta: askeleen tilan muutos"),
    "api-team-get": _("Rajapinta: tiimi"),
    "assessment-complete": _("Palvelutarpeen arvioinnin valmistuminen"),
    "audit-person-log": _("Lokitarkastus: henkilön käyttöloki"),
    "audit-person-log-export": _("Lokitarkastus: käyttölokin luovutus"),
    "audit-search": _("Lokitarkastus: henkilöhaku"),
    "client-plan-create": _("Asiakassuunnitelman kirjauslomake"),
    "client-plan-record": _("Asiakassuunnitelman kirjaus"),
    "family-create": _("Perheen lisäys"),
    "family-detail": _("Perheen sivu"),
    "family-discussions": _("Perheen käsittelyt tiimikokouksissa"),
    "family-edit": _("Perheen tietojen muutos"),
    "family-ratings": _("Perheen arviot"),
    "family-transfer": _("Perheen siirto toiseen tiimiin"),
    "hypothesis-add": _("Hypoteesin lisäys"),
    "hypothesis-status": _("Hypoteesin tilan muutos"),
    "meeting-attendance": _("Tiimikokouksen läsnäolo"),
    "meeting-detail": _("Tiimikokous"),
    "meeting-record": _("Tiimikokouksen kirjaus"),
    "meeting-summary": _("Yhteenveto perheelle"),
    "meeting-summary-pdf": _("Yhteenveto perheelle (PDF)"),
    "my-deadlines": _("Omat määräajat"),
    "my-steps": _("Omat askeleet"),
    "notification-create": _("Lastensuojeluilmoituksen kirjauslomake"),
    "notification-decide": _("Päätös lastensuojeluilmoituksesta"),
    "notification-detail": _("Lastensuojeluilmoitus"),
    "notification-inform": _("Ilmoittajalle kertominen"),
    "notification-register": _("Lastensuojeluilmoituksen kirjaus"),
    "person-create": _("Henkilön lisäys"),
    "person-edit": _("Henkilön tietojen muutos"),
    "personal-meeting-create": _("Henkilökohtaisen tapaamisen kirjauslomake"),
    "personal-meeting-record": _("Henkilökohtaisen tapaamisen kirjaus"),
    "phase-create": _("Asiakkuuden vaiheen kirjauslomake"),
    "phase-record": _("Asiakkuuden vaiheen kirjaus"),
    "plan-step-add": _("Pienen askeleen lisäys"),
    "plan-step-status": _("Askeleen tilan muutos"),
    "rating-link": _("Arviointilinkki"),
    "rating-link-create": _("Arviointilinkin luonti"),
    "rating-paper": _("Paperisen arvion kirjaus"),
    "ratings-export": _("Arvioiden vienti"),
    "relationship-assign": _("Vastuutyöntekijän vaihto"),
    "relationship-open": _("Asiakkuuden avaus"),
    "research-export": _("Tutkimusaineiston vienti (pseudonymisoitu)"),
    "summary-share": _("Yhteenvedon jakaminen perheelle"),
    "team-deadlines": _("Tiimin määräajat"),
    "team-detail": _("Tiimin sivu"),
}

ROLES = {
    **dict(TeamRole.choices),
    **{code: label for code, label in OrgRole.choices if code},
    "grant": _("yhteistyökumppani (perheen suostumus)"),
    "handover": _("edellinen tiimi (siirron siirtymäaika)"),
}

PURPOSES = {
    "client_work": _("asiakastyö"),
    "consented_grant": _("suostumukseen perustuva yhteistyö"),
    "handover": _("tiimisiirron siirtymäaika"),
    "log_audit": _("lokitarkastus"),
    "export": _("luovutus"),
}


def view_label(code: str) -> str:
    return str(VIEWS.get(code, code))


def role_label(code: str) -> str:
    return str(ROLES.get(code, code))


def purpose_label(code: str) -> str:
    """A grant's purpose is the grantor's own words: shown as written."""
    return str(PURPOSES.get(code, code))
