"""Test settings: the real settings in demo mode, with a fast password hasher."""

import os

os.environ.setdefault("SYSTEEMI_DEMO", "1")

from .settings import *  # noqa: E402, F403

# Argon2 is deliberately slow; tests create hundreds of users. Production keeps Argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
ALLOW_FLUSHING_ACCESS_LOG = True
# The test client's login() authenticates without a request, which django-axes refuses; the
# lock-out test switches it on (apps/accounts/tests/test_login_throttling.py).
AXES_ENABLED = False
