"""Simple forms for the genogram and ecomap editors: each adds one thing. The services check what the
forms cannot (an own ancestor, a fifth parent …) and their messages come back onto these forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput
from apps.clients.models import Person
from apps.core.choice_fields import offer
from apps.core.dates import short

from .models import Ecomap, EcomapTie, GenogramPerson, ParentKind, Partnership, PartnershipKind, Quality, Relationship
from .selectors import person_name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class ClientChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


def _year(label, required=False):
    return forms.IntegerField(
        label=label, required=required, min_value=1850, max_value=2100, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class GenogramPersonForm(forms.ModelForm):
    """A person of the genogram: a family member from the client register, or a relative by name."""

    person = ClientChoice(label=_("perheenjäsen (asiakastiedoista)"), queryset=Person.objects.none(), required=False)
    birth_year = _year(_("syntymävuosi"))
    death_year = _year(_("kuolinvuosi"))
    twin_of = PersonChoice(label=_("kaksonen (kenen kanssa)"), queryset=GenogramPerson.objects.none(), required=False)

    class Meta:
        model = GenogramPerson
        fields = ["person", "name", "sex", "birth_year", "death_year", "deceased", "is_index", "twin_of", "identical_twin", "note"]

    def __init__(self, *args, people, clients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].help_text = _("Valitse perheenjäsen tai kirjoita sukulaisen nimi alle.")
        offer(self.fields["person"], clients if clients is not None else Person.objects.none())
        offer(self.fields["twin_of"], people, shared=True)
        self.fields["sex"].required = False
        if self.instance.pk:
            del self.fields["person"]
            if self.instance.person_id:
                del self.fields["name"]

    def clean_sex(self):
        return self.cleaned_data.get("sex") or "unknown"

    def _post_clean(self):
        pass  # the service validates and saves


class PartnershipForm(forms.ModelForm):
    first = PersonChoice(label=_("puoliso"), queryset=GenogramPerson.objects.none())
    second = PersonChoice(label=_("toinen puoliso"), queryset=GenogramPerson.objects.none())
    kind = forms.ChoiceField(label=_("suhde"), choices=PartnershipKind.choices)
    started_year = _year(_("alkoi (vuosi)"))
    ended_year = _year(_("päättyi (vuosi)"))

    class Meta:
        model = Partnership
        fields = ["first", "second", "kind", "started_year", "ended_year"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["first"], people, shared=True)
        offer(self.fields["second"], people, shared=True)

    def _post_clean(self):
        pass


class ChildForm(forms.Form):
    child = PersonChoice(label=_("lapsi"), queryset=GenogramPerson.objects.none())
    parent = PersonChoice(label=_("vanhempi"), queryset=GenogramPerson.objects.none())
    other_parent = PersonChoice(label=_("toinen vanhempi"), queryset=GenogramPerson.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("vanhemmuus"), choices=ParentKind.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("child", "parent", "other_parent"):
            offer(self.fields[name], people, shared=True)

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {"child": data["child"], "parents": [data["parent"], data.get("other_parent")], "kind": data["kind"]}


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("kotitalous"), max_length=100, help_text=_("Esim. ”äidin koti” tai ”sijaisperhe”."))
    members = forms.ModelMultipleChoiceField(
        label=_("kuka asuu siellä nyt"), queryset=GenogramPerson.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people
        self.fields["members"].label_from_instance = person_name


class RelationshipForm(forms.ModelForm):
    first = PersonChoice(label=_("henkilö"), queryset=GenogramPerson.objects.none())
    second = PersonChoice(label=_("toinen henkilö"), queryset=GenogramPerson.objects.none())
    quality = forms.ChoiceField(label=_("suhteen laatu"), choices=Quality.choices)

    class Meta:
        model = Relationship
        fields = ["first", "second", "quality", "note"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["first"], people, shared=True)
        offer(self.fields["second"], people, shared=True)

    def _post_clean(self):
        pass


class RemoveForm(forms.Form):
    what = forms.ChoiceField(choices=[(k, k) for k in ("person", "partnership", "parentage", "household", "relationship")])
    id = forms.IntegerField(min_value=1)


class EcomapForm(forms.ModelForm):
    viewpoint_person = ClientChoice(label=_("kenen näkemys"), queryset=Person.objects.none(), required=False)
    centre = ClientChoice(label=_("keskellä"), queryset=Person.objects.none(), required=False, help_text=_("Tyhjä: koko perhe keskellä."))
    copy_from = forms.ModelChoiceField(label=_("pohjaksi aiempi kartta"), queryset=Ecomap.objects.none(), required=False)

    class Meta:
        model = Ecomap
        fields = ["drawn_on", "viewpoint", "viewpoint_person", "centre", "note"]
        widgets = {"drawn_on": DateInput()}

    def __init__(self, *args, clients, ecomaps, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["viewpoint_person"], clients, shared=True)
        offer(self.fields["centre"], clients, shared=True)
        offer(self.fields["copy_from"], ecomaps)
        self.fields["copy_from"].label_from_instance = lambda e: f"{short(e.drawn_on)} – {e.get_viewpoint_display()}"
        self.fields["drawn_on"].initial = timezone.localdate()

    def _post_clean(self):
        pass


class TieForm(forms.ModelForm):
    relative = PersonChoice(label=_("sukupuun henkilö"), queryset=GenogramPerson.objects.none(), required=False)
    sector = forms.ChoiceField(
        label=_("sektori"), choices=[("", _("palvelun mukaan"))] + list(EcomapTie._meta.get_field("sector").choices), required=False
    )

    class Meta:
        model = EcomapTie
        fields = ["name", "service", "relative", "sector", "ring", "strength", "support", "professional", "contact", "note"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["relative"], people)
        self.fields["name"].required = False

    def _post_clean(self):
        pass
