"""Forms validate everything a user can type and say what is wrong in the user's language."""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.choice_fields import offer
from apps.core.dates import RecordDateField, short

from .models import (
    PERSON_DETAILS,
    ClientRelationship,
    Family,
    FamilyMember,
    Person,
    Phase,
    PhaseEvent,
    Relation,
)
from .validators import birth_date_from_identity_code, validate_identity_code


class DateInput(forms.DateInput):
    """A browser date picker. It only shows an ISO date (2026-11-29), so every value it is given
    back is written that way: a date typed as 29.11.2026 (which Django accepts) would otherwise be
    blanked when the form returns with another field's error."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def format_value(self, value):
        if isinstance(value, str):
            for fmt in formats.get_format("DATE_INPUT_FORMATS"):
                try:
                    return datetime.datetime.strptime(value.strip(), fmt).date().isoformat()
                except ValueError:
                    continue
            return value
        return super().format_value(value)


class FamilyForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = ["name", "municipality", "parents_worker"]

    def __init__(self, *args, caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["parents_worker"], caseworkers)
        self.fields["parents_worker"].required = False


PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,28}")
AFTER_CARE_MAX_AGE = 25


class PersonForm(forms.ModelForm):
    """A person as a member of one family. Contact fields are left out for viewers under turvakielto."""

    relation = forms.ChoiceField(label=gettext_lazy("suhde perheeseen"), choices=Relation.choices)
    is_guardian = forms.BooleanField(label=gettext_lazy("huoltaja"), required=False)
    note = forms.CharField(label=gettext_lazy("lisätieto"), required=False, max_length=200)

    class Meta:
        model = Person
        fields = list(PERSON_DETAILS)
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, show_contact=True, member: FamilyMember | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personal_identity_code"].help_text = _("Esimerkiksi 010190-900P. Voi jättää tyhjäksi, jos ei tiedossa.")
        if member is not None and not self.is_bound:
            self.initial.update(relation=member.relation, is_guardian=member.is_guardian, note=member.note)
        if not show_contact:
            # Someone who may not see the details may not lift the non-disclosure either.
            for name in (*Person.CONTACT_FIELDS, "non_disclosure"):
                del self.fields[name]

    def clean_personal_identity_code(self):
        return validate_identity_code(self.cleaned_data.get("personal_identity_code", ""))

    def clean_postal_code(self):
        code = self.cleaned_data.get("postal_code", "")
        if code and not (len(code) == 5 and code.isdigit()):
            raise forms.ValidationError(_("Postinumerossa on viisi numeroa."))
        return code

    def clean(self):
        data = super().clean()
        code, birth = data.get("personal_identity_code"), data.get("birth_date")
        if code:
            encoded = birth_date_from_identity_code(code)
            if birth and birth != encoded:
                self.add_error("birth_date", _("Syntymäaika ei vastaa henkilötunnusta (%(date)s).") % {"date": short(encoded)})
            else:
                data["birth_date"] = encoded
        birth = data.get("birth_date")
        if birth and birth > timezone.localdate():
            self.add_error("birth_date", _("Syntymäaika ei voi olla tulevaisuudessa."))
        elif birth and birth.year < 1900:
            self.add_error("birth_date", _("Tarkista syntymävuosi."))
        elif birth and data.get("relation") == Relation.CHILD and birth < timezone.localdate() - relativedelta(years=AFTER_CARE_MAX_AGE):
            # Child protection ends with after-care at 25 at the latest (LsL 75 §).
            self.add_error("birth_date", _("Lastensuojelun asiakaslapsi on alle 25-vuotias. Tarkista syntymäaika tai suhde perheeseen."))
        if data.get("relation") == Relation.CHILD and not data.get("birth_date") and "birth_date" not in self.errors:
            # Not beside another birth-date error: that one already says what to mend.
            self.add_error("birth_date", _("Lapsen syntymäaika tarvitaan (ikä ratkaisee palvelut ja määräajat)."))
        return data

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Puhelinnumerossa voi olla numeroita, välilyöntejä, väliviivoja ja alussa +, esimerkiksi 040 123 4567.")
            )
        return phone

    def person_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields and k in self.fields}

    def member_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("relation", "is_guardian", "note")}


class RelationshipOpenForm(forms.Form):
    child = forms.ModelChoiceField(label=gettext_lazy("lapsi"), queryset=Person.objects.none())
    responsible_worker = forms.ModelChoiceField(label=gettext_lazy("lapsen vastuusosiaalityöntekijä"), queryset=None)
    opened_on = RecordDateField(label=gettext_lazy("alkanut"), widget=DateInput())
    phase = forms.ChoiceField(
        label=gettext_lazy("vaihe"), choices=[c for c in Phase.choices if c[0] != Phase.CLOSED], initial=Phase.NOTIFICATION
    )

    def __init__(self, *args, family, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        open_child_ids = ClientRelationship.objects.filter(family=family, closed_on__isnull=True).values("child_id")
        children = Person.objects.filter(memberships__family=family, memberships__relation=Relation.CHILD)
        offer(self.fields["child"], children.exclude(id__in=open_child_ids))
        offer(self.fields["responsible_worker"], caseworkers)
        self.fields["opened_on"].initial = timezone.localdate()
        # The date's bounds and "not before the child's birth" are services.relationship_open's,
        # which the notification form opens relationships through too.


class PhaseForm(forms.ModelForm):
    class Meta:
        model = PhaseEvent
        fields = ["phase", "started_on", "note"]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args, relationship: ClientRelationship, **kwargs):
        super().__init__(*args, **kwargs)
        self.relationship = relationship
        self.fields["started_on"].initial = timezone.localdate()

    def clean(self):
        from .services import validate_phase_date

        data = super().clean()
        if data.get("started_on"):
            try:
                validate_phase_date(self.relationship, data["started_on"])
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data

    def _post_clean(self):
        pass  # the service builds and validates the event itself


class AssignWorkerForm(forms.Form):
    responsible_worker = forms.ModelChoiceField(label=gettext_lazy("lapsen vastuusosiaalityöntekijä"), queryset=None)

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["responsible_worker"], caseworkers)
