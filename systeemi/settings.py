"""Settings come from the environment, with production-safe defaults.

Only `SYSTEEMI_DEMO=1` (set by `make demo` and the test set-up) relaxes them: it allows a
generated secret key and plain-HTTP cookies on a laptop. Production must set SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SYSTEEMI_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEMO = _env_bool("SYSTEEMI_DEMO")
DEBUG = _env_bool("DJANGO_DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not (DEMO or DEBUG):
        # Empty, so that what needs no key (every command's --help, `backup`) still runs: Django
        # refuses an empty key wherever it is used, and the system check and the WSGI entry point
        # refuse to start without one (apps/core/checks.py).
        return ""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "apps.core",
    "apps.accounts",
    "apps.organisations",
    "apps.clients",
    "apps.network",
    "apps.audit",
    "apps.access",
    "apps.caseload",
    "apps.casework",
    "apps.meetings",
    "apps.ratings",
    "apps.training",
    "django_tasks",
    "django_tasks_db",
    "apps.partnership",
    "apps.evaluation",
    "apps.pages",
    "apps.api",
    "apps.demo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
]

# Form widgets render through Django's own Jinja2 widget templates where they exist (the same
# markup, 15 % faster for the page with the most forms; apps/core/form_renderer.py, issue 8).
FORM_RENDERER = "apps.core.form_renderer.JinjaFirstRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor: OTPMiddleware tells whether this session was verified with a device; the gate
    # sends every session that was not to enrolment or verification (apps/accounts/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # What a response shows of personal data is logged when, and only when, it is shown; responses
    # to signed-in professionals are never stored by a cache (apps/audit/ledger.py).
    "apps.audit.ledger.LedgerMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "systeemi.urls"
WSGI_APPLICATION = "systeemi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL (or anything dj-database-url reads).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'systeemi.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers proceed beside the single writer; IMMEDIATE transactions take the write lock
    # up front so two requests appending to the access-log chain queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
    # The access log's person and family indexes carry non-key columns on PostgreSQL (INCLUDE, for
    # index-only counts); SQLite builds them without, which is all the warning says.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# The cache lives in the database (table created by apps/core/migrations/0001_cache_table.py), so
# every WSGI worker on every host shares it like the sessions: the rating links' rate limit counts
# an address's requests across workers (a per-process cache let each of N workers allow the full
# rate), and the county report is computed once per ten minutes, not once per worker. Its users
# are a counter per address and a few reports per county and day: one indexed read per use.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "systeemi_cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("suomi")), ("sv", _("svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
# Dates and times as each language writes them in Finland (systeemi/formats/).
FORMAT_MODULE_PATH = ["systeemi.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
if (BASE_DIR / "node_modules" / "htmx.org" / "dist").exists():
    STATICFILES_DIRS.append(("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Session and cookie hardening; plain HTTP is allowed only for the laptop demo and tests.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
# Inactivity timeout: apps.accounts.middleware.SlidingSessionMiddleware moves the expiry forward
# at most once a minute instead of rewriting the session on every request.
SESSION_SAVE_EVERY_REQUEST = False
SYSTEEMI_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_COOKIES = not (DEMO or DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = 0 if not SECURE_COOKIES else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
SECURE_HSTS_PRELOAD = SECURE_COOKIES
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: scripts and styles only from our own origin, no inline scripts at all.
# The one inline <style> (the family summary, which must also render to PDF without fetching CSS)
# carries the per-response nonce. QR codes are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Login throttling (django-axes): five failed attempts for one username from one address lock
# that pair for 15 minutes; twenty for one username from any addresses lock that user everywhere
# for 15 minutes (apps/accounts/lockout.py). Not per address alone: a whole office shares one address.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "apps.accounts.lockout.UserAndAddressLockout"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
SYSTEEMI_USER_FAILURE_LIMIT = int(os.environ.get("AXES_USER_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

# Two-factor authentication, required for every professional (apps/accounts/two_factor.py):
# TOTP (an authenticator app), WebAuthn passkeys and one-time recovery codes. There is no setting
# that skips it; tests mark their sessions verified with a real device (conftest.py).
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Systeemi")
# Staff in the admin may remove a lost device but never read a TOTP secret or a recovery code:
# either would let them pass someone else's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_WEBAUTHN_RP_NAME = "Systeemi"
# The passkey's relying party is this site's domain: credentials work only there. Origins are the
# exact addresses (scheme, host, port) users open; http is accepted only for localhost.
OTP_WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "localhost" if DEMO or DEBUG else (ALLOWED_HOSTS or ["localhost"])[0])
_WEBAUTHN_DEFAULT_ORIGIN = "http://localhost:8000" if DEMO or DEBUG else f"https://{OTP_WEBAUTHN_RP_ID}"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [o for o in os.environ.get("WEBAUTHN_ORIGINS", _WEBAUTHN_DEFAULT_ORIGIN).split(",") if o]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, after the password (or the county's login)

# OpenID Connect login through the county's identity provider (mozilla-django-oidc), off unless
# OIDC_ENABLED=1. The provider's claim OIDC_USER_CLAIM is matched to the user field OIDC_USER_FIELD
# of an existing, active user (of OIDC_COUNTY only, when set); nobody is ever created on login.
# Systeemi's own second factor is still required afterwards.
OIDC_ENABLED = _env_bool("OIDC_ENABLED")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # the ID token's `iss` must be this
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USER_CLAIM = os.environ.get("OIDC_USER_CLAIM", "email")
OIDC_USER_FIELD = os.environ.get("OIDC_USER_FIELD", "email")
OIDC_COUNTY = os.environ.get("OIDC_COUNTY", "")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("apps.accounts.oidc.CountyOIDCBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# E-mail (peer-group invitations, apps/partnership/invitations.py): SMTP from the environment in
# production; on a laptop demo or in debug mode messages are printed to the console, never sent.
# Tests get Django's in-memory outbox.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEMO or DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Systeemi <systeemi@localhost>")

# Domain settings
# bandit B105: the demo password is public on purpose; demo users exist only in demo data sets.
SYSTEEMI_DEMO_PASSWORD = "systeemi-demo-2026"  # nosec B105
# A rating link works once and only for this long after the worker shows it (hours).
SYSTEEMI_RATING_LINK_HOURS = int(os.environ.get("SYSTEEMI_RATING_LINK_HOURS", "24"))
# Guessing rating-link tokens: requests per client address on the public rating pages. The
# counter lives in the default cache, which every worker shares (below).
SYSTEEMI_RATING_RATE = os.environ.get("SYSTEEMI_RATING_RATE", "30/m")
# The research export's pseudonym key (apps/evaluation/research.py): the same key gives the same
# pseudonyms in every export. Required for exports outside demo/debug mode, where it is derived
# from SECRET_KEY. One key per research project keeps projects' data sets unlinkable.
SYSTEEMI_RESEARCH_KEY = os.environ.get("SYSTEEMI_RESEARCH_KEY", "")
# Each county is its own controller, so each has its own pseudonym key: SYSTEEMI_RESEARCH_KEY_<CODE>
# (the county code in capitals, '-' as '_'), e.g. SYSTEEMI_RESEARCH_KEY_PIRKANMAA. A county without
# one gets a key derived from SYSTEEMI_RESEARCH_KEY and its code, unlinkable to another county's.
SYSTEEMI_RESEARCH_KEYS = {
    name.removeprefix("SYSTEEMI_RESEARCH_KEY_").lower().replace("_", "-"): value
    for name, value in os.environ.items()
    if name.startswith("SYSTEEMI_RESEARCH_KEY_") and value
}
# Where the background task writes research exports until they are downloaded (not served as static).
SYSTEEMI_EXPORT_DIR = Path(os.environ.get("SYSTEEMI_EXPORT_DIR") or VAR_DIR / "exports")
# Background tasks (django-tasks, its database backend): the research export runs in
# `manage.py db_worker`, beside the web server, with no other server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The site's address as other systems reach it (https://systeemi.example.fi, no path): the FHIR
# export's Questionnaire URLs start with it. Unset, they use the address the worker's request came to.
SYSTEEMI_SITE_URL = os.environ.get("SITE_URL", "")
NINJA_PAGINATION_PER_PAGE = 50
# The access log's anchor outside the database (apps/audit/checkpoints.py): `manage.py
# checkpoint_access_log` signs each county's chain head with an Ed25519 key the database never
# holds and appends it to a file per county in this directory. The private key comes from
# SYSTEEMI_LOG_SIGNING_KEY_FILE (a PEM file) or the secret SYSTEEMI_LOG_SIGNING_KEY, read only when
# signing and never copied into settings; in demo mode one is generated into var/. A verifier
# needs only the public key(s): SYSTEEMI_LOG_PUBLIC_KEY_FILE or SYSTEEMI_LOG_PUBLIC_KEY (PEM), by
# default derived from the private key.
SYSTEEMI_LOG_CHECKPOINT_DIR = Path(os.environ.get("SYSTEEMI_LOG_CHECKPOINT_DIR") or VAR_DIR / "log-checkpoints")
SYSTEEMI_LOG_SIGNING_KEY_FILE = os.environ.get("SYSTEEMI_LOG_SIGNING_KEY_FILE", "")
SYSTEEMI_LOG_PUBLIC_KEY_FILE = os.environ.get("SYSTEEMI_LOG_PUBLIC_KEY_FILE", "")
SYSTEEMI_LOG_PUBLIC_KEY = os.environ.get("SYSTEEMI_LOG_PUBLIC_KEY", "")
