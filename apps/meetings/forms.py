import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput

from .models import AgendaItem, Hypothesis, Meeting, PlanStep


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "room"]
        widgets = {"starts_at": DateTimeInput()}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["presenter", "question", "planned_minutes", "family_invited", "family_attended", "partner_attended"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = members
        self.fields["planned_minutes"].widget.attrs.update(min=5, max=120)


class RecordForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AgendaItem
        fields = list(AgendaItem.RECORD_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in AgendaItem.RECORD_FIELDS}

    def _post_clean(self):
        pass  # saved through services.record_save with its version check


class HypothesisForm(forms.Form):
    text = forms.CharField(label=_("hypoteesi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    perspective = forms.CharField(label=_("kenen näkökulmasta"), max_length=100, help_text=_("esim. lapsi, äiti, isä, koulu, työntekijä"))
    revises = forms.ModelChoiceField(label=_("muotoilee uudelleen"), queryset=Hypothesis.objects.none(), required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revises"].queryset = Hypothesis.objects.filter(family=family, status=Hypothesis.Status.ACTIVE)


class StepForm(forms.Form):
    what = forms.CharField(label=_("mitä"), max_length=500)
    owner = forms.ModelChoiceField(label=_("kuka"), queryset=None)
    due_on = forms.DateField(label=_("mihin mennessä"), widget=DateInput())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=7)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStep.Status.choices)
