from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput
from apps.clients.models import Person, Relation
from apps.core.choice_fields import offer
from apps.core.dates import RecordDateField

from .models import Assessment, ClientPlan, Decision, InterfaceCriterion, Notification, PersonalMeeting


class NotificationForm(forms.ModelForm):
    child = forms.ModelChoiceField(label=_("lapsi"), queryset=Person.objects.none())
    responsible_worker = forms.ModelChoiceField(
        label=_("vastuusosiaalityöntekijä (jos lapsella ei ole avointa asiakkuutta)"), queryset=None, required=False
    )

    class Meta:
        model = Notification
        fields = ["kind", "received_on", "notifier_type", "notifier_name", "notifier_contact", "anonymous", "summary"]
        widgets = {"received_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"received_on": RecordDateField}

    def __init__(self, *args, family, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["child"], Person.objects.filter(memberships__family=family, memberships__relation=Relation.CHILD))
        offer(self.fields["responsible_worker"], caseworkers)
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
    decided_on = RecordDateField(label=_("päätetty"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class InformNotifierForm(forms.Form):
    informed_on = RecordDateField(label=_("ilmoittajalle kerrottu"), widget=DateInput())
    how = forms.CharField(label=_("miten kerrottu"), max_length=200, help_text=_("esim. puhelimitse, kirjeellä"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informed_on"].initial = timezone.localdate()


class AssessmentCompleteForm(forms.Form):
    completed_on = RecordDateField(label=_("valmistunut"), widget=DateInput())
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
        field_classes = {"made_on": RecordDateField}


class PersonalMeetingForm(_DatedForm):
    date_field = "met_on"

    class Meta:
        model = PersonalMeeting
        fields = ["met_on", "note"]
        widgets = {"met_on": DateInput()}
        field_classes = {"met_on": RecordDateField}


class TransferForm(forms.Form):
    to_team = forms.ModelChoiceField(label=_("vastaanottava tiimi"), queryset=None)
    responsible_worker = forms.ModelChoiceField(
        label=_("vastaanottava työntekijä"),
        queryset=None,
        help_text=_("Vastaanottavan tiimin sosiaalityöntekijä, jolle lasten ja vanhempien asiat siirtyvät."),
    )
    criteria = forms.MultipleChoiceField(
        label=_("arvioidut kriteerit"), choices=InterfaceCriterion.choices, widget=forms.CheckboxSelectMultiple
    )
    reasoning = forms.CharField(label=_("perustelut"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    joint_meeting_on = RecordDateField(label=_("yhteinen tapaaminen perheen kanssa"), widget=DateInput())
    family_agreed = forms.BooleanField(label=_("perhe on samaa mieltä siirrosta"), required=False)
    family_view = forms.CharField(label=_("perheen näkemys"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    handover_days = forms.IntegerField(
        label=_("luovuttavan tiimin lukuoikeus (päivää)"),
        min_value=0,
        max_value=180,
        initial=30,
        help_text=_("Luovuttava tiimi näkee perheen tiedot tämän ajan, mutta ei voi muuttaa niitä."),
    )

    def __init__(self, *args, family, **kwargs):
        from apps.accounts.models import User
        from apps.clients.selectors import CASEWORKER_ROLES
        from apps.organisations.models import Membership, Team

        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(county_id=family.county_id).exclude(pk=family.team_id).order_by("name")
        offer(self.fields["to_team"], teams)
        offer(
            self.fields["responsible_worker"],
            User.objects.filter(memberships__in=Membership.objects.active().filter(team__in=teams, role__in=CASEWORKER_ROLES))
            .distinct()
            .order_by("last_name", "first_name"),
        )

    def clean(self):
        from apps.organisations.models import Membership

        data = super().clean()
        team, worker = data.get("to_team"), data.get("responsible_worker")
        if team and worker and not Membership.objects.active().filter(team=team, user=worker).exists():
            self.add_error("responsible_worker", _("Työntekijä ei kuulu vastaanottavaan tiimiin."))
        if not data.get("family_agreed") and not data.get("family_view"):
            self.add_error("family_view", _("Jos perhe ei ole samaa mieltä, kirjaa perheen näkemys."))
        return data
