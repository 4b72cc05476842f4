"""Peer groups: a team's after-care youth group or experts by experience; people of the right age
from the team's families are invited at the contact details they consented to (an e-mail address
gets the invitation by e-mail, in the language chosen; a phone number gets its text for the worker);
meetings record who came; the group keeps its own plan; experts' contributions to the team's
development work are recorded and shown anonymously unless the contributor agreed to be named.
The group's page is the team's: logged, 404 outside it."""

import datetime

from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from apps.audit.models import AccessLogEntry
from apps.core.dates import short
from apps.partnership.models import PeerContribution, PeerGroup, PeerGroupMember, PeerMeeting
from tests import factories as f

TODAY = timezone.localdate()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _young_person(world, age, first="Niko"):
    person = f.person(world.county, first, "Mäkinen", birth=TODAY - datetime.timedelta(days=age * 366))
    return world.family.members.create(county=world.county, person=person, relation="child")


def _url(world, group, action=""):
    return f"/teams/{world.team.pk}/peer-groups/{group.pk}/{action}"


def _parents(world):
    return list(world.family.members.exclude(relation="child").select_related("person").order_by("id"))


def test_an_aftercare_group_invites_young_people_of_its_age_at_their_consented_contact(world):
    worker = _client(world.worker)
    response = worker.post(f"/teams/{world.team.pk}/peer-groups/", {"name": "Nuorten ilta", "kind": "aftercare"})
    group = PeerGroup.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/peer-groups/{group.pk}/")
    youth = _young_person(world, 19)
    page = worker.get(_url(world, group)).content.decode()
    assert f'value="{youth.pk}"' in page  # offered; the 12–14-year-olds and the parents are not
    for m in world.family.members.all():
        assert f'value="{m.pk}"' not in page or m.pk == youth.pk
    invite = _url(world, group, "invite/")
    missing = worker.post(invite, {"member": youth.pk, "contact": "", "consent_on": TODAY.isoformat(), "language": "fi"})
    assert missing.status_code == 400 and not PeerGroupMember.objects.exists()
    child = world.family.members.filter(relation="child").exclude(pk=youth.pk).first()
    too_young = worker.post(invite, {"member": child.pk, "contact": "x@example.org", "consent_on": TODAY.isoformat(), "language": "fi"})
    assert too_young.status_code == 400 and not PeerGroupMember.objects.exists() and not mail.outbox
    ok = worker.post(invite, {"member": youth.pk, "contact": "niko@example.org", "consent_on": TODAY.isoformat(), "language": "fi"})
    assert ok.status_code == 302 and ok["Location"] == _url(world, group)
    member = PeerGroupMember.objects.get()
    assert member.contact == "niko@example.org" and member.invited_by == world.worker


def test_an_email_invitation_goes_to_the_consented_address_only_in_the_chosen_language_naming_no_one_else(world):
    sanna, mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[sanna])  # Sanna is in the group already
    group.next_meeting_on = TODAY + datetime.timedelta(days=10)
    group.save()
    world.worker.email = "sari.sosiaalinen@testila.fi"
    world.worker.save()
    worker = _client(world.worker)
    response = worker.post(
        _url(world, group, "invite/"),
        {"member": mikko.pk, "contact": " mikko@example.org ", "consent_on": TODAY.isoformat(), "language": "sv"},
        follow=True,
    )
    assert response.status_code == 200 and "Kutsu lähetetty sähköpostilla osoitteeseen mikko@example.org" in response.content.decode()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["mikko@example.org"] and sent.cc == [] and sent.bcc == []
    assert sent.reply_to == ["sari.sosiaalinen@testila.fi"]
    text = sent.subject + "\n" + sent.body
    assert group.name in text and world.team.name in text and "Sari Sosiaalinen" in text
    with translation.override("sv"):
        assert short(group.next_meeting_on) in text  # the next meeting, as Swedish writes dates
    # In Swedish, and said so; not in Finnish (the msgids are Finnish: only a Swedish text without
    # them is Swedish, once the lead's translations are in).
    assert sent.extra_headers["Content-Language"] == "sv"
    if _translated("sv"):
        assert "Sinut kutsutaan" not in text
    # Nothing about anyone else, nor about the case: no other member, no family name, no child.
    for name in ("Sanna", "Mäkinen", "Aino", "Eino"):
        assert name not in text, name
    member = PeerGroupMember.objects.get(member=mikko)
    assert (member.invitation_channel, member.invitation_language, member.invitations_sent) == ("email", "sv", 1)
    assert member.invitation_sent_at is not None and member.invitation_text == f"{sent.subject}\n\n{sent.body}"
    invited = AccessLogEntry.objects.filter(view_name="peer-group-invite")
    assert {(e.action, e.person_id) for e in invited} == {("create", mikko.person_id)}


