"""Casework's records (notifications, assessments, plans, personal meetings, transfers) belong to a
family: they are opened through the family rule (apps/clients/access.py: `open_family`, then
`record_of` for the record within the family), with casework permissions — a partner's grant
never reaches the team's casework (the notifier's identity stays inside the team)."""

from django.utils.translation import gettext_lazy as _

LOG_VIEWS = {
    "my-deadlines": _("Omat määräajat"),
    "team-deadlines": _("Tiimin määräajat"),
    "family-transfer": _("Perheen siirto toiseen tiimiin"),
    "notification-create": _("Lastensuojeluilmoituksen kirjaus"),
    "notification-detail": _("Lastensuojeluilmoitus"),
    "notification-decide": _("Päätös lastensuojeluilmoituksesta"),
    "notification-inform": _("Ilmoittajalle kertominen"),
    "assessment-complete": _("Palvelutarpeen arvioinnin valmistuminen"),
    "client-plan-create": _("Asiakassuunnitelman kirjaus"),
    "personal-meeting-create": _("Henkilökohtaisen tapaamisen kirjaus"),
}
