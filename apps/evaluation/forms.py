from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import DEFAULT_MONTHS, PERIOD_MONTHS


class PeriodForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Jakso"),
        coerce=int,
        choices=[(m, _("%(n)s kuukautta") % {"n": m}) for m in PERIOD_MONTHS],
        initial=DEFAULT_MONTHS,
        required=False,
    )

    def months_or_default(self) -> int:
        return (self.cleaned_data.get("months") or DEFAULT_MONTHS) if self.is_valid() else DEFAULT_MONTHS


class ResearchExportForm(forms.Form):
    project = forms.CharField(
        label=_("Tutkimushanke"), max_length=120, help_text=_("Hankkeen nimi, jolle aineisto luovutetaan. Kirjataan luovutuslokiin.")
    )
    permit = forms.CharField(
        label=_("Tutkimusluvan tunnus"),
        max_length=60,
        help_text=_("Tutkimusluvan tai toisiolain mukaisen käyttöluvan diaarinumero. Kirjataan luovutuksen perusteeksi."),
    )
