"""The API opens everything through the same access rules as the pages (each domain app's
access module); this names, for the log's readers, the operations that show or change personal
data (`api-` + the operation's function name, apps/api/api.py)."""

from django.utils.translation import gettext_lazy as _

LOG_VIEWS = {
    "api-team-get": _("Rajapinta: tiimi"),
    "api-family-list": _("Rajapinta: perheet"),
    "api-family-get": _("Rajapinta: perheen tiedot"),
    "api-family-create": _("Rajapinta: perheen lisäys"),
    "api-family-update": _("Rajapinta: perheen tietojen muutos"),
    "api-person-get": _("Rajapinta: henkilön tiedot"),
    "api-person-update": _("Rajapinta: henkilön tietojen muutos"),
    "api-person-create": _("Rajapinta: henkilön lisäys"),
    "api-relationship-get": _("Rajapinta: asiakkuus"),
    "api-relationship-create": _("Rajapinta: asiakkuuden avaus"),
    "api-phase-create": _("Rajapinta: asiakkuuden vaiheen kirjaus"),
    "api-meeting-get": _("Rajapinta: tiimikokous"),
    "api-item-create": _("Rajapinta: esityslistalle lisäys"),
    "api-item-get": _("Rajapinta: tiimikokouksen kirjaus"),
    "api-record-patch": _("Rajapinta: tiimikokouksen kirjauksen tallennus"),
    "api-hypothesis-create": _("Rajapinta: hypoteesin lisäys"),
    "api-step-create": _("Rajapinta: pienen askeleen lisäys"),
    "api-step-patch": _("Rajapinta: askeleen tilan muutos"),
    "api-family-ratings": _("Rajapinta: perheen arviot"),
    "api-paper-rating-create": _("Rajapinta: paperisen arvion kirjaus"),
    "api-rating-link-create": _("Rajapinta: arviointilinkin luonti"),
    # casework (apps/api/casework.py)
    "api-notification-list": _("Rajapinta: perheen lastensuojeluilmoitukset"),
    "api-notification-create": _("Rajapinta: lastensuojeluilmoituksen kirjaus"),
    "api-notification-get": _("Rajapinta: lastensuojeluilmoitus"),
    "api-notification-decide": _("Rajapinta: päätös lastensuojeluilmoituksesta"),
    "api-notification-inform": _("Rajapinta: ilmoittajalle kertominen"),
    "api-assessment-list": _("Rajapinta: perheen palvelutarpeen arvioinnit"),
    "api-assessment-complete": _("Rajapinta: palvelutarpeen arvioinnin valmistuminen"),
    "api-client-plan-list": _("Rajapinta: asiakassuunnitelmat"),
    "api-client-plan-create": _("Rajapinta: asiakassuunnitelman kirjaus"),
    "api-personal-meeting-list": _("Rajapinta: henkilökohtaiset tapaamiset"),
    "api-personal-meeting-create": _("Rajapinta: henkilökohtaisen tapaamisen kirjaus"),
    "api-my-deadlines": _("Rajapinta: omat määräajat"),
    "api-team-deadlines": _("Rajapinta: tiimin määräajat"),
    "api-transfer-list": _("Rajapinta: perheen siirrot tiimien välillä"),
    "api-family-transfer": _("Rajapinta: perheen siirto toiseen tiimiin"),
}
