import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput
from apps.core.choice_fields import offer
from apps.meetings.models import AgendaItem

from .models import Instrument

KIND_CHOICES = [
    ("outcome", _("Tilannearvio (ORS/CORS): miten viime aikoina on mennyt")),
    ("session", _("Tapaamisarvio (SRS/CSRS): miten tapaaminen onnistui")),
]


def _rater_choices(family):
    return [
        (m.person_id, f"{m.person.first_names} {m.person.last_name} ({m.get_relation_display()})")
        for m in family.members.select_related("person")
    ]


class LinkForm(forms.Form):
    rater = forms.TypedChoiceField(label=_("Kuka arvioi"), coerce=int)
    kind = forms.ChoiceField(label=_("Mitä arvioidaan"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial="outcome")
    agenda_item = forms.ModelChoiceField(
        label=_("Tiimikokous, jota tapaamisarvio koskee"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("Ei tiimikokousta (esim. kotikäynti)"),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rater"].choices = _rater_choices(family)
        recent = timezone.now() - datetime.timedelta(days=14)
        offer(
            self.fields["agenda_item"], AgendaItem.objects.filter(family=family, meeting__starts_at__gte=recent).select_related("meeting")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            _("Tiimikokous %(date)s") % {"date": date_format(timezone.localtime(item.meeting.starts_at), "j.n.Y")}
        )


class PaperForm(forms.Form):
    """A paper form typed in: one field per line of the chosen instrument, in centimetres."""

    rater = forms.TypedChoiceField(label=_("Kuka arvioi"), coerce=int)
    rated_on = forms.DateField(label=_("Päivä"), widget=DateInput())

    def __init__(self, *args, family, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["rater"].choices = _rater_choices(family)
        self.fields["rated_on"].initial = timezone.localdate()
        spec = instrument.spec
        for item in spec.items:
            self.fields[f"cm_{item.key}"] = forms.DecimalField(
                label=str(item.label),
                min_value=0,
                max_value=spec.line_cm,
                decimal_places=1,
                max_digits=4,
                help_text=_("Merkin etäisyys janan vasemmasta päästä senttimetreinä (0–%(max)s).") % {"max": spec.line_cm},
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                localize=True,
            )

    def centimetres(self) -> dict:
        return {item.key: self.cleaned_data[f"cm_{item.key}"] for item in self.instrument.spec.items}


class ExportForm(forms.Form):
    FORMATS = [("csv", _("CSV-taulukko")), ("fhir", _("FHIR R4 QuestionnaireResponse (JSON)"))]
    format = forms.ChoiceField(label=_("Muoto"), choices=FORMATS, widget=forms.RadioSelect, initial="csv")
    recipient = forms.CharField(label=_("Vastaanottaja"), max_length=200)
    legal_basis = forms.CharField(label=_("Luovutuksen peruste"), max_length=200, help_text=_("Esim. asiakkaan suostumus tai lainkohta."))
