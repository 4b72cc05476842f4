import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.clients.forms import DateInput
from apps.core import merge
from apps.core.choice_fields import offer

from .models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep, ProposalReason
from .services import MAX_MINUTES, MEETING_HORIZON, MIN_MINUTES, minutes_message


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


class MergeFields:
    """Hidden fields of a form over shared state (apps/core/merge.py): the version it was read at,
    each field's value as read (`base_<field>`), the conflicts shown (`open_conflict`) and the
    person's choice for one of them (`resolve_<field>`: a button's value)."""

    merge_names: tuple = ()
    text_names: tuple = ()  # fields whose two versions can also be kept both

    def add_merge_fields(self, names, *, version: int, stored: dict | None = None, conflicts=()):
        self.merge_names = tuple(names)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, initial=version)
        for name in self.merge_names:
            base = merge.key(stored[name]) if stored is not None else ""
            self.fields[f"base_{name}"] = forms.CharField(required=False, strip=False, widget=forms.HiddenInput, initial=base)
            choices = merge.RESOLUTIONS if name in self.text_names else (merge.MINE, merge.THEIRS)
            self.fields[f"resolve_{name}"] = forms.ChoiceField(choices=[(c, c) for c in choices], required=False, widget=forms.HiddenInput)
        self.fields["open_conflict"] = forms.MultipleChoiceField(
            choices=[(n, n) for n in self.merge_names], required=False, widget=forms.MultipleHiddenInput, initial=list(conflicts)
        )

    def merge_args(self) -> dict:
        """Keyword arguments for a merging service: version, base, resolve, pending."""
        data = self.cleaned_data
        return {
            "version": data["version"],
            "base": {n: merge.text(data[f"base_{n}"]) for n in self.merge_names if f"base_{n}" in self.data},
            "resolve": {n: data[f"resolve_{n}"] for n in self.merge_names if data.get(f"resolve_{n}")},
            "pending": set(data["open_conflict"]),
        }

    def base_field(self, name):
        return self[f"base_{name}"]

    def hidden_fields(self):
        """The version and the bases. A choice is a button's value and the conflicts shown are
        carried by their panels (meetings/_conflicts.html): an empty hidden twin would hide them."""
        return [f for f in super().hidden_fields() if not f.name.startswith("resolve_") and f.name != "open_conflict"]


class AgendaItemForm(MergeFields, forms.ModelForm):
    """An agenda item's details. Shared state: carries its version and base values."""

    text_names = ("question",)

    class Meta:
        model = AgendaItem
        fields = ["presenter", "question", "planned_minutes", "family_invited", "family_attended", "partner_attended"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, members, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["presenter"], members, shared=True)
        # Checked here too, not only by the browser: 30,000 minutes once pushed every later item's
        # clock time round the day.
        minutes = self.fields["planned_minutes"]
        minutes.min_value, minutes.max_value = MIN_MINUTES, MAX_MINUTES
        minutes.validators += [MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)]
        minutes.widget.attrs.update(min=MIN_MINUTES, max=MAX_MINUTES)
        item = self.instance
        stored = {name: getattr(item, name) for name in self._meta.fields} if item.pk else None
        self.add_merge_fields(self._meta.fields, version=item.version, stored=stored, conflicts=conflicts)

    def clean(self):
        data = super().clean()
        if data.get("family_attended"):
            data["family_invited"] = True  # a family that was there had been invited
        return data

    def _post_clean(self):
        pass  # saved through services.agenda_item_update, merged with what others saved

    def mine(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.merge_names}

    def detail_fields(self):
        return [self[name] for name in self.merge_names]


class RecordForm(MergeFields, forms.ModelForm):
    """The record of a discussion. A POST may carry only some of its fields (the others are left
    as they are); each carries its base, so the server merges it with what others saved."""

    text_names = AgendaItem.RECORD_FIELDS

    class Meta:
        model = AgendaItem
        fields = list(AgendaItem.RECORD_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in AgendaItem.RECORD_FIELDS}

    def __init__(self, *args, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            for name in AgendaItem.RECORD_FIELDS:
                if name not in self.data:
                    del self.fields[name]
        for name in AgendaItem.RECORD_FIELDS:
            if name in self.fields:
                self.fields[name].strip = False  # exactly as typed: the merge compares texts
        item = self.instance
        stored = {name: getattr(item, name) for name in AgendaItem.RECORD_FIELDS} if item.pk else None
        self.add_merge_fields(AgendaItem.RECORD_FIELDS, version=item.version, stored=stored, conflicts=conflicts)

    def clean(self):
        data = super().clean()
        for name in AgendaItem.RECORD_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = merge.text(data[name])
        return data

    def _post_clean(self):
        pass  # saved through services.record_merge, merged with what others saved

    def mine(self) -> dict:
        return {name: self.cleaned_data[name] for name in AgendaItem.RECORD_FIELDS if name in self.fields}


class HypothesisForm(forms.Form):
    text = forms.CharField(label=_("hypoteesi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    perspective = forms.CharField(label=_("kenen näkökulmasta"), max_length=100, help_text=_("esim. lapsi, äiti, isä, koulu, työntekijä"))
    revises = forms.ModelChoiceField(label=_("muotoilee uudelleen"), queryset=Hypothesis.objects.none(), required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["revises"], Hypothesis.objects.filter(family=family, status=Hypothesis.Status.ACTIVE))


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


class HypothesisStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in (Hypothesis.Status.ACTIVE, Hypothesis.Status.DROPPED)])


class TimerForm(forms.Form):
    run = forms.ChoiceField(choices=[("start", _("aloita")), ("stop", _("lopeta"))])


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("ylös")), ("down", _("alas"))])


