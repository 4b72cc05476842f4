"""Selects whose options come from the database read them in one ordinary query and render the
same options as Django's own iterator."""

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.core.choice_fields import offer
from apps.meetings.forms import StepForm
from apps.meetings.views import _members
from tests import factories as f


class _Plain(forms.Form):
    who = forms.ModelChoiceField(queryset=None, empty_label="– valitse –")


def test_a_select_reads_its_options_once_in_a_plain_query_and_renders_them_as_django_does(world):
    members = _members(world.team)
    ours = StepForm(members=members)
    with CaptureQueriesContext(connection) as reading:
        first = str(ours["owner"])
        second = str(ours["owner"])  # rendered again (an error re-render, a second template use)
    assert first == second
    assert len(reading) == 1  # one plain read, then the field's own cache (Django's iterator reads again)
    djangos = _Plain()
    djangos.fields["who"].queryset = members
    djangos.fields["who"].empty_label = ours.fields["owner"].empty_label
    assert str(djangos["who"]).replace("who", "owner") == first
    assert "Sosiaalinen" in first and "Vieras" not in first  # the team's members, no one else


def test_an_offered_select_still_validates_against_its_options(world):
    form = _Plain({"who": world.stranger.pk})
    offer(form.fields["who"], User.objects.filter(pk=world.worker.pk))
    assert not form.is_valid() and "who" in form.errors  # someone not offered is refused
    form = _Plain({"who": world.worker.pk})
    offer(form.fields["who"], User.objects.filter(pk=world.worker.pk))
    assert form.is_valid() and form.cleaned_data["who"] == world.worker


def test_selects_offered_the_same_members_read_them_once_between_them(world):
    from apps.meetings.forms import AgendaItemForm

    item = f.meeting_item(world.family, world.worker)
    members = _members(world.team)
    step_form, item_form = StepForm(members=members), AgendaItemForm(instance=item, members=members)
    with CaptureQueriesContext(connection) as reading:
        owner, presenter = str(step_form["owner"]), str(item_form["presenter"])
    assert len(reading) == 1
    assert owner.count("<option") == presenter.count("<option") == len(members) + 1  # the empty choice too
    assert AgendaItemForm({"presenter": world.stranger.pk}, instance=item, members=members).errors["presenter"]  # not a member
