"""Who may open a team meeting, an agenda item's record and a plan step.

A meeting belongs to its team: its members open it (404 for everyone else, managers included:
the agenda names families). An agenda item is a discussion of one family, so its record opens
through the family rule as well: a member of the meeting's team whose family has since moved to
another team reads it during the handover and writes nothing (the family rule gives the sending
team read access only). A plan step is a family's record; its owner changes its status through the
family rule too.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.access.caller import caller_of
from apps.access.gate import Access, refuse, team_perms
from apps.access.permissions import Perm
from apps.clients.access import family_access, open_family

from .models import AgendaItem, Meeting, PlanStep

LOG_VIEWS = {
    "meeting-detail": _("Tiimikokous"),
    "meeting-agenda-add": _("Perheen lisäys tiimikokouksen asialistalle"),
    "meeting-agenda-move": _("Asialistan järjestyksen muutos"),
    "meeting-agenda-remove": _("Perheen poisto tiimikokouksen asialistalta"),
    "meeting-schedule": _("Asialistan käsittelyaikojen muutos"),
    "meeting-attendance": _("Tiimikokouksen läsnäolon kirjaus"),
    "meeting-approve": _("Tiimikokouksen kirjauksen hyväksyntä"),
    "meeting-item": _("Tiimikokouksen kirjaus"),
    "meeting-item-record": _("Tiimikokouksen kirjauksen tallennus"),
    "meeting-item-details": _("Asialistan kohdan tietojen muutos"),
    "meeting-item-hypothesis-add": _("Hypoteesin kirjaus"),
    "meeting-item-hypothesis-status": _("Hypoteesin tilan muutos"),
    "meeting-item-step-add": _("Suunnitelman askeleen kirjaus"),
    "meeting-item-timer": _("Käsittelyajan kirjaus"),
    "meeting-item-share": _("Yhteenvedon merkitseminen jaetuksi perheelle"),
    "meeting-summary": _("Yhteenveto perheelle"),
    "family-discussions": _("Perheen käsittelyt tiimikokouksissa"),
    "my-steps": _("Omat askeleet"),
    "step-status": _("Askeleen tilan muutos"),
}


def open_meeting(user, meeting_id, *, need: Perm = Perm.TEAM_VIEW) -> Access:
    """Open a team meeting (`resource`): members of the meeting's team only."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    meeting = Meeting.objects.filter(county_id=caller.county_id, pk=meeting_id).select_related("team").first()
    if meeting is None:
        raise Http404
    perms, role = team_perms(caller, meeting.team_id)
    access = Access(caller, meeting.county_id, perms, role=role, team=meeting.team, resource=meeting)
    refuse(access, need, visible=Perm.TEAM_VIEW)
    return access


def item_of(meeting_access: Access, item_id) -> AgendaItem:
    """An agenda item of the opened meeting, or 404."""
    meeting = meeting_access.resource
    item = (
        AgendaItem.objects.filter(meeting=meeting, pk=item_id).select_related("family", "meeting__team").first()
        if str(item_id).isdigit()
        else None
    )
    if item is None:
        raise Http404
    return item


def open_agenda_item(user, meeting_id, item_id, *, need: Perm = Perm.MEETING_PREPARE) -> tuple[Access, AgendaItem]:
    """An agenda item as part of its meeting's agenda (moving or removing it): (the meeting's access,
    the item). The family rule must allow `need` as well, so the sending team of a
    transfer changes nothing about the family, not even its place on an old agenda. Opens no record
    of the family: logs nothing by itself."""
    meeting_access = open_meeting(user, meeting_id)
    item = item_of(meeting_access, item_id)  # no such item on this agenda: 404 before any 403
    meeting_access.require(need)
    family_access(user, item.family).require(need)
    return meeting_access, item


def open_item(user, meeting_id, item_id, *, need: Perm = Perm.FAMILY_VIEW) -> tuple[Access, Access]:
    """Open an agenda item: (the meeting's access, the item's family access with the item as `resource`)."""
    meeting_access = open_meeting(user, meeting_id)
    item = item_of(meeting_access, item_id)
    return meeting_access, open_family(user, item.family_id, need=need).on(item)


def open_step(user, step_id, *, need: Perm = Perm.FAMILY_VIEW) -> Access:
    """Open a plan step through its family (`resource` is the step)."""
    caller = caller_of(user)
    if not caller.is_professional:
        raise Http404
    step = PlanStep.objects.filter(county_id=caller.county_id, pk=step_id).first() if str(step_id).isdigit() else None
    if step is None:
        raise Http404
    return open_family(user, step.family_id, need=need).on(step)