def _translated(lang) -> bool:
    with translation.override(lang):
        return translation.gettext("Hei!") != "Hei!"


def test_a_phone_invitation_is_recorded_with_its_text_for_the_worker_and_nothing_is_sent(world):
    sanna, _mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[])
    worker = _client(world.worker)
    response = worker.post(
        _url(world, group, "invite/"),
        {"member": sanna.pk, "contact": "040 765 4321", "consent_on": TODAY.isoformat(), "language": "fi"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and not mail.outbox
    member = PeerGroupMember.objects.get()
    assert (member.contact, member.invitation_channel, member.invitations_sent) == ("040 765 4321", "phone", 1)
    assert "Sinut kutsutaan mukaan ryhmään Kokemusasiantuntijat." in member.invitation_text
    assert "tähän numeroon" in member.invitation_text
    assert "kutsu tehtävä puhelimitse" in page and "Kutsun teksti luettavaksi tai lähetettäväksi" in page
    assert "Sinut kutsutaan mukaan ryhmään Kokemusasiantuntijat." in page and 'lang="fi"' in page


def test_the_worker_marks_a_phone_invitation_made_and_a_resend_opens_it_again(world):
    sanna, _mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[])
    worker = _client(world.worker)
    worker.post(
        _url(world, group, "invite/"), {"member": sanna.pk, "contact": "040 765 4321", "consent_on": TODAY.isoformat(), "language": "fi"}
    )
    member = PeerGroupMember.objects.get()
    made = _url(world, group, f"members/{member.pk}/made/")
    page = worker.get(_url(world, group, "")).content.decode()
    assert "Merkitse kutsu tehdyksi" in page and made in page
    last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = worker.post(made, follow=True)
    page = response.content.decode()
    member.refresh_from_db()
    assert response.status_code == 200 and member.invitation_made_at is not None
    assert "kutsuttu puhelimitse" in page and "Merkitse kutsu tehdyksi" not in page and "kutsu tehtävä puhelimitse" not in page
    entry = AccessLogEntry.objects.get(id__gt=last_id, view_name="peer-group-invite-made")
    assert (entry.action, entry.person_id) == ("edit", sanna.person_id)
    # Twice is refused with a message on the page; nothing changes.
    response = worker.post(made)
    assert response.status_code == 400 and "jo merkitty tehdyksi" in response.content.decode()
    # A new invitation by phone is to be made again.
    worker.post(_url(world, group, f"members/{member.pk}/resend/"))
    member.refresh_from_db()
    assert member.invitation_made_at is None and member.invitations_sent == 2
    # An e-mail invitation was sent by Systeemi itself: nothing to mark.
    member.contact, member.invitation_channel = "sanna@example.org", "email"
    member.save()
    response = worker.post(made)
    assert response.status_code == 400 and "sähköpostikutsun Systeemi lähetti itse" in response.content.decode()


def test_a_contact_that_is_neither_an_email_nor_a_finnish_number_is_refused_with_what_was_typed_kept(world):
    sanna, _mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[])
    worker = _client(world.worker)
    for typed in ("mikko@", "12345", "+46 70 123 4567", "soita äidille"):
        response = worker.post(
            _url(world, group, "invite/"), {"member": sanna.pk, "contact": typed, "consent_on": TODAY.isoformat(), "language": "en"}
        )
        page = response.content.decode()
        assert response.status_code == 400, typed
        assert "suomalainen puhelinnumero" in page or "Sähköpostiosoite ei ole kelvollinen" in page, typed
        assert f'value="{typed}"' in page and f'value="{sanna.pk}" selected' in page, typed
        assert 'value="en" selected' in page
    assert not PeerGroupMember.objects.exists() and not mail.outbox
    for typed in ("+358 40 123 4567", "(09) 123 456", "050-1234567"):
        PeerGroupMember.objects.all().delete()
        response = worker.post(
            _url(world, group, "invite/"), {"member": sanna.pk, "contact": typed, "consent_on": TODAY.isoformat(), "language": "fi"}
        )
        assert response.status_code == 302, typed


