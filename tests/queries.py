"""One shared way to pin how many queries a page or API call makes.

Query counts are correctness: a page that reads once per family row works on a test's three
families and falls over on a county's four hundred. Like zulip's `assert_database_query_count`,
the number is pinned exactly — a change that adds a query fails the test and must change the
number on purpose — and the tests that use it measure at two data sizes, so a count that grows
with the data fails as well.

PostgreSQL and SQLite differ by design in one place: the access-log append is one statement on
PostgreSQL (the entries and the chain head in one data-modifying WITH) and two on SQLite, so a
page that logs may be pinned with its PostgreSQL count as well.
"""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


def expected_for_this_database(expected: int, postgresql: int | None = None) -> int:
    return postgresql if postgresql is not None and connection.vendor == "postgresql" else expected


@contextmanager
def assert_query_count(expected: int, *, postgresql: int | None = None, label: str = ""):
    """The block must make exactly `expected` queries (`postgresql` there, when it differs)."""
    want = expected_for_this_database(expected, postgresql)
    with CaptureQueriesContext(connection) as captured:
        yield captured
    got = len(captured.captured_queries)
    if got != want:
        listing = "\n".join(f"{n:3}. {q['sql'][:160]}" for n, q in enumerate(captured.captured_queries, 1))
        raise AssertionError(f"{label or 'block'}: {got} queries, pinned at {want}:\n{listing}")


def query_count(call) -> int:
    """How many queries `call()` makes (for comparing two data sizes)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)
