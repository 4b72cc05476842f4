from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.clients.forms import DateInput

from .models import PlacementCost
from .selectors import DEFAULT_MONTHS, PERIOD_MONTHS


def _months(n: int) -> str:
    return ngettext("%(n)s kuukausi", "%(n)s kuukautta", n) % {"n": n}


# Translated when the select is drawn, in the reader's language (a label built at import would stay
# in the language active then: Finnish).
months_label = lazy(_months, str)


class PeriodForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Jakso"),
        coerce=int,
        choices=[(m, months_label(m)) for m in PERIOD_MONTHS],
        initial=DEFAULT_MONTHS,
        required=False,
    )

    def months_or_default(self) -> int:
        return (self.cleaned_data.get("months") or DEFAULT_MONTHS) if self.is_valid() else DEFAULT_MONTHS


class ResearchExportForm(forms.Form):
    project = forms.CharField(
        label=_("Tutkimushanke"), max_length=120, help_text=_("Hankkeen nimi, jolle aineisto luovutetaan. Kirjataan luovutuslokiin.")
    )
    purpose = forms.CharField(
        label=_("Käyttötarkoitus"),
        max_length=200,
        help_text=_("Mihin aineistoa käytetään, esimerkiksi systeemisen mallin vaikuttavuuden arviointi. Kirjataan luovutuslokiin."),
    )
    permit = forms.CharField(
        label=_("Tutkimusluvan tunnus"),
        max_length=60,
        help_text=_("Tutkimusluvan tai toisiolain mukaisen käyttöluvan diaarinumero. Kirjataan luovutuksen perusteeksi."),
    )


class EffectivenessForm(forms.Form):
    SCOPES = [("own", _("Oma alue")), ("national", _("Koko maa"))]

    months = forms.TypedChoiceField(
        label=_("Jakso"),
        coerce=int,
        choices=[(m, months_label(m)) for m in (6, 12, 24)],
        initial=24,
        required=False,
        help_text=_("Muutos lasketaan perheistä, joiden arviot alkoivat jaksolla: kaksi vuotta antaa seurannalle aikaa."),
    )
    scope = forms.ChoiceField(label=_("Alue"), choices=SCOPES, initial="own", required=False)

    def values(self) -> tuple[int, str]:
        if not self.is_valid():
            return 24, "own"
        return self.cleaned_data.get("months") or 24, self.cleaned_data.get("scope") or "own"


class PlacementCostForm(forms.ModelForm):
    class Meta:
        model = PlacementCost
        fields = ["placement_type", "euros_per_day", "valid_from"]
        localized_fields = ["euros_per_day"]  # typed as 215,50
        widgets = {"valid_from": DateInput()}


class FidelityTargetForm(forms.Form):
    key = forms.ChoiceField(label=_("Tavoite"))
    value = forms.IntegerField(label=_("Uusi arvo"), min_value=0, max_value=100)
    reason = forms.CharField(
        label=_("Perustelu"), max_length=300, help_text=_("Miksi tiimi muuttaa tavoitettaan. Näkyy muutoshistoriassa.")
    )

    def __init__(self, *args, **kwargs):
        from .targets import ADJUSTABLE

        super().__init__(*args, **kwargs)
        self.adjustable = ADJUSTABLE
        self.fields["key"].choices = [(a.key, f"{a.label} ({a.low}–{a.high})") for a in ADJUSTABLE.values()]

    def clean(self):
        data = super().clean()
        adjustable = self.adjustable.get(data.get("key"))
        value = data.get("value")
        if adjustable is not None and value is not None and not adjustable.low <= value <= adjustable.high:
            self.add_error("value", _("Tavoitteen pitää olla välillä %(low)s–%(high)s.") % {"low": adjustable.low, "high": adjustable.high})
        return data


class PulseForm(forms.Form):
    """Four questions, each 0-10, as radio buttons (every value reachable by keyboard and phone)."""

    QUESTIONS = {
        "load": (_("Työn kuormittavuus"), _("0 = ei lainkaan kuormittavaa, 10 = liian kuormittavaa")),
        "energy": (_("Jaksaminen"), _("0 = ei lainkaan voimia, 10 = hyvin voimissani")),
        "meaning": (_("Työn merkityksellisyys"), _("0 = ei lainkaan merkityksellistä, 10 = hyvin merkityksellistä")),
        "safety": (_("Turvallisuus työssä"), _("0 = en tunne oloani lainkaan turvalliseksi, 10 = täysin turvalliseksi")),
    }

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        teams = list(teams)
        if len(teams) > 1:
            self.fields["team"] = forms.TypedChoiceField(label=_("Tiimi"), coerce=int, choices=[(t.pk, t.name) for t in teams])
        for key, (label, help_text) in self.QUESTIONS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=label, help_text=help_text, coerce=int, choices=[(n, str(n)) for n in range(11)], widget=forms.RadioSelect
            )
