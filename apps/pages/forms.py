from django import forms
from django.utils.translation import gettext_lazy as _


class DisclosureForm(forms.Form):
    recipient = forms.CharField(
        label=_("vastaanottaja"), max_length=200, help_text=_("Kenelle loki luovutetaan, esim. asiakas itse tietopyynnön perusteella.")
    )
    legal_basis = forms.CharField(label=_("luovutuksen peruste"), max_length=200, initial="Asiakastietolaki 703/2023 11 §")
    include_older = forms.BooleanField(label=_("myös yli kaksi vuotta vanhat merkinnät (erityinen syy)"), required=False)
