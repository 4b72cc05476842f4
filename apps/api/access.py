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
    "api-genogram-get": _("Rajapinta: sukupuu"),
    "api-genogram-versions": _("Rajapinta: sukupuun versiot"),
    "api-genogram-svg": _("Rajapinta: sukupuu kuvana"),
    "api-genogram-person-create": _("Rajapinta: sukupuun henkilön lisäys"),
    "api-genogram-partnership-create": _("Rajapinta: sukupuun parisuhteen lisäys"),
    "api-genogram-child-create": _("Rajapinta: lapsen liittäminen vanhempiin"),
    "api-genogram-household-create": _("Rajapinta: kotitalouden lisäys"),
    "api-genogram-relationship-create": _("Rajapinta: suhteen laadun kirjaus"),
    "api-ecomap-list": _("Rajapinta: verkostokartat"),
    "api-ecomap-create": _("Rajapinta: verkostokartan luonti"),
    "api-ecomap-get": _("Rajapinta: verkostokartta"),
    "api-ecomap-svg": _("Rajapinta: verkostokartta kuvana"),
    "api-ecomap-tie-create": _("Rajapinta: verkostokartan yhteyden lisäys"),
}
