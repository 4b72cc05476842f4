from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    permit = forms.CharField(
        label=_("Tutkimusluvan tunnus"),
        max_length=60,
        help_text=_("Tutkimusluvan tai toisiolain mukaisen käyttöluvan diaarinumero. Kirjataan luovutuksen perusteeksi."),
    )
