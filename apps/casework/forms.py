from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput
from apps.clients.models import Person, Relation

from .models import Assessment, ClientPlan, Decision, Notification, PersonalMeeting


class NotificationForm(forms.ModelForm):
    child = forms.ModelChoiceField(label=_("lapsi"), queryset=Person.objects.none())
    responsible_worker = forms.ModelChoiceField(
        label=_("vastuusosiaalityöntekijä (jos lapsella ei ole avointa asiakkuutta)"), queryset=None, required=False
    )

    class Meta:
        model = Notification
        fields = ["kind", "received_on", "notifier_type", "notifier_name", "notifier_contact", "anonymous", "summary"]
        widgets = {"received_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, family, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Person.objects.filter(memberships__family=family, memberships__relation=Relation.CHILD)
        self.fields["responsible_worker"].queryset = caseworkers
        self.fields["received_on"].initial = timezone.localdate()
        self.order_fields(["child", "kind", "received_on", "notifier_type"])

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and (data.get("notifier_name") or data.get("notifier_contact")):
            self.add_error("anonymous", _("Nimettömällä ilmoituksella ei ole ilmoittajan nimeä eikä yhteystietoa."))
        return data

    def _post_clean(self):
        pass  # the service validates the model with its family and child


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("päätös"), choices=Decision.choices)
    decided_on = forms.DateField(label=_("päätetty"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class InformNotifierForm(forms.Form):
    informed_on = forms.DateField(label=_("ilmoittajalle kerrottu"), widget=DateInput())
    how = forms.CharField(label=_("miten kerrottu"), max_length=200, help_text=_("esim. puhelimitse, kirjeellä"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informed_on"].initial = timezone.localdate()


class AssessmentCompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("valmistunut"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("tulos"), choices=Assessment.Outcome.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class _DatedForm(forms.ModelForm):
    date_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.date_field].initial = timezone.localdate()

    def _post_clean(self):
        pass  # the service validates the model with its relationship


class ClientPlanForm(_DatedForm):
    date_field = "made_on"

    class Meta:
        model = ClientPlan
        fields = ["kind", "made_on", "meetings_per_year"]
        widgets = {"made_on": DateInput()}


class PersonalMeetingForm(_DatedForm):
    date_field = "met_on"

    class Meta:
        model = PersonalMeeting
        fields = ["met_on", "note"]
        widgets = {"met_on": DateInput()}
