"""Start-up checks of the installation's own settings.

The secret key is checked here, not when settings load: a command that needs no key (any
command's --help, `backup`) runs without one, and Django itself refuses an empty key wherever it
is used. Everything that serves or changes data refuses to start without it: every management
command that runs Django's system checks (this one is among them), and the WSGI entry point.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY_MESSAGE = "SECRET_KEY must be set outside demo and debug mode."


@register()
def secret_key_is_set(app_configs=None, **kwargs):
    try:
        settings.SECRET_KEY  # noqa: B018 (Django validates the key lazily, on this access)
    except ImproperlyConfigured:
        return [Error(MISSING_KEY_MESSAGE, hint="Set the SECRET_KEY environment variable.", id="systeemi.E001")]
    return []


def require_secret_key():
    if secret_key_is_set():
        raise ImproperlyConfigured(MISSING_KEY_MESSAGE)
