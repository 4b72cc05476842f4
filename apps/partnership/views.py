"""The shared plan and consents for the team; the partner professional's own pages.

The team's pages open the plan through the family rule and admit only the team; the partner's pages
admit only a partner with the family's active consent. Anyone else gets 404 on both.
"""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import ALL, is_ratelimited

from apps.access.gate import open_team
from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.audit.ledger import shows_record
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.clients.access import open_family, record_of
from apps.core.flow import saved
from apps.core.marks import changes_personal_data, personal_data, public, team_page
from apps.meetings.models import AgendaItem
from apps.network import selectors as network_selectors
from apps.network.drawings import ecomap_drawing
from apps.organisations.models import Membership

from . import questions, selectors, services
from .access import (
    PARTNER,
    TEAM,
    consented_scopes,
    disclose_to_partner,
    open_partner_ecomap,
    open_partner_handover,
    open_partner_home,
    open_peer_group,
    open_shared_plan,
    open_step,
    peer_member_of,
    show_partner_ecomap,
)
from .forms import (
    AgreementForm,
    ConclusionForm,
    ConsentForm,
    HandoverDraftForm,
    HandoverForm,
    HandoverShareForm,
    JointAnswerForm,
    JointCreateForm,
    JointLinkForm,
    NotifierFeedbackForm,
    PartnerStepForm,
    PeerContributionForm,
    PeerGroupForm,
    PeerInviteForm,
    PeerMeetingForm,
    PeerPlanForm,
    PlanForm,
    StepForm,
    StepStatusForm,
    WithdrawForm,
    family_members,
    group_members,
)
from .models import (
    Consent,
    HandoverSummary,
    InvitationChannel,
    JointAssessment,
    JointLink,
    NotifierFeedback,
    PeerGroup,
    PlanVersion,
    SharedStep,
)


def _team_members(family):
    return (
        User.objects.filter(memberships__in=Membership.objects.active().filter(team_id=family.team_id))
        .distinct()
        .order_by("last_name", "first_name")
    )


def _plan_context(access, page, *, plan_form=None, step_form=None, agreement_form=None, conflict=None):
    family = access.family
    partners = selectors.consented_partners(family)
    version = page.version
    can_edit = access.can(Perm.SHARED_PLAN_EDIT)
    if plan_form is None:
        initial = {"version": page.plan.version}
        if version:
            initial.update({name: getattr(version, name) for name in ("goals", "family_part", "team_part", "review_on")})
            initial.update({f"partner_{p['partner_id']}": p["text"] for p in version.partner_parts})
        plan_form = PlanForm(initial=initial, partners=partners, parts=version.partner_parts if version else [])
    members = list(access.members)
    return {
        "family": family,
        "plan": page.plan,
        "version": version,
        "steps": page.steps,
        "agreements": page.agreements,
        "current_agreements": [a for a in page.agreements if a.version == page.plan.version],
        "partners": partners,
        "can_edit": can_edit,
        "can_consent": access.can(Perm.CONSENT_MANAGE),
        "plan_form": plan_form,
        "step_form": step_form or StepForm(team_members=_team_members(family), family_members=members, partners=partners),
        "agreement_form": agreement_form or AgreementForm(family=family, members=members),
        "liftable": services.liftable_steps(family, page.plan) if can_edit else [],
        "conflict": conflict,
        "step_statuses": SharedStep.Status.choices,
    }


