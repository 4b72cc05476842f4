"""Browser fixtures: one Debian Chromium per test session, a fresh context (Finnish locale) per test.

Playwright cannot download its own browsers here, so it drives /usr/bin/chromium. The browser is
started lazily, so a run that selects no browser test never launches it.

Every HTML page a browser test loads is kept (as the server sent it, and as scripts left it at the
end of the test) and checked by the Nu Html Checker in one run when the session ends: any error
fails the run (tests/html_checker.py).
"""

import os

import pytest

from tests.html_checker import PageRecorder, nu_errors

CHROMIUM = os.environ.get("SYSTEEMI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Milliseconds: generous for a loaded CI machine, short enough that a hang fails quickly.
TIMEOUT_MS = 15_000

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run tools/system_packages.sh (make test does)")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def nu_pages(tmp_path_factory):
    """The pages the browser tests loaded, checked together by the Nu Html Checker at the end."""
    recorder = PageRecorder(tmp_path_factory.mktemp("nu-pages"))
    yield recorder
    errors = nu_errors(recorder.pages)
    if errors:
        pytest.fail(
            f"the Nu Html Checker found {len(errors)} error(s) in {len(recorder.pages)} pages the browser tests loaded:\n"
            + recorder.report(errors),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _record_pages(request, nu_pages):
    """Every document the live server sends during this test goes to the checker."""
    nu_pages.test = request.node.nodeid
    if "live_server" in request.fixturenames:
        httpd = request.getfixturevalue("live_server").thread.httpd
        httpd.set_app(nu_pages.wrap(httpd.get_app()))


@pytest.fixture
def new_context(browser, nu_pages):
    """Factory for extra contexts (another user, a phone); all are closed after the test, each page
    kept for the checker first as its scripts left it."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "fi-FI")
        options.setdefault("timezone_id", "Europe/Helsinki")
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        for open_page in ctx.pages:
            nu_pages.save_dom(open_page)
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context):
    return new_context(**PHONE).new_page()


def login(page, live_server, user, password=None):
    """Log in through the real form, complete the second factor with an authenticator-app code,
    and wait until the app has sent the user onwards.

    A user without an authenticator app gets one (as if enrolled earlier), so every browser test
    passes the same gate a person does: password, then a six-digit code.
    """
    from tests.factories import PASSWORD

    ensure_totp_device(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password or PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/verify/" in page.url:
        page.get_by_label("Vahvistuskoodi").fill(current_totp_code(user))
        page.get_by_role("button", name="Vahvista", exact=True).click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
    return page


def ensure_totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Todennussovellus", confirmed=True)


def current_totp_code(user, device=None):
    """The code the user's authenticator app shows now.

    A code is accepted once per 30-second step; a test that signs the same user in twice within
    one step forgets the last step used (test-only), as if the second login came 30 s later.
    """
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = device or TOTPDevice.objects.filter(user=user, confirmed=True).first()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page, what=""):
    """Run axe-core in the page (WCAG 2.1 A and AA rules) and fail with every violation listed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        lines = [f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {what or page.url}:"]
        for v in violations:
            targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"])
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']} -> {targets}")
        pytest.fail("\n".join(lines), pytrace=False)


# Walks the keyboard focus order and reports every stop whose focus indicator is missing or has
# less than 3:1 contrast against the colour behind it (WCAG 2.1 1.4.11 and 2.4.7).
FOCUS_PROBE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.dataset.focusProbed) return {repeat: true};
  el.dataset.focusProbed = '1';
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  // The colour behind the ring: whatever is painted just outside the element's left (or right) edge.
  const r = el.getBoundingClientRect();
  const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
  const x = r.left - 4 >= 0 ? r.left - 4 : Math.min(r.right + 4, window.innerWidth - 1);
  const under = document.elementsFromPoint(x, y).find((n) => n !== el && !el.contains(n)) || el.parentElement;
  let bg = null;
  for (let n = under; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c.slice(0, 3); break; }
  }
  bg = bg || [255, 255, 255];
  const s = getComputedStyle(el);
  const width = parseFloat(s.outlineWidth) || 0;
  const visible = s.outlineStyle !== 'none' && width >= 2;
  const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.innerText || el.value || el.name || '').trim().slice(0, 30) + '"';
  return {label, visible, contrast: visible ? ratio(rgb(s.outlineColor).slice(0, 3), bg) : 0};
}
"""


def focus_problems(page, stops=40):
    """Tab through up to `stops` focusable elements; return the ones with a weak or no focus ring."""
    problems = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        probe = page.evaluate(FOCUS_PROBE_JS)
        if probe is None or probe.get("repeat"):
            break
        if not probe["visible"] or probe["contrast"] < 3:
            problems.append(f"{probe['label']}: outline visible={probe['visible']} contrast={probe['contrast']:.2f}")
    return problems
