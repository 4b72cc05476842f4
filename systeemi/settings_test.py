"""Test settings: the real settings in demo mode, with a fast password hasher."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SYSTEEMI_DEMO", "1")
# Tests never sign into (or read) the demo's checkpoints in var/: a directory of this run's own, and
# one per test on top of it (conftest.py), since county ids and chains repeat between tests.
if "SYSTEEMI_LOG_CHECKPOINT_DIR" not in os.environ:
    os.environ["SYSTEEMI_LOG_CHECKPOINT_DIR"] = tempfile.mkdtemp(prefix="systeemi-log-checkpoints-")
    atexit.register(shutil.rmtree, os.environ["SYSTEEMI_LOG_CHECKPOINT_DIR"], ignore_errors=True)

from .settings import *  # noqa: E402, F403

# Argon2 is deliberately slow; tests create hundreds of users. Production keeps Argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
ALLOW_FLUSHING_ACCESS_LOG = True
# The test client's login() authenticates without a request, which django-axes refuses; the
# lock-out test switches it on (apps/accounts/tests/test_login_throttling.py).
AXES_ENABLED = False
