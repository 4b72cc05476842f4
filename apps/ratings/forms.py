import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AccessLogEntry
from apps.clients.forms import DateInput
from apps.core.choice_fields import offer
from apps.meetings.models import AgendaItem

from .exports import family_children, legal_basis_text
from .models import Instrument

LEGAL_BASIS_MAX = AccessLogEntry._meta.get_field("legal_basis").max_length

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
            _("Tiimikokous %(date)s") % {"date": date_format(timezone.localtime(item.meeting.starts_at), "SHORT_DATE_FORMAT")}
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
    FORMATS = [("csv", _("CSV-taulukko")), ("fhir", _("FHIR R4 -kokoelma (JSON): lapsi, arvioijat ja arviot"))]
    format = forms.ChoiceField(label=_("Muoto"), choices=FORMATS, widget=forms.RadioSelect, initial="csv")
    child = forms.TypedChoiceField(
        label=_("Lapsi, jota vienti koskee"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("FHIR-vienti koskee yhtä lasta: mukaan tulevat lapsen omat arviot ja perheen aikuisten arviot, ei sisarusten."),
    )
    recipient = forms.CharField(label=_("Vastaanottaja"), max_length=200)
    legal_basis = forms.CharField(label=_("Luovutuksen peruste"), max_length=200, help_text=_("Esim. asiakkaan suostumus tai lainkohta."))
    identity_code = forms.BooleanField(
        label=_("Liitä lapsen henkilötunnus (vain FHIR)"),
        required=False,
        initial=False,
        help_text=_("Vain jos vastaanottaja tarvitsee sen ja luovutuksen peruste sallii sen. Valinta kirjataan luovutuslokiin."),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {p.pk: p for p in family_children(family)}
        self.fields["child"].choices = [("", _("Koko perhe (vain CSV)"))] + [(pk, str(p)) for pk, p in self.children.items()]
        self.fields["child"].initial = ""

    def clean(self):
        data = super().clean()
        fhir = data.get("format") == "fhir"
        child = self.children.get(data.get("child"))
        if fhir and child is None and len(self.children) == 1:
            child = next(iter(self.children.values()))
        if fhir and child is None:
            message = (
                _("Valitse lapsi, jota FHIR-vienti koskee.")
                if self.children
                else _("Perheessä ei ole lasta, jota FHIR-vienti voisi koskea.")
            )
            self.add_error("child", message)
        data["child"] = child
        if data.get("identity_code") and not fhir:
            self.add_error("identity_code", _("Henkilötunnuksen voi liittää vain FHIR-vientiin."))
        basis = data.get("legal_basis")
        if data.get("identity_code") and basis and len(legal_basis_text(basis, identity_code=True)) > LEGAL_BASIS_MAX:
            self.add_error(
                "legal_basis",
                _("Lyhennä perustetta %(n)s merkkiin: luovutuslokiin kirjataan sen perään, että henkilötunnus luovutettiin.")
                % {"n": LEGAL_BASIS_MAX - len(legal_basis_text("", identity_code=True))},
            )
        return data
