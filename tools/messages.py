#!/usr/bin/env python3
"""Extract UI strings into locale/{sv,en}/LC_MESSAGES/django.po and compile the .mo files.

Finnish is the source language: every msgid is Finnish and there is no fi catalogue.
Run `make messages` after adding or changing UI strings, translate the new entries in both .po
files, run it again (to compile) and commit the .po and .mo files together. The .mo files are
committed because CI and production machines may lack GNU gettext. tests/test_translations.py
fails while a string is missing, untranslated or fuzzy, or a .mo file is stale.

There is no djangojs catalogue: static/js reads its messages from data- attributes that the
templates fill with {% translate %}. If JavaScript ever calls gettext(), add "-d", "djangojs".
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("sv", "en")
# Directories that hold no source of ours. makemessages skips dot-directories (.venv, .git) itself,
# compilemessages only when told.
IGNORED = (".venv", "node_modules", "var", "staticfiles")


def main() -> int:
    env = dict(os.environ)
    # Settings need a secret key outside demo mode; extraction needs none of the real ones.
    env.setdefault("SYSTEEMI_DEMO", "1")
    ignore = [f"--ignore={name}" for name in IGNORED]
    manage = [sys.executable, str(ROOT / "manage.py")]
    languages = [arg for lang in LANGUAGES for arg in ("-l", lang)]
    subprocess.run([*manage, "makemessages", *languages, "--no-location", *ignore], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "compilemessages", *languages, *ignore], cwd=ROOT, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