def test_resending_is_one_action_to_the_same_contact_in_the_same_language(world):
    sanna, _mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[sanna])
    member = group.members.get()
    member.invitation_language = "en"
    member.save()
    worker = _client(world.worker)
    assert worker.post(_url(world, group, f"members/{member.pk}/resend/")).status_code == 302
    assert worker.post(_url(world, group, f"members/{member.pk}/resend/")).status_code == 302
    assert [m.to for m in mail.outbox] == [["nuori@example.org"], ["nuori@example.org"]]
    member.refresh_from_db()
    assert (member.invitation_channel, member.invitations_sent) == ("email", 2)
    entries = AccessLogEntry.objects.filter(view_name="peer-group-resend")
    assert {(e.action, e.person_id) for e in entries} == {("edit", sanna.person_id)}
    # Another group's member is not this group's: 404, nothing sent.
    other = f.peer_group(world.team, world.worker, members=[_parents(world)[1]], name="Toinen")
    other_member = other.members.get()
    assert worker.post(_url(world, group, f"members/{other_member.pk}/resend/")).status_code == 404
    assert len(mail.outbox) == 2


def test_a_contact_recorded_before_invitations_were_sent_that_is_not_valid_is_refused_on_resend(world):
    sanna, _mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[sanna])
    member = group.members.get()
    member.contact = "äidin kautta"
    member.save()
    response = _client(world.worker).post(_url(world, group, f"members/{member.pk}/resend/"))
    assert response.status_code == 400 and "suomalainen puhelinnumero" in response.content.decode()
    member.refresh_from_db()
    assert member.invitations_sent == 0 and not mail.outbox


