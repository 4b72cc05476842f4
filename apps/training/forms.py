from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.clients.forms import DateInput
from apps.organisations.models import Team

from .models import TrainingKind


class TrainingForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Tiimi"), queryset=Team.objects.none())
    kind = forms.ChoiceField(label=_("Laji"), choices=TrainingKind.choices)
    name = forms.CharField(label=_("Nimi"), max_length=200)
    trainer_social_worker = forms.ModelChoiceField(label=_("Kouluttaja (sosiaalityöntekijä)"), queryset=User.objects.none())
    trainer_family_therapist = forms.ModelChoiceField(label=_("Kouluttaja (perheterapeutti)"), queryset=User.objects.none())

    def __init__(self, *args, county_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(county_id=county_id).order_by("name")
        trainers = User.objects.filter(county_id=county_id, is_active=True, org_role="trainer").order_by("last_name", "first_name")
        self.fields["trainer_social_worker"].queryset = trainers
        self.fields["trainer_family_therapist"].queryset = trainers


class SessionForm(forms.Form):
    starts_on = forms.DateField(label=_("Alkaa"), widget=DateInput())
    ends_on = forms.DateField(label=_("Päättyy"), widget=DateInput())
    partner_participants = forms.IntegerField(label=_("Osallistuneita kumppaneita"), min_value=0, initial=0, required=False)
    partner_organisations = forms.CharField(label=_("Kumppaniorganisaatiot"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Jakso ei voi päättyä ennen alkamistaan."))
        return data
