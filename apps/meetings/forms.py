import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput
from apps.core.choice_fields import offer
from apps.network.models import Relationship
from apps.network.selectors import relationship_label

from .models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from .services import MAX_MINUTES, MEETING_HORIZON, MIN_MINUTES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "room"]
        widgets = {"starts_at": DateTimeInput()}

    def clean_starts_at(self):
        """Within a year either way: a meeting dated 1999 (a typo) went into the research export."""
        starts_at = self.cleaned_data["starts_at"]
        if abs(starts_at - timezone.now()) > MEETING_HORIZON:
            raise forms.ValidationError(_("Kokous voi olla enintään vuoden päässä tästä päivästä. Tarkista päivämäärä."))
        return starts_at


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["presenter", "question", "planned_minutes", "family_invited", "family_attended", "partner_attended"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["presenter"], members, shared=True)
        # Checked here too, not only by the browser: 30,000 minutes once pushed every later item's
        # clock time round the day.
        minutes = self.fields["planned_minutes"]
        minutes.min_value, minutes.max_value = MIN_MINUTES, MAX_MINUTES
        minutes.validators += [MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)]
        minutes.widget.attrs.update(min=MIN_MINUTES, max=MAX_MINUTES)

    def clean(self):
        data = super().clean()
        if data.get("family_attended"):
            data["family_invited"] = True  # a family that was there had been invited
        return data


class RecordForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AgendaItem
        fields = list(AgendaItem.RECORD_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in AgendaItem.RECORD_FIELDS}

    def _post_clean(self):
        pass  # saved through services.record_save with its version check


class HypothesisForm(forms.Form):
    text = forms.CharField(label=_("hypoteesi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    perspective = forms.CharField(label=_("kenen näkökulmasta"), max_length=100, help_text=_("esim. lapsi, äiti, isä, koulu, työntekijä"))
    revises = forms.ModelChoiceField(label=_("muotoilee uudelleen"), queryset=Hypothesis.objects.none(), required=False)
    relationship = forms.ModelChoiceField(
        label=_("suhde, jota hypoteesi koskee"),
        queryset=Relationship.objects.none(),
        required=False,
        help_text=_("Sukupuuhun kirjattu suhde."),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["revises"], Hypothesis.objects.filter(family=family, status=Hypothesis.Status.ACTIVE))
        offer(self.fields["relationship"], Relationship.objects.filter(family=family).select_related("first__person", "second__person"))
        self.fields["relationship"].label_from_instance = relationship_label


class StepForm(forms.Form):
    what = forms.CharField(label=_("mitä"), max_length=500)
    owner = forms.ModelChoiceField(label=_("kuka"), queryset=None)
    due_on = forms.DateField(label=_("mihin mennessä"), widget=DateInput())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["owner"], members, shared=True)
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=7)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStep.Status.choices)


class AttendanceForm(forms.Form):
    """Who was there, with no typing: each team member pre-listed with their role (a checkbox and the
    role they had in this meeting), and per agenda item whether the family and a partner took part."""

    def __init__(self, *args, roster, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster, self.items = roster, items
        for row in roster:
            name = str(row.user)
            self.fields[f"present_{row.user.pk}"] = forms.BooleanField(label=name, required=False, initial=row.attended_role is not None)
            self.fields[f"role_{row.user.pk}"] = forms.ChoiceField(
                label=_("Rooli kokouksessa: %(name)s") % {"name": name}, choices=Attendance.Role.choices, initial=row.role
            )
        for item in items:
            self.fields[f"family_{item.pk}"] = forms.BooleanField(
                label=_("Perhe paikalla: %(name)s") % {"name": item.family.name}, required=False, initial=item.family_attended
            )
            self.fields[f"partner_{item.pk}"] = forms.BooleanField(
                label=_("Yhteistyökumppani paikalla: %(name)s") % {"name": item.family.name},
                required=False,
                initial=item.partner_attended,
            )

    def member_rows(self):
        for row in self.roster:
            yield row, self[f"present_{row.user.pk}"], self[f"role_{row.user.pk}"]

    def item_rows(self):
        for item in self.items:
            yield item, self[f"family_{item.pk}"], self[f"partner_{item.pk}"]

    def attendance(self) -> dict:
        """Keyword arguments for services.attendance_record."""
        data = self.cleaned_data
        return {
            "present": {row.user.pk: data[f"role_{row.user.pk}"] for row in self.roster if data[f"present_{row.user.pk}"]},
            "family_attended": {item.pk for item in self.items if data[f"family_{item.pk}"]},
            "partner_attended": {item.pk for item in self.items if data[f"partner_{item.pk}"]},
        }