def test_a_mail_server_that_refuses_leaves_nothing_recorded(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    sanna, _mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[])
    before = AccessLogEntry.objects.count()
    response = _client(world.worker).post(
        _url(world, group, "invite/"),
        {"member": sanna.pk, "contact": "sanna@example.org", "consent_on": TODAY.isoformat(), "language": "fi"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Kutsua ei voitu lähettää" in page and 'value="sanna@example.org"' in page
    assert not PeerGroupMember.objects.exists()
    assert AccessLogEntry.objects.count() == before  # the change undone; the page lists no member


def test_meetings_record_who_came_and_the_group_keeps_its_own_plan(world):
    parent = _parents(world)[0]
    group = f.peer_group(world.team, world.worker, members=[parent])
    member = group.members.get()
    worker = _client(world.worker)
    held = TODAY - datetime.timedelta(days=3)
    meeting = worker.post(
        _url(world, group, "meetings/"), {"held_on": held.isoformat(), "topic": "Asiakkaan ääni", "attendees": [member.pk]}
    )
    assert meeting.status_code == 302
    assert list(PeerMeeting.objects.get().attendees.all()) == [member]
    next_on = TODAY + datetime.timedelta(days=20)
    plan = {"group_plan": "Kevään teema: ensimmäinen oma koti.", "next_meeting_on": next_on.isoformat()}
    assert worker.post(_url(world, group, "plan/"), plan).status_code == 302
    group.refresh_from_db()
    assert group.next_meeting_on == next_on
    before = AccessLogEntry.objects.count()
    page = worker.get(_url(world, group)).content.decode()
    assert "Kevään teema: ensimmäinen oma koti." in page and "Asiakkaan ääni" in page and "paikalla 1 kerran" in page
    assert f"seuraava tapaaminen {next_on.day}.{next_on.month}.{next_on.year}" in page
    entries = AccessLogEntry.objects.all()[before:]
    assert {(e.view_name, e.person_id) for e in entries} == {("peer-group", parent.person_id)}
    future = worker.post(_url(world, group, "meetings/"), {"held_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "topic": "Tuleva"})
    assert future.status_code == 400 and PeerMeeting.objects.count() == 1 and 'value="Tuleva"' in future.content.decode()
    past = {"group_plan": "Uusi teksti", "next_meeting_on": (TODAY - datetime.timedelta(days=1)).isoformat()}
    refused = worker.post(_url(world, group, "plan/"), past)
    assert refused.status_code == 400 and "Uusi teksti" in refused.content.decode()
    group.refresh_from_db()
    assert group.group_plan == "Kevään teema: ensimmäinen oma koti."


def test_an_experts_contribution_is_recorded_and_shown_anonymously_unless_the_contributor_agreed(world):
    sanna, mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[sanna, mikko])
    s_member, m_member = group.members.get(member=sanna), group.members.get(member=mikko)
    worker = _client(world.worker)
    url = _url(world, group, "contributions/")
    data = {
        "made_on": TODAY.isoformat(),
        "purpose": "Perheen sivun selkokieli",
        "text": "Sanat kuten 'asiakkuus' pelottavat. Kirjoittakaa niin kuin puhutte.",
        "contributors": [s_member.pk, m_member.pk],
        "named": [s_member.pk],
    }
    assert worker.post(url, data).status_code == 302
    contribution = PeerContribution.objects.get()
    credits = {c.member_id: c.named for c in contribution.credits.all()}
    assert credits == {s_member.pk: True, m_member.pk: False}
    created = AccessLogEntry.objects.filter(view_name="peer-group-contribution")
    assert {(e.action, e.person_id) for e in created} == {("create", sanna.person_id), ("create", mikko.person_id)}
    group_only = {**data, "purpose": "Tiimikokouksen käytännöt", "contributors": [], "named": [], "by_group": "on"}
    assert worker.post(url, group_only).status_code == 302
    page = worker.get(_url(world, group)).content.decode()
    section = page[page.index('id="contributions-h"') :]
    assert "Perheen sivun selkokieli" in section and "Tiimikokouksen käytännöt" in section
    assert "Sanna Mäkinen, 1 kokemusasiantuntija" in section and "Ryhmä yhdessä" in section
    assert "Mikko Mäkinen" not in section.split("<form")[0]  # named only in the form's choices
    listing = worker.get(f"/teams/{world.team.pk}/peer-groups/").content.decode()
    assert "2 panosta kehittämistyöhön" in listing


def test_a_contribution_without_a_contributor_or_naming_someone_who_did_not_contribute_is_refused(world):
    sanna, mikko = _parents(world)
    group = f.peer_group(world.team, world.worker, members=[sanna, mikko])
    s_member, m_member = group.members.get(member=sanna), group.members.get(member=mikko)
    worker = _client(world.worker)
    url = _url(world, group, "contributions/")
    base = {"made_on": TODAY.isoformat(), "purpose": "Selkokieli", "text": "Omin sanoin kirjoitettu panos"}
    for extra, message in (
        ({}, "Valitse, kuka panoksen antoi"),
        ({"contributors": [s_member.pk], "named": [m_member.pk]}, "Nimellä voi mainita vain"),
        ({"contributors": [s_member.pk], "by_group": "on"}, "Valitse joko ryhmän jäsenet tai koko ryhmä"),
    ):
        response = worker.post(url, {**base, **extra})
        page = response.content.decode()
        assert response.status_code == 400 and message in page, extra
        assert "Omin sanoin kirjoitettu panos" in page and 'value="Selkokieli"' in page
    assert not PeerContribution.objects.exists()
    aftercare = f.peer_group(world.team, world.worker, members=[], kind="aftercare", name="Nuoret")
    assert worker.post(_url(world, aftercare, "contributions/"), {**base, "by_group": "on"}).status_code == 404
    assert 'id="contributions-h"' not in worker.get(_url(world, aftercare)).content.decode()


def test_only_the_team_reaches_its_groups_and_the_therapist_only_reads(world):
    parent = _parents(world)[0]
    group = f.peer_group(world.team, world.worker, members=[parent])
    member = group.members.get()
    for persona in ("stranger", "partner", "manager"):
        client = _client(getattr(world, persona))
        assert client.get(_url(world, group)).status_code == 404, persona
        assert client.post(_url(world, group, f"members/{member.pk}/resend/")).status_code == 404, persona
    therapist = _client(world.therapist)
    assert therapist.get(_url(world, group)).status_code == 200
    before = AccessLogEntry.objects.count()
    assert therapist.post(_url(world, group, "plan/"), {"group_plan": "x"}).status_code == 403
    assert therapist.post(_url(world, group, f"members/{member.pk}/resend/")).status_code == 403
    assert AccessLogEntry.objects.count() == before and not mail.outbox
    group.refresh_from_db()
    assert group.group_plan == ""
    assert _client(world.worker).post(_url(world, group)).status_code == 405  # the page itself takes no POST