class AgendaAddForm(forms.Form):
    """A family of the meeting's team to the agenda, with the reasons Systeemi proposed it for."""

    family = forms.ModelChoiceField(queryset=None, error_messages={"invalid_choice": _("Perhettä ei löytynyt tämän tiimin perheistä.")})
    reason = forms.MultipleChoiceField(choices=ProposalReason.choices, required=False)

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families


class ScheduleForm(forms.Form):
    """Planned minutes per agenda item (`minutes_<item>`); an item left out keeps its time."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"minutes_{item.pk}"] = forms.IntegerField(
                label=_("Aikaa (%(name)s)") % {"name": item.family.name},
                required=False,
                min_value=MIN_MINUTES,
                max_value=MAX_MINUTES,
                initial=item.planned_minutes,
                error_messages={
                    "min_value": minutes_message(),
                    "max_value": minutes_message(),
                    "invalid": _("Käsittelyajan on oltava kokonaisluku minuutteina."),
                },
            )

    def minutes(self) -> dict[int, int]:
        return {item.pk: value for item in self.items if (value := self.cleaned_data.get(f"minutes_{item.pk}")) is not None}

    def minutes_field(self, item):
        return self[f"minutes_{item.pk}"]


class AttendanceForm(MergeFields, forms.Form):
    """Who was there, with no typing: each team member pre-listed with their role (a checkbox and the
    role they had in this meeting), and per agenda item whether the family and a partner took part.
    Shared state: merged entry by entry (services.attendance_of names the entries)."""

    def __init__(self, *args, roster, items, version: int, stored: dict, shown: dict | None = None, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roster, self.items = roster, items
        shown = {**stored, **(shown or {})}  # what the form shows: stored, or mine where it conflicts
        for row in roster:
            name, role = str(row.user), shown.get(f"present_{row.user.pk}", "")
            self.fields[f"present_{row.user.pk}"] = forms.BooleanField(label=name, required=False, initial=bool(role))
            self.fields[f"role_{row.user.pk}"] = forms.ChoiceField(
                label=_("Rooli kokouksessa: %(name)s") % {"name": name}, choices=Attendance.Role.choices, initial=role or row.default_role
            )
        for item in items:
            self.fields[f"family_{item.pk}"] = forms.BooleanField(
                label=_("Perhe paikalla: %(name)s") % {"name": item.family.name}, required=False, initial=shown[f"family_{item.pk}"]
            )
            self.fields[f"partner_{item.pk}"] = forms.BooleanField(
                label=_("Yhteistyökumppani paikalla: %(name)s") % {"name": item.family.name},
                required=False,
                initial=shown[f"partner_{item.pk}"],
            )
        self.add_merge_fields(list(stored), version=version, stored=stored, conflicts=conflicts)

    def member_rows(self):
        for row in self.roster:
            yield row, self[f"present_{row.user.pk}"], self[f"role_{row.user.pk}"], self[f"base_present_{row.user.pk}"]

    def item_rows(self):
        for item in self.items:
            yield (
                item,
                self[f"family_{item.pk}"],
                self[f"partner_{item.pk}"],
                self[f"base_family_{item.pk}"],
                self[f"base_partner_{item.pk}"],
            )

    def mine(self) -> dict:
        """The form's entries, as services.attendance_record takes them."""
        data = self.cleaned_data
        entries = {f"present_{row.user.pk}": data[f"role_{row.user.pk}"] if data[f"present_{row.user.pk}"] else "" for row in self.roster}
        for item in self.items:
            entries[f"family_{item.pk}"] = data[f"family_{item.pk}"]
            entries[f"partner_{item.pk}"] = data[f"partner_{item.pk}"]
        return entries