@personal_data
@login_required
def shared_plan(request, family_id):
    """The team's page of the family's shared plan: read, edit (new version), steps, agreement."""
    access = open_shared_plan(request.user, family_id=family_id, side=TEAM)
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        access.require(Perm.SHARED_PLAN_EDIT)
    family = access.family
    done = None
    forms = {}
    conflict = None
    if action == "plan":
        page = selectors.plan_page(access.resource)
        partners = selectors.consented_partners(family)
        form = PlanForm(request.POST, partners=partners, parts=page.version.partner_parts if page.version else [])
        forms["plan_form"] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.plan_save(
                    access=access,
                    base_version=data["version"],
                    goals=data["goals"],
                    family_part=data["family_part"],
                    team_part=data["team_part"],
                    partner_parts=form.partner_parts(),
                    review_on=data["review_on"],
                    change_note=data["change_note"],
                )
                messages.success(request, _("Suunnitelma tallennettu (versio %(n)s).") % {"n": done.number})
            except services.PlanConflict as exc:
                conflict = exc.current
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
    elif action == "step":
        form = StepForm(
            request.POST,
            team_members=_team_members(family),
            family_members=family_members(family),
            partners=selectors.consented_partners(family),
        )
        forms["step_form"] = form
        done = saved(
            request,
            form,
            lambda: services.step_add(
                access=access, what=form.cleaned_data["what"], due_on=form.cleaned_data["due_on"], **form.owner_kwargs()
            ),
            _("Askel lisätty suunnitelmaan."),
        )
    elif action == "lift":
        item_id = request.POST.get("item", "")
        item = AgendaItem.objects.filter(family=family, pk=item_id).select_related("meeting").first() if item_id.isdigit() else None
        if item is None:
            raise Http404
        try:
            lifted = services.steps_lift(access=access, item=item)
            done = True
            messages.success(request, _("%(n)s askelta nostettu tiimikokouksesta suunnitelmaan.") % {"n": len(lifted)})
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            done = True
    elif action == "step_status":
        step = record_of(access, SharedStep.objects.filter(plan_id=access.resource.pk), request.POST.get("step", ""))
        form = StepStatusForm(request.POST)
        if not form.is_valid():
            raise Http404
        done = services.step_set_status(access=access, step=step, status=form.cleaned_data["status"], note=form.cleaned_data["note"])
        messages.success(request, _("Askeleen tila päivitetty."))
    elif action == "agreement":
        form = AgreementForm(request.POST, family=family)
        forms["agreement_form"] = form
        done = saved(
            request,
            form,
            lambda: services.agreement_record(
                access=access,
                member=form.cleaned_data["member"],
                agreed=form.cleaned_data["agreed"],
                agreed_on=form.cleaned_data["agreed_on"],
                disagreement=form.cleaned_data["disagreement"],
            ),
            _("Perheen hyväksyntä kirjattu."),
        )
    elif action:
        raise Http404
    if done:
        return redirect(f"{request.path}#{request.POST.get('anchor', 'plan')}")
    page = selectors.plan_page(access.resource)
    context = _plan_context(access, page, conflict=conflict, **forms)
    status = 409 if conflict else (400 if action else 200)
    return shows_record(render(request, "partnership/shared_plan.html", context, status=status))


@personal_data
@login_required
@require_safe
def shared_plan_versions(request, family_id):
    """Every saved version, and what changed between two of them."""
    access = open_shared_plan(request.user, family_id=family_id, side=TEAM)
    plan = access.resource
    versions = list(PlanVersion.objects.filter(plan=plan).select_related("saved_by").order_by("-number")) if plan.pk else []
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        value = request.GET.get(name, "")
        return by_number.get(int(value)) if value.isdigit() and int(value) in by_number else default

    newer = pick("b", versions[0] if versions else None)
    older = pick("a", by_number.get(newer.number - 1) if newer else None)
    if older and newer and older.number > newer.number:
        older, newer = newer, older
    context = {
        "family": access.family,
        "plan": plan,
        "versions": versions,
        "older": older,
        "newer": newer,
        "diff": selectors.version_diff(older, newer) if newer else [],
    }
    return render(request, "partnership/versions.html", context)


def _family_language(request):
    lang = request.GET.get("lang")
    return lang if lang in dict(settings.LANGUAGES) else None


