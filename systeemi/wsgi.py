"""WSGI entry point: Systeemi is stateless, so any number of these can run behind a balancer."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "systeemi.settings")
application = get_wsgi_application()

from apps.core.checks import require_secret_key  # noqa: E402 (after Django is set up)

require_secret_key()  # a server without its secret key refuses to start
