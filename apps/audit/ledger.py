"""The one way anything reaches the access and disclosure log: what a request showed, changed or
handed out, named by the view it went through.

The client-data act (703/2023) gives a client the right to know who has processed their data, so
the log must say what was *shown*, neither more nor less:

- `shown()` records data a page or API response is about to show. Within a request it waits in the
  request's ledger and is written by `LedgerMiddleware` only when the response actually carries it
  (a 2xx, or a page that re-shows the record with a form error or a conflict, which the view marks
  with `shows_record()`). A request refused after the access check — a 404 for an item of another
  family, a 403 on a write, a 422 from the API — writes nothing: it showed nothing. Everything a
  request showed is written in one append (one chain-head lock, one INSERT).
- `changed()` records a write. It is written at once, inside the service's transaction, so the
  change and its entry land together or not at all.
- `disclosed()` records data handed out of the system (an export, a PDF for the family): written
  at once, before the first byte leaves.

The view name is never typed by a caller: it is the URL name of the page (Django's resolver), or
the API operation's name (`api-<function>`), so the log, its labels (apps/audit/labels.py) and the
demo's generated history speak of the same views. Outside a request (a management command, a
test calling a service) there is no ledger: entries are written at once and name the command.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.cache import add_never_cache_headers

from .models import Action, EntryKind
from .services import LogLine, Subject, access_log_append_lines

OUTSIDE_REQUEST = "system"


@dataclass
class Ledger:
    request: object = None
    view_name: str = ""
    # county id -> (actor, [LogLine]) in the order shown
    pending: dict = field(default_factory=dict)
    touched: bool = False

    def name(self) -> str:
        if self.view_name:
            return self.view_name
        match = getattr(self.request, "resolver_match", None)
        return (match.url_name if match else "") or OUTSIDE_REQUEST

    def write(self) -> None:
        for county_id, (actor, lines) in self.pending.items():
            access_log_append_lines(actor=actor, county_id=county_id, lines=lines)
        self.pending.clear()


_current: ContextVar[Ledger | None] = ContextVar("systeemi_ledger", default=None)


def current_request():
    """The request being answered, or None (a command, a test calling a service)."""
    ledger = _current.get()
    return ledger.request if ledger is not None else None


def current_view_name(default: str = OUTSIDE_REQUEST) -> str:
    ledger = _current.get()
    return ledger.name() if ledger is not None else default


def name_view(view_name: str) -> None:
    """Name the current request's view when the URL name cannot (the API: one URL, several operations)."""
    ledger = _current.get()
    if ledger is not None:
        ledger.view_name = view_name


def _line(role, action, purpose, subjects, *, view_name=None, **extra) -> LogLine:
    return LogLine(role, action, view_name or current_view_name(), purpose, tuple(subjects), **extra)


def shown(*, actor, county_id: int, role: str, purpose: str, subjects, action: str = Action.VIEW) -> None:
    """Data about to be shown: logged with the response that shows it (at once outside a request)."""
    subjects = list(subjects)
    if not subjects:
        return
    ledger = _current.get()
    if ledger is None:
        access_log_append_lines(actor=actor, county_id=county_id, lines=[_line(role, action, purpose, subjects)])
        return
    ledger.touched = True
    _actor, lines = ledger.pending.setdefault(county_id, (actor, []))
    lines.append(_line(role, action, purpose, subjects))


def changed(*, actor, county_id: int, role: str, purpose: str, subjects, action: str = Action.EDIT, view_name: str | None = None) -> None:
    """A change to personal data: logged now, in the caller's transaction."""
    _touch()
    line = _line(role, action, purpose, subjects, view_name=view_name)
    access_log_append_lines(actor=actor, county_id=county_id, lines=[line])


def disclosed(*, actor, county_id: int, role: str, recipient: str, legal_basis: str, subjects, view_name: str | None = None) -> None:
    """Personal data handed out of the system (luovutus): logged now, before anything leaves."""
    _touch()
    line = _line(
        role,
        Action.EXPORT,
        "export",
        subjects,
        view_name=view_name,
        kind=EntryKind.DISCLOSURE,
        recipient=recipient,
        legal_basis=legal_basis,
    )
    access_log_append_lines(actor=actor, county_id=county_id, lines=[line])


def _touch() -> None:
    ledger = _current.get()
    if ledger is not None:
        ledger.touched = True


SHOWS_RECORD = "systeemi_shows_record"


def shows_record(response):
    """Mark an error response that still shows the record (a form re-shown with its errors, the
    conflict panel with both texts): what it shows is logged like a successful page."""
    setattr(response, SHOWS_RECORD, True)
    return response


def response_shows(response) -> bool:
    return 200 <= response.status_code < 300 or getattr(response, SHOWS_RECORD, False)


class LedgerMiddleware:
    """Opens a ledger for each request and writes what the response shows.

    A response to a signed-in professional, or one that touched personal data, is marked
    `no-store`: a shared computer's browser cache or a proxy must not keep a family's data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ledger = Ledger(request=request)
        token = _current.set(ledger)
        try:
            response = self.get_response(request)
            if ledger.pending and response_shows(response):
                ledger.write()
        finally:
            _current.reset(token)
        user = getattr(request, "user", None)
        if ledger.touched or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


__all__ = ["Subject", "shown", "changed", "disclosed", "shows_record", "name_view", "current_view_name", "LedgerMiddleware"]
