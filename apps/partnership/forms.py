"""Forms for consents and the shared plan: every field checked here and again by the service, with
messages in the user's language; nothing typed is lost when a form comes back with its errors."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import OrgRole, User
from apps.clients.forms import DateInput
from apps.clients.models import FamilyMember, Relation
from apps.core.choice_fields import offer
from apps.core.dates import RecordDateField, short

from .models import SharedStep, StepOwner
from .services import children_to_hear


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.professional_label


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.first_names} {obj.person.last_name} ({obj.get_relation_display()})"


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.first_names} {obj.person.last_name} ({obj.get_relation_display()})"


def family_members(family):
    return FamilyMember.objects.filter(family=family).select_related("person").order_by("person__birth_date", "id")


class ConsentForm(forms.Form):
    partner = PartnerChoiceField(
        label=gettext_lazy("Yhteistyökumppani"),
        queryset=User.objects.none(),
        help_text=gettext_lazy("Nimetty ammattilainen nimetystä organisaatiosta. Kumppanitunnuksen luo pääkäyttäjä."),
    )
    purpose = forms.CharField(
        label=gettext_lazy("Käyttötarkoitus"), max_length=300, help_text=gettext_lazy("Esim. koulunkäynnin tuki oppilashuollossa.")
    )
    ecomap = forms.BooleanField(label=gettext_lazy("Kumppani saa nähdä myös perheen ekokartan"), required=False)
    valid_from = forms.DateField(label=gettext_lazy("Voimassa alkaen"), widget=DateInput())
    valid_until = forms.DateField(
        label=gettext_lazy("Voimassa asti"), widget=DateInput(), help_text=gettext_lazy("Viimeinen päivä, jona suostumus on voimassa.")
    )
    givers = MembersField(
        label=gettext_lazy("Kuka perheestä antoi suostumuksen"), queryset=FamilyMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["valid_from"].initial = timezone.localdate()
        offer(
            self.fields["partner"],
            User.objects.filter(county_id=family.county_id, org_role=OrgRole.PARTNER, is_active=True).order_by("last_name", "first_name"),
        )
        members = family_members(family)
        offer(self.fields["givers"], members, shared=True)
        self.children = [m for m in members if m.relation == Relation.CHILD]
        heard = {m.pk for m in children_to_hear(members, timezone.localdate())}
        for child in self.children:
            self.fields[f"child_view_{child.pk}"] = forms.CharField(
                label=_("%(name)s: oma näkemys") % {"name": child.person.first_names},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Pakollinen 12 vuotta täyttäneelle (lastensuojelulaki 20 § ja 21 §).")
                if child.pk in heard
                else _("Kirjaa, jos lapsen näkemys on kuultu."),
            )

    def clean(self):
        data = super().clean()
        start = data.get("valid_from") or timezone.localdate()
        for child in children_to_hear(self.children, start):
            name = f"child_view_{child.pk}"
            if not (data.get(name) or "").strip():
                self.add_error(name, _("Kirjaa lapsen oma näkemys: hän on täyttänyt 12 vuotta."))
        if data.get("valid_until") and data["valid_until"] < timezone.localdate():
            self.add_error("valid_until", _("Suostumus ei voi päättyä menneisyydessä. Valitse päivä tästä eteenpäin."))
        return data

    def child_views(self) -> dict[int, str]:
        return {child.pk: self.cleaned_data.get(f"child_view_{child.pk}", "") for child in self.children}


class WithdrawForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Perumisen syy tai kuka perui"), max_length=300, required=False)


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    goals = forms.CharField(
        label=gettext_lazy("Perheen tavoitteet omin sanoin"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Kirjaa perheen omat sanat, ei ammattikieltä."),
    )
    family_part = forms.CharField(
        label=gettext_lazy("Mitä perhe tekee"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    team_part = forms.CharField(
        label=gettext_lazy("Mitä tiimi tekee"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_on = forms.DateField(label=gettext_lazy("Seuraava tarkistus"), required=False, widget=DateInput())
    change_note = forms.CharField(label=gettext_lazy("Mitä muuttui (näkyy versiohistoriassa)"), max_length=300, required=False)

    def __init__(self, *args, partners, parts, **kwargs):
        """`partners`: partners with the family's consent in force; `parts`: the current version's
        partner parts (a partner whose consent has ended keeps theirs, read-only)."""
        super().__init__(*args, **kwargs)
        self.partner_fields = []
        labels = {p["partner_id"]: p["label"] for p in parts}
        ids = [p.pk for p in partners] + [pid for pid in labels if pid not in {p.pk for p in partners}]
        for partner_id in ids:
            partner = next((p for p in partners if p.pk == partner_id), None)
            label = partner.professional_label if partner else labels[partner_id]
            name = f"partner_{partner_id}"
            self.fields[name] = forms.CharField(
                label=_("Mitä %(who)s tekee") % {"who": label},
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "readonly": partner is None}),
                help_text=None if partner else _("Suostumus on päättynyt: osuus säilyy sellaisena kuin se kirjattiin."),
            )
            self.partner_fields.append((partner_id, name))
        self.order_fields(
            ["version", "goals", "family_part", "team_part", *[n for _pid, n in self.partner_fields], "review_on", "change_note"]
        )

    def partner_parts(self) -> dict[int, str]:
        return {pid: self.cleaned_data.get(name, "") for pid, name in self.partner_fields}


class StepForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("Mitä"), max_length=500)
    owner = forms.ChoiceField(label=gettext_lazy("Kuka"))
    due_on = forms.DateField(label=gettext_lazy("Mihin mennessä"), widget=DateInput())

    def __init__(self, *args, team_members, family_members, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self._owners = {}
        groups = []
        for kind, label, people, name in (
            (StepOwner.FAMILY, _("Perhe"), family_members, lambda m: f"{m.person.first_names} ({m.get_relation_display()})"),
            (StepOwner.TEAM, _("Tiimi"), team_members, str),
            (StepOwner.PARTNER, _("Yhteistyökumppanit (suostumus voimassa)"), partners, lambda u: u.professional_label),
        ):
            options = []
            for obj in people:
                key = f"{kind}:{obj.pk}"
                self._owners[key] = (kind, obj)
                options.append((key, name(obj)))
            if options:
                groups.append((label, options))
        self.fields["owner"].choices = [("", "---------"), *groups]

    def clean_owner(self):
        key = self.cleaned_data["owner"]
        if key not in self._owners:
            raise forms.ValidationError(_("Valitse, kuka askeleen tekee."))
        return key

    def owner_kwargs(self) -> dict:
        kind, obj = self._owners[self.cleaned_data["owner"]]
        return {"owner_kind": kind, "owner_member" if kind == StepOwner.FAMILY else "owner_user": obj}


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Tila"), choices=SharedStep.Status.choices)
    note = forms.CharField(label=gettext_lazy("Lyhyt huomio työntekijälle"), max_length=500, required=False)


class PartnerStepForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Lyhyt huomio työntekijälle"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Esim. mitä sovittiin. Ei terveystietoja tai muita arkaluonteisia yksityiskohtia."),
    )


class AgreementForm(forms.Form):
    member = MemberChoiceField(label=gettext_lazy("Perheenjäsen"), queryset=FamilyMember.objects.none())
    agreed = forms.TypedChoiceField(
        label=gettext_lazy("Hyväksyykö suunnitelman"),
        choices=[("yes", gettext_lazy("hyväksyy")), ("no", gettext_lazy("ei hyväksy"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    agreed_on = RecordDateField(label=gettext_lazy("Päivä"), widget=DateInput())
    disagreement = forms.CharField(
        label=gettext_lazy("Mistä on eri mieltä"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Perheenjäsenen omin sanoin. Voi hyväksyä suunnitelman ja olla silti osasta eri mieltä."),
    )

    def __init__(self, *args, family, members=None, **kwargs):
        """`members`: the family's members already read (the access's), shown without reading them again."""
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()
        offer(self.fields["member"], family_members(family))
        if members is not None:
            self.fields["member"].shared_options = members

    def clean(self):
        data = super().clean()
        if data.get("agreed") is False and not (data.get("disagreement") or "").strip():
            self.add_error("disagreement", _("Kirjaa, mistä perheenjäsen on eri mieltä."))
        return data


# ---- the joint assessment ----------------------------------------------------------------------


class JointCreateForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Arvioinnin nimi"),
        max_length=200,
        required=False,
        help_text=gettext_lazy('Esim. "Yhdessä-arviointi ennen asiakassuunnitelmaa". Tyhjä: päivämäärä.'),
    )


class JointAnswerForm(forms.Form):
    """The worker types in one participant's marks: a family member's paper form, their own view, or
    a consented partner's as the partner gave it."""

    participant = forms.ChoiceField(label=gettext_lazy("Kenen näkemys"))

    def __init__(self, *args, qset, members, me, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.qset = qset
        self._participants = {f"user:{me.pk}": ("user", me)}
        family = []
        for m in members:
            self._participants[f"member:{m.pk}"] = ("member", m)
            family.append((f"member:{m.pk}", f"{m.person.first_names} ({m.get_relation_display()})"))
        others = []
        for p in partners:
            self._participants[f"user:{p.pk}"] = ("user", p)
            others.append((f"user:{p.pk}", p.professional_label))
        self.fields["participant"].choices = [
            ("", "---------"),
            (_("Minä"), [(f"user:{me.pk}", _("Oma näkemykseni (%(name)s)") % {"name": me})]),
            (_("Perhe"), family),
            *([(_("Yhteistyökumppanit (suostumus voimassa)"), others)] if others else []),
        ]
        choices = [(str(v), f"{v} – {qset.scale.words[str(v)]}") for v in qset.scale.values]
        for area in qset.areas:
            self.fields[f"mark_{area.key}"] = forms.ChoiceField(
                label=str(area.label), choices=[("", _("ei arviota")), *choices], required=False, help_text=str(area.adult)
            )
            self.fields[f"words_{area.key}"] = forms.CharField(
                label=_("%(area)s: omin sanoin") % {"area": area.label},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_participant(self):
        key = self.cleaned_data["participant"]
        if key not in self._participants:
            raise forms.ValidationError(_("Valitse, kenen näkemys tämä on."))
        return key

    def participant_kwargs(self) -> dict:
        kind, obj = self._participants[self.cleaned_data["participant"]]
        return {kind: obj}

    def marks(self) -> dict:
        return {a.key: self.cleaned_data.get(f"mark_{a.key}") for a in self.qset.areas}

    def words(self) -> dict:
        return {a.key: self.cleaned_data.get(f"words_{a.key}", "") for a in self.qset.areas}


class JointLinkForm(forms.Form):
    member = forms.ChoiceField(
        label=gettext_lazy("Kenelle linkki"),
        help_text=gettext_lazy("Linkki toimii kerran ja vanhenee vuorokaudessa. Sivulla ei näy nimiä."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "---------")] + [
            (str(m.pk), f"{m.person.first_names} ({m.get_relation_display()})") for m in members
        ]


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=gettext_lazy("Yhteinen johtopäätös"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Kirjoitetaan perheen kanssa: mistä olemme samaa mieltä, mistä eri mieltä, mitä seuraavaksi."),
    )


# ---- handover at closure ---------------------------------------------------------------------------


class RelationshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(child)s, päättynyt %(day)s") % {"child": obj.child.first_names, "day": short(obj.closed_on)}


class HandoverDraftForm(forms.Form):
    relationship = RelationshipChoiceField(label=gettext_lazy("Päättynyt asiakkuus"), queryset=FamilyMember.objects.none())

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.clients.models import ClientRelationship

        offer(
            self.fields["relationship"],
            ClientRelationship.objects.filter(family=family, closed_on__isnull=False).select_related("child").order_by("-closed_on"),
        )


class HandoverForm(forms.Form):
    what_helped = forms.CharField(
        label=gettext_lazy("Mikä auttoi"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_to_watch = forms.CharField(
        label=gettext_lazy("Mihin kannattaa kiinnittää huomiota"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contacts = forms.CharField(
        label=gettext_lazy("Keneen ottaa yhteyttä"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    family_words = forms.CharField(
        label=gettext_lazy("Perheen omin sanoin"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Perheen omat sanat: mitä he haluavat jatkossa tuelta."),
    )
    open_steps = forms.CharField(
        label=gettext_lazy("Yhteisen suunnitelman avoimet askeleet"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandoverShareForm(forms.Form):
    recipient = PartnerChoiceField(
        label=gettext_lazy("Jaa yhteistyökumppanille"),
        queryset=User.objects.none(),
        help_text=gettext_lazy("Vain kumppanit, joilla on perheen voimassa oleva suostumus. Jakaminen kirjataan luovutuslokiin."),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["recipient"], User.objects.filter(pk__in=[p.pk for p in partners]).order_by("last_name", "first_name"))


# ---- feedback to the notifier --------------------------------------------------------------------


class NotificationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        who = obj.notifier_name or obj.get_notifier_type_display()
        return _("%(day)s: %(who)s (%(child)s)") % {
            "day": short(obj.received_on),
            "who": who,
            "child": obj.child.first_names,
        }


class NotifierFeedbackForm(forms.Form):
    notification = NotificationChoiceField(label=gettext_lazy("Ilmoitus"), queryset=FamilyMember.objects.none())
    told_on = RecordDateField(label=gettext_lazy("Kerrottu"), widget=DateInput())
    how = forms.CharField(label=gettext_lazy("Miten kerrottu"), max_length=200, help_text=gettext_lazy("Esim. puhelimitse, kirjeellä."))
    basis = forms.ChoiceField(
        label=gettext_lazy("Peruste"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Ilman perheen suostumusta ilmoittajalle voi kertoa vain, että ilmoitus on vastaanotettu ja asia on käsittelyssä."
        ),
    )
    message = forms.CharField(
        label=gettext_lazy("Mitä ilmoittajalle kerrottiin"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    givers = MembersField(
        label=gettext_lazy("Kuka perheestä antoi suostumuksen"),
        queryset=FamilyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Vain, jos ilmoittajalle kerrottiin enemmän perheen suostumuksella."),
    )

    def __init__(self, *args, family, notifications, **kwargs):
        from .models import NotifierFeedback

        super().__init__(*args, **kwargs)
        self.fields["told_on"].initial = timezone.localdate()
        self.fields["basis"].choices = NotifierFeedback.Basis.choices
        offer(self.fields["notification"], notifications)
        offer(self.fields["givers"], family_members(family), shared=True)


# ---- peer groups ---------------------------------------------------------------------------------


class PeerGroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Ryhmän nimi"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Laji"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from .models import PeerGroup

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PeerGroup.Kind.choices


class PeerInviteForm(forms.Form):
    member = MemberChoiceField(label=gettext_lazy("Kutsuttava"), queryset=FamilyMember.objects.none())
    contact = forms.CharField(
        label=gettext_lazy("Yhteystieto, johon kutsun saa lähettää"),
        max_length=200,
        help_text=gettext_lazy(
            "Vain yhteystieto, jonka henkilö on itse antanut tähän tarkoitukseen: sähköpostiosoite (kutsu lähtee heti) "
            "tai puhelinnumero (saat kutsun tekstin luettavaksi tai lähetettäväksi)."
        ),
    )
    consent_on = RecordDateField(label=gettext_lazy("Suostui yhteydenpitoon"), widget=DateInput())
    language = forms.ChoiceField(label=gettext_lazy("Kutsun kieli"), choices=settings.LANGUAGES, initial="fi")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_on"].initial = timezone.localdate()
        offer(self.fields["member"], FamilyMember.objects.filter(pk__in=[m.pk for m in candidates]).select_related("person"))

    def clean_contact(self):
        from .invitations import contact_channel, tidy_contact

        contact = self.cleaned_data["contact"]
        try:
            contact_channel(contact)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["contact"]) from None
        return tidy_contact(contact)


class PeerMemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member.person.first_names} {obj.member.person.last_name}"


def group_members(group):
    """The group's members in name order: one queryset the page's member choices share."""
    return group.members.select_related("member__person").order_by("member__person__last_name", "member__person__first_names", "id")


class PeerMeetingForm(forms.Form):
    held_on = RecordDateField(label=gettext_lazy("Päivä"), widget=DateInput())
    topic = forms.CharField(label=gettext_lazy("Aihe"), max_length=300, required=False)
    attendees = PeerMemberField(
        label=gettext_lazy("Paikalla"), queryset=FamilyMember.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, group, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        offer(self.fields["attendees"], group_members(group) if members is None else members, shared=True)


class PeerPlanForm(forms.Form):
    group_plan = forms.CharField(
        label=gettext_lazy("Ryhmän oma suunnitelma"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Ryhmän omin sanoin: mitä haluamme tehdä yhdessä ja milloin."),
    )
    next_meeting_on = forms.DateField(
        label=gettext_lazy("Seuraava tapaaminen"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Kun ryhmä on sopinut päivän, kutsut kertovat sen."),
    )


class PeerContributionForm(forms.Form):
    made_on = RecordDateField(label=gettext_lazy("Päivä"), widget=DateInput())
    purpose = forms.CharField(
        label=gettext_lazy("Mihin kehittämistyöhön"),
        max_length=200,
        help_text=gettext_lazy("Esimerkiksi perheen sivun selkokieli tai tiimikokouksen käytännöt."),
    )
    text = forms.CharField(label=gettext_lazy("Panos omin sanoin"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    contributors = PeerMemberField(
        label=gettext_lazy("Kuka antoi panoksen"), queryset=FamilyMember.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    by_group = forms.BooleanField(label=gettext_lazy("Koko ryhmä yhdessä"), required=False)
    named = PeerMemberField(
        label=gettext_lazy("Saa mainita nimellä"),
        queryset=FamilyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Vain, jos henkilö on itse suostunut siihen, että panos esitetään hänen nimellään. "
            "Muuten hänet mainitaan vain kokemusasiantuntijana."
        ),
    )

    def __init__(self, *args, group, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["made_on"].initial = timezone.localdate()
        members = group_members(group) if members is None else members
        offer(self.fields["contributors"], members, shared=True)
        offer(self.fields["named"], members, shared=True)
