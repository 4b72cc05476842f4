"""Production settings pass Django's deployment checks (secure cookies, HSTS, SSL redirect, ...)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Templates, catalogues and code, not the database's behaviour: checked once, on SQLite (Makefile).
pytestmark = pytest.mark.engine_agnostic

ROOT = Path(__file__).resolve().parents[3]


def _check(tmp_path, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SYSTEEMI_DEMO", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    environment.update(SYSTEEMI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="systeemi.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = _check(tmp_path, SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="systeemi.example.fi")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check(tmp_path, ALLOWED_HOSTS="systeemi.example.fi")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