@personal_data
@login_required
@require_safe
def shared_plan_family(request, family_id):
    """The family's plain-language version, as a page and as a PDF in Finnish, Swedish or English."""
    access = open_shared_plan(request.user, family_id=family_id, side=TEAM)
    page = selectors.plan_page(access.resource)
    lang = _family_language(request)
    context = {
        "family": access.family,
        "plan": page.plan,
        "version": page.version,
        "steps": [s for s in page.steps if s.status != SharedStep.Status.CANCELLED],
        "agreements": [a for a in page.agreements if a.version == page.plan.version],
        "lang": lang or translation.get_language(),
    }
    if request.GET.get("format") != "pdf":
        with translation.override(lang or translation.get_language()):
            return render(request, "partnership/family_plan.html", context)
    if page.version is None:
        messages.error(request, _("Tallenna suunnitelma ennen kuin teet siitä PDF:n perheelle."))
        return redirect("shared-plan", family_id=access.family.pk)
    from weasyprint import HTML

    with translation.override(lang or translation.get_language()):
        html = render_to_string("partnership/family_plan.html", {**context, "pdf": True}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    access.disclosed(
        [Subject(access.family.pk, m.person_id) for m in access.members],
        recipient=_("asiakasperhe"),
        legal_basis=_("Asiakkaan oikeus saada tieto itseään koskevista asiakirjoista (yhteinen suunnitelma)"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="yhteinen-suunnitelma-v{page.version.number}.pdf"'
    return response


@personal_data
@login_required
def consents(request, family_id):
    """The family's consents to share with partners, and the form to record a new one."""
    access = open_family(request.user, family_id)
    family = access.family
    form = ConsentForm(request.POST or None, family=family)
    if request.method == "POST":
        access.require(Perm.CONSENT_MANAGE)
    call = lambda: services.consent_record(  # noqa: E731
        access=access,
        partner=form.cleaned_data["partner"],
        purpose=form.cleaned_data["purpose"],
        valid_from=form.cleaned_data["valid_from"],
        valid_until=form.cleaned_data["valid_until"],
        givers=form.cleaned_data["givers"],
        child_views=form.child_views(),
        ecomap=form.cleaned_data["ecomap"],
    )
    if saved(request, form, call, _("Suostumus kirjattu. Kumppani näkee nyt perheen yhteisen suunnitelman.")):
        return redirect("consents", family_id=family.pk)
    context = {
        "family": family,
        "consents": selectors.family_consents(family),
        "form": form,
        "withdraw_form": WithdrawForm(),
        "can_consent": access.can(Perm.CONSENT_MANAGE),
    }
    return shows_record(render(request, "partnership/consents.html", context, status=400 if form.errors else 200))


@changes_personal_data
@login_required
@require_POST
def consent_withdraw(request, family_id, consent_id):
    access = open_family(request.user, family_id, need=Perm.CONSENT_MANAGE)
    consent = record_of(access, Consent.objects.select_related("partner"), consent_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(access=access, consent=consent, note=form.cleaned_data["note"])
            messages.success(request, _("Suostumus peruttu. Kumppanin pääsy suunnitelmaan päättyi."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    return redirect("consents", family_id=access.family.pk)


# ---- the partner's pages -------------------------------------------------------------------------


@personal_data
@login_required
@require_safe
def partner_home(request):
    """A partner's home: the shared plans of the families whose consent is in force today."""
    access = open_partner_home(request.user)
    rows = selectors.partner_plans(request.user)
    shared = selectors.partner_handovers(request.user, [row["family"].pk for row in rows])
    access.families_listed(row["family"].pk for row in rows)
    return render(request, "partnership/partner_home.html", {"rows": rows, "handovers": shared})


@personal_data
@login_required
@require_safe
def partner_plan(request, plan_id):
    """The shared plan as the partner sees it: the family's goals, the family's and team's parts and
    steps, their own part and steps (never another partner's)."""
    access = open_shared_plan(request.user, plan_id=plan_id, side=PARTNER)
    return _partner_page(request, access)


def _partner_page(request, access, *, failed_step=None, form=None):
    plan = access.resource.plan if isinstance(access.resource, SharedStep) else access.resource
    page = selectors.plan_page(plan)
    parts, own, others = selectors.partner_view(page, request.user)
    disclose_to_partner(access)
    context = {
        "family": access.family,
        "plan": page.plan,
        "version": page.version,
        "parts": parts,
        "own_steps": own,
        "other_steps": others,
        "failed_step": failed_step,
        "failed_form": form,
        "ecomap_shared": Consent.Scope.ECOMAP in consented_scopes(request.user, access.family.pk),
    }
    response = render(request, "partnership/partner_plan.html", context, status=400 if form is not None else 200)
    return shows_record(response)


@personal_data
@login_required
@require_safe
def partner_ecomap(request, family_id):
    """The family's latest ecomap for a partner professional whose consent includes it: the drawing
    and its text, read-only, with nothing of the team's pages around it."""
    access = open_partner_ecomap(request.user, family_id)
    ecomap = access.resource
    context = {"family": access.family, "ecomap": ecomap}
    if ecomap is not None:
        ties = network_selectors.ecomap_ties(ecomap)
        ecomap._prefetched_objects_cache = {"ties": ties}
        context.update(ecomap_drawing(ecomap, ties))
    show_partner_ecomap(access, [ecomap] if ecomap is not None else [])
    return shows_record(render(request, "partnership/partner_ecomap.html", context))


@changes_personal_data
@login_required
@require_POST
def partner_step_done(request, shared_step_id):
    """A partner marks their own step done (or open again) with a short note for the worker."""
    access = open_step(request.user, shared_step_id, need=Perm.PARTNER_STEP_DONE, side=PARTNER)
    step = access.resource
    form = PartnerStepForm(request.POST)
    status = SharedStep.Status.OPEN if request.POST.get("status") == "open" else SharedStep.Status.DONE
    if not form.is_valid():
        # The note comes back as typed, with what is wrong with it.
        return _partner_page(request, access, failed_step=step.pk, form=form)
    services.step_set_status(access=access, step=step, status=status, note=form.cleaned_data["note"])
    messages.success(request, _("Askel merkitty tehdyksi.") if status == SharedStep.Status.DONE else _("Askel merkitty avoimeksi."))
    return redirect("partner-plan", plan_id=step.plan_id)


# ---- the joint assessment (Yhdessä) ----------------------------------------------------------------

SESSION_TOKENS = "joint_link_tokens"


@personal_data
@login_required
def joint_assessments(request, family_id):
    """The family's joint assessments, and a new one started."""
    access = open_family(request.user, family_id)
    form = JointCreateForm(request.POST or None)
    if request.method == "POST":
        access.require(Perm.FAMILY_EDIT)
    created = saved(
        request, form, lambda: services.joint_create(access=access, title=form.cleaned_data["title"]), _("Yhdessä-arviointi aloitettu.")
    )
    if created:
        return redirect("joint-assessment", family_id=access.family.pk, joint_id=created.pk)
    items = JointAssessment.objects.filter(family=access.family).annotate(answered=Count("answers")).select_related("concluded_by")
    context = {"family": access.family, "items": items, "form": form, "can_edit": access.can(Perm.FAMILY_EDIT)}
    return shows_record(render(request, "partnership/joint_list.html", context, status=400 if form.errors else 200))


@personal_data
@login_required
def joint_assessment(request, family_id, joint_id):
    """The views side by side, the biggest differences marked; answers typed in, one-time links for
    family members' phones, and the shared conclusion."""
    access = open_family(request.user, family_id)
    assessment = record_of(access, JointAssessment.objects.select_related("concluded_by"), joint_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        access.require(Perm.FAMILY_EDIT)
    members = list(access.members)
    partners = selectors.consented_partners(access.family)
    qset = questions.from_snapshot(assessment.question_set)
    answer_form = JointAnswerForm(
        request.POST if action == "answer" else None, qset=qset, members=members, me=request.user, partners=partners
    )
    link_form = JointLinkForm(request.POST if action == "link" else None, members=members)
    conclusion_form = ConclusionForm(request.POST if action == "conclude" else None, initial={"conclusion": assessment.conclusion})
    done = None
    if action == "answer":
        done = saved(
            request,
            answer_form,
            lambda: services.joint_answer_record(
                access=access,
                assessment=assessment,
                marks=answer_form.marks(),
                words=answer_form.words(),
                **answer_form.participant_kwargs(),
            ),
            _("Vastaus tallennettu."),
        )
    elif action == "link":
        if link_form.is_valid():
            try:
                link, token = services.joint_link_issue(
                    access=access, assessment=assessment, member_id=int(link_form.cleaned_data["member"])
                )
            except ValidationError as exc:
                link_form.add_error(None, exc)
            else:
                # The token is stored only hashed: the creator's session keeps it for the next page.
                request.session.setdefault(SESSION_TOKENS, {})[str(link.pk)] = token
                request.session.modified = True
                return redirect("joint-link", family_id=access.family.pk, joint_id=assessment.pk, joint_link_id=link.pk)
    elif action == "conclude":
        done = saved(
            request,
            conclusion_form,
            lambda: services.joint_conclude(access=access, assessment=assessment, conclusion=conclusion_form.cleaned_data["conclusion"]),
            _("Yhteinen johtopäätös tallennettu."),
        )
    elif action:
        raise Http404
    if done:
        return redirect(request.path)
    _qset, columns, rows = selectors.joint_table(assessment)
    context = {
        "family": access.family,
        "assessment": assessment,
        "qset": qset,
        "columns": columns,
        "rows": rows,
        "answer_form": answer_form,
        "link_form": link_form,
        "conclusion_form": conclusion_form,
        "can_edit": access.can(Perm.FAMILY_EDIT) and assessment.concluded_at is None,
    }
    return shows_record(render(request, "partnership/joint_detail.html", context, status=400 if action else 200))


@never_cache
@personal_data
@login_required
@require_safe
def joint_link(request, family_id, joint_id, joint_link_id):
    access = open_family(request.user, family_id)
    assessment = record_of(access, JointAssessment.objects, joint_id)
    link = JointLink.objects.filter(assessment=assessment, pk=joint_link_id).select_related("member__person").first()
    if link is None:
        raise Http404
    token = request.session.get(SESSION_TOKENS, {}).get(str(link.pk))
    url = request.build_absolute_uri(reverse("joint-assess", kwargs={"joint_token": token})) if token and not link.used_at else None
    qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2) if url else None
    context = {"family": access.family, "assessment": assessment, "link": link, "url": url, "qr": qr}
    return render(request, "partnership/joint_link.html", context)


def _limited(request) -> bool:
    # The same per-address limit as the rating page: a link is guessed by no one, but tried by bots.
    return is_ratelimited(request, group="joint", key="ip", rate=settings.SYSTEEMI_RATING_RATE, method=ALL, increment=True)


@never_cache
@public
def joint_assess(request, joint_token):
    """A family member's own page: no login, no names, one answer per link; faces for the youngest."""
    if _limited(request):
        return _public(
            request, "partnership/joint_closed.html", {"message": _("Liian monta yritystä. Odota hetki ja yritä uudelleen.")}, 429
        )
    try:
        link = services.joint_open_link(joint_token)
    except services.LinkUnusable as exc:
        return _public(request, "partnership/joint_closed.html", {"message": str(exc)}, 410)
    qset = questions.from_snapshot(link.assessment.question_set)
    marks, words, errors = {}, {}, []
    if request.method == "POST":
        marks = {a.key: request.POST.get(a.key, "") for a in qset.areas}
        words = {a.key: request.POST.get(f"words_{a.key}", "") for a in qset.areas}
        try:
            services.joint_submit_by_link(joint_token, marks, words)
            return _public(request, "partnership/joint_thanks.html", {"young": link.audience != JointLink.Audience.ADULT})
        except services.LinkUnusable as exc:
            return _public(request, "partnership/joint_closed.html", {"message": str(exc)}, 410)
        except ValidationError as exc:
            errors = exc.messages
    young = link.audience != JointLink.Audience.ADULT
    areas = [
        {"area": a, "question": a.child if young else a.adult, "value": str(marks.get(a.key, "")), "words": words.get(a.key, "")}
        for a in qset.areas
    ]
    choices = [{"value": str(v), "word": qset.scale.words[str(v)], "zone": qset.scale.zone_of(v).zone} for v in qset.scale.values]
    context = {
        "qset": qset,
        "areas": areas,
        "choices": choices,
        "faces": link.audience == JointLink.Audience.YOUNG_CHILD,
        "young": young,
        "errors": errors,
    }
    return _public(request, "partnership/joint_assess.html", context, 400 if errors else 200)


def _public(request, template, context, status=200):
    response = render(request, template, context, status=status)
    # The token is in the URL: it must not leave the site (as on the rating page).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# ---- handover at closure -------------------------------------------------------------------------


@personal_data
@login_required
def handovers(request, family_id):
    """The family's handover summaries, and a new one drafted for a closed client relationship."""
    access = open_family(request.user, family_id)
    form = HandoverDraftForm(request.POST or None, family=access.family)
    if request.method == "POST":
        access.require(Perm.FAMILY_EDIT)
    created = saved(
        request,
        form,
        lambda: services.handover_draft(access=access, relationship=form.cleaned_data["relationship"]),
        _("Siirtoyhteenvedon luonnos tehty suunnitelmasta ja arvioinnista. Muokkaa se ennen jakamista."),
    )
    if created:
        return redirect("handover", family_id=access.family.pk, handover_id=created.pk)
    items = HandoverSummary.objects.filter(family=access.family).select_related("relationship__child").annotate(shared=Count("shares"))
    context = {"family": access.family, "items": items, "form": form, "can_edit": access.can(Perm.FAMILY_EDIT)}
    return shows_record(render(request, "partnership/handovers.html", context, status=400 if form.errors else 200))


@personal_data
@login_required
def handover(request, family_id, handover_id):
    """Edit the summary; share it with a consented partner (a logged disclosure)."""
    access = open_family(request.user, family_id)
    summary = record_of(access, HandoverSummary.objects.select_related("relationship__child", "updated_by"), handover_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "save":
        access.require(Perm.FAMILY_EDIT)
    elif action == "share":
        access.require(Perm.CONSENT_MANAGE)
    elif action:
        raise Http404
    partners = selectors.consented_partners(access.family)
    initial = {name: getattr(summary, name) for name in HandoverSummary.TEXT_FIELDS}
    form = HandoverForm(request.POST if action == "save" else None, initial=initial)
    share_form = HandoverShareForm(request.POST if action == "share" else None, partners=partners)
    done = None
    if action == "save":
        done = saved(
            request,
            form,
            lambda: services.handover_update(access=access, summary=summary, **form.cleaned_data),
            _("Yhteenveto tallennettu."),
        )
    elif action == "share":
        done = saved(
            request,
            share_form,
            lambda: services.handover_share(access=access, summary=summary, recipient=share_form.cleaned_data["recipient"]),
            _("Yhteenveto jaettu. Jakaminen on kirjattu luovutuslokiin."),
        )
    if done:
        return redirect(request.path)
    context = {
        "family": access.family,
        "summary": summary,
        "form": form,
        "share_form": share_form,
        "shares": summary.shares.select_related("recipient", "shared_by").order_by("shared_at"),
        "can_edit": access.can(Perm.FAMILY_EDIT),
        "can_share": access.can(Perm.CONSENT_MANAGE) and bool(partners),
    }
    return shows_record(render(request, "partnership/handover.html", context, status=400 if action else 200))


@personal_data
@login_required
@require_safe
def partner_handover(request, handover_id):
    """The receiving professional reads the summary shared with them, as a partner reads the plan."""
    access = open_partner_handover(request.user, handover_id)
    return render(request, "partnership/partner_handover.html", {"family": access.family, "summary": access.resource})


# ---- feedback to the notifier --------------------------------------------------------------------


@personal_data
@login_required
def notifier_feedback(request, family_id):
    """What each notifier of the family's notifications was told, and on what basis; a new feedback
    recorded (a disclosure to the notifier, in the log)."""
    from apps.casework.models import Notification, NotifierType

    access = open_family(request.user, family_id)
    if request.method == "POST":
        access.require(Perm.PHASE_EDIT)
    notifications = (
        Notification.objects.filter(family=access.family, anonymous=False)
        .exclude(notifier_type=NotifierType.FAMILY)
        .select_related("child")
        .order_by("-received_on", "-id")
    )
    form = NotifierFeedbackForm(request.POST or None, family=access.family, notifications=notifications)
    done = saved(
        request,
        form,
        lambda: services.notifier_feedback_record(access=access, **form.cleaned_data),
        _("Palaute ilmoittajalle kirjattu. Kertominen on kirjattu luovutuslokiin."),
    )
    if done:
        return redirect("notifier-feedback", family_id=access.family.pk)
    items = NotifierFeedback.objects.filter(family=access.family).select_related("notification__child", "recorded_by")
    context = {"family": access.family, "items": items, "form": form, "can_edit": access.can(Perm.PHASE_EDIT)}
    return shows_record(render(request, "partnership/notifier_feedback.html", context, status=400 if form.errors else 200))


# ---- peer groups and experts by experience ---------------------------------------------------------


@team_page
@login_required
def peer_groups(request, team_id):
    """The team's peer groups (after-care youth, experts by experience), and a new one."""
    access = open_team(request.user, team_id)
    if request.method == "POST":
        access.require(Perm.FAMILY_EDIT)
    form = PeerGroupForm(request.POST or None)
    created = saved(
        request,
        form,
        lambda: services.peer_group_create(access=access, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]),
        _("Ryhmä perustettu."),
    )
    if created:
        return redirect("peer-group", team_id=access.team.pk, peer_group_id=created.pk)
    groups = PeerGroup.objects.filter(team=access.team).annotate(
        n=Count("members", distinct=True), held=Count("meetings", distinct=True), contributed=Count("contributions", distinct=True)
    )
    context = {"team": access.team, "groups": groups, "form": form, "can_edit": access.can(Perm.FAMILY_EDIT)}
    return render(request, "partnership/peer_groups.html", context, status=400 if form.errors else 200)


def _peer_forms(access, group, members, candidates):
    forms = {
        "invite_form": PeerInviteForm(candidates=candidates),
        "meeting_form": PeerMeetingForm(group=group, members=members),
        "plan_form": PeerPlanForm(initial={"group_plan": group.group_plan, "next_meeting_on": group.next_meeting_on}),
    }
    if group.kind == PeerGroup.Kind.EXPERTS:
        forms["contribution_form"] = PeerContributionForm(group=group, members=members)
    return forms


def _peer_group_page(request, access, *, bound=None, resend_errors=None, status=200):
    """The group's page; `bound` ({name: form}) replaces a blank form with one sent back with its
    errors and everything typed (status 400)."""
    group = access.resource
    members_qs = group_members(group)
    candidates = services.peer_candidates(group) if access.can(Perm.FAMILY_EDIT) else []
    forms = {**_peer_forms(access, group, members_qs, candidates), **(bound or {})}
    members = list(members_qs.annotate(came=Count("attended")))
    for m in members:
        m.resend_errors = (resend_errors or {}).get(m.pk, [])
    meetings = list(group.meetings.prefetch_related("attendees__member__person"))
    contributions = list(group.contributions.prefetch_related("credits__member__member__person"))
    access.shown([Subject(m.member.family_id, m.member.person_id) for m in members], action=Action.LIST)
    context = {
        "team": access.team,
        "group": group,
        "members": members,
        "meetings": meetings,
        "contributions": contributions,
        "next_meeting": services.next_peer_meeting(meetings),
        "agreed_next_meeting": group.next_meeting_on if group.next_meeting_on and group.next_meeting_on >= timezone.localdate() else None,
        "can_edit": access.can(Perm.FAMILY_EDIT),
        "has_candidates": bool(candidates),
        "is_experts": group.kind == PeerGroup.Kind.EXPERTS,
        **forms,
    }
    return shows_record(render(request, "partnership/peer_group.html", context, status=status))


@personal_data
@login_required
@require_safe
def peer_group(request, team_id, peer_group_id):
    """One group: its own plan, the members invited at their consented contact details (how and
    when the invitation went, what it said), the monthly meetings and who came, and an experts'
    group's contributions to the team's development work."""
    return _peer_group_page(request, open_peer_group(request.user, team_id, peer_group_id))


def _peer_act(request, access, name, form, call, message):
    """One action on the group: its service on a valid form, then back to the group's page; a
    refusal comes back on the page with the form's errors and everything typed (400)."""
    if saved(request, form, call, message):
        return redirect("peer-group", team_id=access.team.pk, peer_group_id=access.resource.pk)
    return _peer_group_page(request, access, bound={name: form}, status=400)


def _invited_message(member):
    if member.invitation_channel == InvitationChannel.PHONE:
        return _("Kutsu kirjattu tehtäväksi puhelimitse numeroon %(contact)s: lue tai lähetä kutsun teksti jäsenen kohdalta.") % {
            "contact": member.contact
        }
    return _("Kutsu lähetetty sähköpostilla osoitteeseen %(contact)s.") % {"contact": member.contact}


@changes_personal_data
@login_required
@require_POST
def peer_group_invite(request, team_id, peer_group_id):
    """Invite a person of the team's families at the contact they consented to: sent by e-mail,
    or recorded with its text for the worker to phone or text."""
    access = open_peer_group(request.user, team_id, peer_group_id, need=Perm.FAMILY_EDIT)
    group = access.resource
    form = PeerInviteForm(request.POST, candidates=services.peer_candidates(group))
    return _peer_act(
        request,
        access,
        "invite_form",
        form,
        lambda: services.peer_invite(access=access, group=group, **form.cleaned_data),
        _invited_message,
    )


@changes_personal_data
@login_required
@require_POST
def peer_group_resend(request, team_id, peer_group_id, peer_member_id):
    """The member's invitation again, to the same contact in the same language: one action."""
    return _member_action(request, team_id, peer_group_id, peer_member_id, services.peer_invite_resend, _invited_message)


@changes_personal_data
@login_required
@require_POST
def peer_group_invite_made(request, team_id, peer_group_id, peer_member_id):
    """The worker marks the phone invitation made (called or texted), so the list shows who is still to be called."""
    return _member_action(
        request,
        team_id,
        peer_group_id,
        peer_member_id,
        services.peer_invite_made,
        lambda _member: _("Kutsu merkitty tehdyksi puhelimitse."),
    )


def _member_action(request, team_id, peer_group_id, peer_member_id, act, message):
    """One action on one invited member: refused with its message beside the member (400), or done
    and back to the group with `message(member)`."""
    access = open_peer_group(request.user, team_id, peer_group_id, need=Perm.FAMILY_EDIT)
    member = peer_member_of(access, peer_member_id)
    try:
        done = act(access=access, member=member)
    except ValidationError as exc:
        return _peer_group_page(request, access, resend_errors={member.pk: exc.messages}, status=400)
    messages.success(request, message(done))
    return redirect("peer-group", team_id=access.team.pk, peer_group_id=access.resource.pk)


@changes_personal_data
@login_required
@require_POST
def peer_group_meeting(request, team_id, peer_group_id):
    """A meeting of the group and who came."""
    access = open_peer_group(request.user, team_id, peer_group_id, need=Perm.FAMILY_EDIT)
    group = access.resource
    form = PeerMeetingForm(request.POST, group=group)
    return _peer_act(
        request,
        access,
        "meeting_form",
        form,
        lambda: services.peer_meeting_record(access=access, group=group, **form.cleaned_data),
        _("Tapaaminen kirjattu."),
    )


@changes_personal_data
@login_required
@require_POST
def peer_group_plan(request, team_id, peer_group_id):
    """The group's own plan and its agreed next meeting."""
    access = open_peer_group(request.user, team_id, peer_group_id, need=Perm.FAMILY_EDIT)
    group = access.resource
    form = PeerPlanForm(request.POST)
    return _peer_act(
        request,
        access,
        "plan_form",
        form,
        lambda: services.peer_plan_save(
            access=access, group=group, text=form.cleaned_data["group_plan"], next_meeting_on=form.cleaned_data["next_meeting_on"]
        ),
        _("Ryhmän suunnitelma tallennettu."),
    )


@changes_personal_data
@login_required
@require_POST
def peer_group_contribution(request, team_id, peer_group_id):
    """An expert by experience's contribution to the team's development work (experts' groups)."""
    access = open_peer_group(request.user, team_id, peer_group_id, need=Perm.FAMILY_EDIT)
    group = access.resource
    if group.kind != PeerGroup.Kind.EXPERTS:
        raise Http404
    form = PeerContributionForm(request.POST, group=group)
    return _peer_act(
        request,
        access,
        "contribution_form",
        form,
        lambda: services.peer_contribution_record(access=access, group=group, **form.cleaned_data),
        _("Panos kirjattu."),
    )
