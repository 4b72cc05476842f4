from django.urls import include, path
from django_otp_webauthn import views as webauthn_views

from apps.core.marks import own_account, public

from . import oidc, views
from .middleware import before_second_factor

urlpatterns = [
    path("accounts/2fa/", views.settings_page, name="two-factor-settings"),
    path("accounts/2fa/enrol/", views.enrol, name="two-factor-enrol"),
    path("accounts/2fa/verify/", views.verify, name="two-factor-verify"),
    path("accounts/2fa/recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
    path("accounts/2fa/recovery-codes/new/", views.new_recovery_codes, name="two-factor-new-recovery-codes"),
    path("accounts/2fa/passkey-added/", views.passkey_added, name="two-factor-passkey-added"),
    path("accounts/2fa/remove/", views.remove_device, name="two-factor-remove"),
    # OpenID Connect (404 unless OIDC_ENABLED): start at the county's provider, come back with a code.
    path("accounts/oidc/login/", public(oidc.login_start), name="oidc-login"),
    path("accounts/oidc/callback/", public(oidc.login_callback), name="oidc-callback"),
]

# The passkey ceremonies (django-otp-webauthn's JSON views) under the package's own namespace.
# Passwordless login is off (settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN): a passkey verifies a
# signed-in session, and registering one needs a verified session once the user has any device.
_passkey_patterns = [
    path(f"{name}/", own_account(before_second_factor(view.as_view())), name=f"credential-{name.replace('/', '-')}")
    for name, view in [
        ("registration/begin", webauthn_views.BeginCredentialRegistrationView),
        ("registration/complete", webauthn_views.CompleteCredentialRegistrationView),
        ("authentication/begin", webauthn_views.BeginCredentialAuthenticationView),
        ("authentication/complete", webauthn_views.CompleteCredentialAuthenticationView),
    ]
]
urlpatterns.append(path("accounts/2fa/passkey/", include((_passkey_patterns, "otp_webauthn"))))
