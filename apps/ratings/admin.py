"""Administrators load and switch instrument versions; each shows its source and licence terms.

Only instruments are here: ratings are personal data and are read through the logged pages.
"""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SchemaError

from .definitions import Definition
from .models import Instrument


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["active", "definition"]

    def clean_definition(self):
        data = self.cleaned_data["definition"]
        try:
            spec = Definition.model_validate(data)
        except SchemaError as exc:
            raise ValidationError(_("Määrittely ei kelpaa: %(errors)s") % {"errors": exc}) from None
        self.instance.code, self.instance.version, self.instance.kind = spec.code, spec.version, spec.kind
        return spec.model_dump(mode="json")


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    form = InstrumentForm
    list_display = ("code", "version", "kind", "active", "licence")
    list_filter = ("kind", "active")
    readonly_fields = ("source", "licence", "scoring_facts", "loaded_at")
    fields = ("active", "source", "licence", "scoring_facts", "definition", "loaded_at")

    @admin.display(description=_("lähde"))
    def source(self, obj):
        return obj.spec.source if obj.pk else ""

    @admin.display(description=_("lisenssi"))
    def licence(self, obj):
        return obj.spec.licence if obj.pk else ""

    @admin.display(description=_("pisteytyksen faktat"))
    def scoring_facts(self, obj):
        if not obj.pk:
            return ""
        spec = obj.spec
        cutoff_label = _("kliininen raja")
        facts = [(f"{cutoff_label} {c.age_min}–{c.age_max or ''}", c) for c in spec.cutoffs]
        for label, fact in [
            (_("luotettava muutos"), spec.reliable_change),
            (_("odotettu arvioiden määrä"), spec.expected_sessions),
            (_("keskustelun raja, yhteensä"), spec.alert_total_below),
            (_("keskustelun raja, kohta"), spec.alert_item_below),
        ]:
            if fact is not None:
                facts.append((label, fact))
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}: <strong>{}</strong> ({}) – {}</li>", ((lbl, f.value, f.confidence, f.source) for lbl, f in facts)
            ),
        )

    def get_changeform_initial_data(self, request):
        return {"definition": json.dumps({"code": "", "items": []})}
