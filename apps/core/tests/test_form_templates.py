"""Forms with fields leave checking to the server, so a user gets its messages in the page's
language beside the field (and keeps what they typed), not the browser's tooltip in the
browser's language."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_form_with_fields_is_checked_by_the_server():
    missing = []
    for path in [*ROOT.glob("apps/*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]:
        text = path.read_text()
        for match in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, re.S):
            start, body = match.group(0)[: match.group(0).index(">") + 1], match.group(1)
            has_fields = "core/form_fields.html" in body or re.search(r"<(textarea|select)\b|<input\b(?![^>]*type=\"hidden\")", body)
            if 'method="post"' in start and has_fields and "novalidate" not in start:
                missing.append(f"{path.relative_to(ROOT)}: {start}")
    assert missing == []
