"""Ratings pages: the family's charts, links and paper entry for workers; the public rating page
a family member opens on their own phone; the team's outcome summary."""

import json

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django_ratelimit.core import ALL, is_ratelimited

from apps.access import gate
from apps.access.permissions import Perm
from apps.audit.ledger import shows_record
from apps.audit.services import Subject
from apps.clients.access import open_family, record_of
from apps.core.flow import saved
from apps.core.marks import aggregate, changes_personal_data, personal_data, public

from . import exports, scoring, selectors, services
from .forms import ExportForm, LinkForm, PaperForm
from .models import Instrument, RatingLink

SESSION_TOKENS = "rating_link_tokens"
FHIR_JSON = "application/fhir+json; charset=utf-8"


@personal_data
@login_required
@require_safe
def family_ratings(request, family_id):
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    context = {
        "family": access.family,
        "data": selectors.family_ratings(access.family),
        "link_form": LinkForm(family=access.family),
        "can_edit": access.can(Perm.FAMILY_EDIT),
        "paper_instruments": Instrument.objects.filter(active=True).order_by("kind", "code"),
    }
    return render(request, "ratings/family_ratings.html", context)


@changes_personal_data
@login_required
def link_create(request, family_id):
    if request.method != "POST":
        return HttpResponse(status=405)
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    form = LinkForm(request.POST, family=access.family)
    if not form.is_valid():
        response = render(
            request,
            "ratings/family_ratings.html",
            {"family": access.family, "link_form": form, "data": selectors.family_ratings(access.family), "can_edit": True},
            status=400,
        )
        return shows_record(response)
    link, token = services.issue_link(
        access,
        rater_id=form.cleaned_data["rater"],
        kind=form.cleaned_data["kind"],
        agenda_item=form.cleaned_data["agenda_item"],
    )
    # The token is stored only hashed: the creator's session keeps it so the next page can show the QR code.
    request.session.setdefault(SESSION_TOKENS, {})[str(link.pk)] = token
    request.session.modified = True
    return redirect("rating-link", family_id=access.family.pk, link_id=link.pk)


@never_cache
@personal_data
@login_required
@require_safe
def link_detail(request, family_id, link_id):
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    link = record_of(access, RatingLink.objects.select_related("rater", "instrument"), link_id)
    token = request.session.get(SESSION_TOKENS, {}).get(str(link.pk))
    url = request.build_absolute_uri(reverse("rate", kwargs={"token": token})) if token and not link.used_at else None
    qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2) if url else None
    return render(request, "ratings/link.html", {"family": access.family, "link": link, "url": url, "qr": qr})


@personal_data
@login_required
def paper_entry(request, family_id):
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    instrument = Instrument.objects.filter(active=True, code=request.GET.get("instrument", "ORS")).order_by("-version").first()
    if instrument is None:
        raise Http404
    form = PaperForm(request.POST or None, family=access.family, instrument=instrument)
    rating = saved(
        request,
        form,
        lambda: services.enter_paper(
            access,
            rater_id=form.cleaned_data["rater"],
            instrument=instrument,
            rated_on=form.cleaned_data["rated_on"],
            centimetres=form.centimetres(),
        ),
        _("Paperilomakkeen arvio tallennettu."),
    )
    if rating:
        return redirect("family-ratings", family_id=access.family.pk)
    return render(request, "ratings/paper.html", {"family": access.family, "form": form, "instrument": instrument})


@personal_data
@login_required
def export(request, family_id):
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    # Handing ratings out of the register is the register keepers' act: not the read-only family
    # therapist's, nor the sending team's during a handover.
    access.require(Perm.FAMILY_EDIT)
    form = ExportForm(request.POST or None, family=access.family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = data["child"]
        ratings = exports.ratings_for_export(access.family, child=child)
        if not ratings:
            # An empty file is no disclosure, and an empty FHIR Bundle is not valid FHIR JSON.
            form.add_error(None, _("Vietäviä arvioita ei ole. Mitään ei viety eikä luovutuslokiin kirjattu mitään."))
            return shows_record(render(request, "ratings/export.html", {"family": access.family, "form": form}, status=400))
        raters = {r.rater_id for r in ratings}
        if data["format"] == "fhir":
            identity_code = data["identity_code"] and bool(child.personal_identity_code)
            content = exports.as_fhir_bundle(
                ratings, family=access.family, child=child, site=exports.site_url(request), identity_code=identity_code
            )
            response = HttpResponse(content, content_type=FHIR_JSON)
            response["Content-Disposition"] = f'attachment; filename="arviot-{access.family.pk}.fhir.json"'
            raters.add(child.pk)  # the Bundle names the child even when the child did not rate
        else:
            identity_code = False
            response = HttpResponse(exports.as_csv(ratings), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="arviot-{access.family.pk}.csv"'
        access.disclosed(
            [Subject(access.family.pk, pid) for pid in sorted(raters)],
            recipient=data["recipient"],
            legal_basis=exports.legal_basis_text(data["legal_basis"], identity_code=identity_code),
        )
        return response
    return render(request, "ratings/export.html", {"family": access.family, "form": form})


@public
@require_GET
def fhir_questionnaire(request, questionnaire_id):
    """A rating instrument as a FHIR Questionnaire at the canonical URL the FHIR export cites.

    Public: a questionnaire's wording is no one's personal data, and the system receiving an
    export resolves the URL without an account here.
    """
    instrument = exports.instrument_by_questionnaire_id(questionnaire_id)
    if instrument is None:
        outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-found"}]}
        return HttpResponse(json.dumps(outcome), content_type=FHIR_JSON, status=404)
    body = exports.questionnaire_json(instrument, exports.questionnaire_url(instrument, exports.site_url(request)))
    return HttpResponse(body, content_type=FHIR_JSON)


@aggregate
@login_required
def team_ratings(request, team_id):
    """Who rates and how outcomes changed, per worker: counts only, small groups suppressed. For
    the team's members and the managers whose scope covers the team."""
    team = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE).team
    return render(request, "ratings/team_ratings.html", {"team": team, "data": selectors.team_outcomes(team)})


def _limited(request) -> bool:
    return is_ratelimited(request, group="rate", key="ip", rate=settings.SYSTEEMI_RATING_RATE, method=ALL, increment=True)


@never_cache
@public
def rate(request, token):
    """The family member's own page: no login, no names, one submission per link."""
    if _limited(request):
        return _public(
            request, "ratings/rate_closed.html", {"message": _("Liian monta yritystä. Odota hetki ja yritä uudelleen.")}, status=429
        )
    try:
        link = services.open_link(token)
    except services.LinkUnusable as exc:
        return _public(request, "ratings/rate_closed.html", {"message": str(exc)}, status=410)
    spec = link.instrument.spec
    values, errors = {}, []
    if request.method == "POST":
        values = {item.key: request.POST.get(item.key, "") for item in spec.items}
        try:
            services.submit_by_link(token, values)
            return _public(request, "ratings/rate_thanks.html", {"spec": spec})
        except services.LinkUnusable as exc:
            return _public(request, "ratings/rate_closed.html", {"message": str(exc)}, status=410)
        except scoring.RatingValueError as exc:
            errors = exc.messages
    items = [{"item": item, "value": values.get(item.key, "")} for item in spec.items]
    return _public(request, "ratings/rate.html", {"spec": spec, "items": items, "errors": errors}, status=400 if errors else 200)


def _public(request, template, context, status=200):
    response = render(request, template, context, status=status)
    # The token is in the URL: it must not leave the site. Not "no-referrer": that makes the browser
    # send "Origin: null" with the page's own form, and CSRF protection refuses the rating.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
