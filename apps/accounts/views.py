"""Enrolment and verification of the second factor, recovery codes, and the user's own device list."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from apps.core.flow import safe_next
from apps.core.marks import own_account

from . import two_factor as tf
from .forms import CodeForm, EnrolCodeForm
from .middleware import before_second_factor

NEW_CODES_SESSION_KEY = "systeemi_new_recovery_codes"


class LoginView(auth_views.LoginView):
    """The password form, and the county's OpenID Connect login beside it when configured."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


def _next(request) -> str:
    """The page to continue to after verification: a page of this site only."""
    return safe_next(request, default=reverse("home"))


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _after_first_device(request, next_url: str) -> HttpResponseRedirect:
    """After a first device: make recovery codes once and show them; otherwise carry on."""
    if not tf.has_recovery_codes(request.user):
        request.session[NEW_CODES_SESSION_KEY] = tf.issue_recovery_codes(request.user)
        return redirect(_with_next("two-factor-recovery-codes", next_url))
    return redirect(next_url)


@own_account
@before_second_factor
@never_cache
@login_required
def enrol(request):
    """Take a first (or, from a verified session, another) device into use: authenticator app or passkey."""
    next_url = _next(request)
    if not tf.may_add_device(request):
        return redirect(_with_next("two-factor-verify", next_url))
    device = tf.pending_totp_device(request.user)
    form = EnrolCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = tf.confirm_totp(request, device, form.cleaned_data["code"])
        if result.ok:
            messages.success(request, _("Todennussovellus on otettu käyttöön."))
            return _after_first_device(request, next_url)
        form.add_error(None, _wrong_code_message(result, enrolling=True))
    first = not tf.has_second_factor(request.user)
    context = {
        "form": form,
        "first": first,
        "next": next_url,
        "qr": tf.qr_svg_data_uri(device.config_url),
        "secret": tf.totp_secret(device),
        "passkey_done_url": _with_next("two-factor-passkey-added", next_url),
    }
    return render(request, "accounts/two_factor_enrol.html", context, status=400 if form.errors else 200)


def _wrong_code_message(result, enrolling=False) -> str:
    if result.throttled:
        return ngettext(
            "Liian monta väärää koodia peräkkäin. Odota %(seconds)s sekunti ja yritä uudelleen.",
            "Liian monta väärää koodia peräkkäin. Odota %(seconds)s sekuntia ja yritä uudelleen.",
            result.wait_seconds,
        ) % {"seconds": result.wait_seconds}
    if enrolling:
        return _("Koodi ei kelpaa. Kirjoita sovelluksen juuri nyt näyttämä kuusinumeroinen koodi ja yritä uudelleen.")
    return _("Koodi ei kelpaa. Kirjoita sovelluksen juuri nyt näyttämä kuusinumeroinen koodi tai käyttämätön varakoodi ja yritä uudelleen.")


@own_account
@before_second_factor
@never_cache
@login_required
def verify(request):
    """Verify this session with a device the user already has."""
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not tf.has_second_factor(request.user):
        return redirect(_with_next("two-factor-enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = tf.verify_code(request, form.cleaned_data["code"])
        if result.ok:
            if isinstance(result.device, StaticDevice):
                left = tf.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "Käytit varakoodin. Sinulla on %(count)s käyttämätön varakoodi. Luo uudet varakoodit Kirjautumisen turvallisuus -sivulla.",
                        "Käytit varakoodin. Sinulla on %(count)s käyttämätöntä varakoodia. Luo uudet varakoodit Kirjautumisen turvallisuus -sivulla, jos ne ovat vähissä.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error(None, _wrong_code_message(result))
    context = {
        "form": form,
        "next": next_url,
        "has_totp": tf.has_totp(request.user),
        "has_passkey": tf.has_passkey(request.user),
    }
    return render(request, "accounts/two_factor_verify.html", context, status=400 if form.errors else 200)


@own_account
@before_second_factor
@never_cache
@login_required
def passkey_added(request):
    """Where the passkey script goes after the browser and the server have registered a passkey."""
    next_url = _next(request)
    if not request.user.is_verified():
        return redirect(_with_next("two-factor-verify", next_url))
    messages.success(request, _("Pääsyavain on otettu käyttöön."))
    return _after_first_device(request, next_url)


@own_account
@before_second_factor
@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes, shown once: reloading the page does not show them again."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    context = {"codes": codes, "next": _next(request), "left": tf.recovery_codes_left(request.user)}
    return render(request, "accounts/recovery_codes.html", context)


@own_account
@never_cache
@login_required
@require_POST
def new_recovery_codes(request):
    request.session[NEW_CODES_SESSION_KEY] = tf.issue_recovery_codes(request.user)
    return redirect(_with_next("two-factor-recovery-codes", reverse("two-factor-settings")))


@own_account
@never_cache
@login_required
def settings_page(request):
    """The user's own devices: add an app or a passkey, make new recovery codes, remove a device."""
    devices = [d for d in devices_for_user(request.user, confirmed=True) if not isinstance(d, StaticDevice)]
    context = {
        "totp_devices": [d for d in devices if isinstance(d, TOTPDevice)],
        "passkeys": [d for d in devices if isinstance(d, WebAuthnCredential)],
        "recovery_left": tf.recovery_codes_left(request.user),
        "current_device_id": getattr(request.user.otp_device, "persistent_id", None),
        "passkey_done_url": _with_next("two-factor-passkey-added", reverse("two-factor-settings")),
        "next": reverse("two-factor-settings"),
    }
    return render(request, "accounts/two_factor_settings.html", context)


@own_account
@never_cache
@login_required
@require_POST
def remove_device(request):
    """Remove one of the user's own devices; the last one cannot go (the gate would have nothing to verify with)."""
    devices = {d.persistent_id: d for d in tf.primary_devices(request.user)}
    device = devices.get(request.POST.get("device", ""))
    if device is None:
        messages.error(request, _("Laitetta ei löytynyt."))
    elif len(devices) == 1:
        messages.error(request, _("Et voi poistaa ainoaa tunnistustapaasi. Ota ensin käyttöön toinen tunnistustapa."))
    else:
        device.delete()
        tf.logger.info("two-factor: user %s removed a %s", request.user.pk, type(device).__name__)
        messages.success(request, _("Tunnistustapa on poistettu."))
    return redirect("two-factor-settings")
