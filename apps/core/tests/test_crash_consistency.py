"""A real server process is killed (SIGKILL) while several users create families and people through
the forms; afterwards the SQLite database is whole, no multi-step write is half done, no
acknowledged write is lost and the access log's hash chain verifies. A `manage.py backup` taken in
the middle of the writes is just as consistent and restores.
"""

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="crashes a server on a SQLite file; runs in the SQLite suite"),
]

WRITERS = 6


def _env(db_path):
    return dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", DJANGO_SETTINGS_MODULE="systeemi.settings_test", SYSTEEMI_DEMO="1")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Writer(threading.Thread):
    """One user: create a family through its form, then add two parents through the person form."""

    def __init__(self, base, team_id, cookie, n, stop):
        super().__init__(daemon=True)
        self.base, self.team_id, self.n, self.stop = base, team_id, n, stop
        self.http = requests.Session()
        self.http.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
        self.families, self.people, self.errors = [], [], []
        self.interrupted = False  # a request was in flight when the server died

    def _post(self, path, data):
        token = self.http.cookies.get(settings.CSRF_COOKIE_NAME)
        if token is None:
            self.http.get(self.base + path, timeout=30)
            token = self.http.cookies.get(settings.CSRF_COOKIE_NAME)
        data = {**data, "csrfmiddlewaretoken": token}
        return self.http.post(self.base + path, data=data, allow_redirects=False, timeout=30)

    def run(self):
        i = 0
        while not self.stop.is_set():
            i += 1
            name = f"Kaatuva{self.n}x{i}"
            try:
                r = self._post(f"/teams/{self.team_id}/families/new/", {"name": name, "municipality": "Tampere"})
                if r.status_code != 302:
                    self.errors.append(f"family form: {r.status_code}")
                    return
                if "Location" not in r.headers:
                    self.interrupted = True  # killed while sending the headers: not acknowledged
                    return
                family_id = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
                self.families.append(family_id)
                for first in ("Aino", "Eino"):
                    person = {"relation": "parent", "is_guardian": "on", "first_names": first, "last_name": name, "language": "fi"}
                    r = self._post(f"/families/{family_id}/people/new/", person)
                    if r.status_code != 302:
                        self.errors.append(f"person form: {r.status_code}")
                        return
                    self.people.append((family_id, first))
            except requests.RequestException:
                self.interrupted = True  # the server was killed under this request
                return


@pytest.fixture
def seeded_db(world, tmp_path):
    """A migrated SQLite file holding the test world (made with `manage.py backup` itself)."""
    path = tmp_path / "crash.sqlite3"
    cookies = [_session_cookie(u) for u in (world.worker, world.second_worker, world.consultant)]
    call_command("backup", str(path), stdout=io.StringIO())
    return path, cookies


def _start_server(db_path, log):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=settings.BASE_DIR,
        env=_env(db_path),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"the server exited: {Path(log.name).read_text()[-2000:]}")
            try:
                requests.get(base + "/accounts/login/", timeout=30)  # the first request loads every view
                return server, base
            except requests.ConnectionError:
                time.sleep(0.2)
        pytest.fail("the server did not start in 60 s")
    except BaseException:
        server.kill()
        server.wait()
        raise


def _check_consistent(path, *, acknowledged_families=(), acknowledged_people=()):
    conn = sqlite3.connect(path)
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        families = dict(conn.execute("SELECT id, name FROM clients_family WHERE name LIKE 'Kaatuva%'").fetchall())
        created = {
            r[0]
            for r in conn.execute(
                "SELECT family_id FROM audit_accesslogentry WHERE view_name = 'family-create' AND action = 'create'"
            ).fetchall()
        }
        # A family and its creation log entry are one transaction.
        assert set(families) <= created, "a family without its access-log entry"
        people = conn.execute(
            "SELECT p.id, p.first_names, p.last_name, m.family_id FROM clients_person p "
            "LEFT JOIN clients_familymember m ON m.person_id = p.id WHERE p.last_name LIKE 'Kaatuva%'"
        ).fetchall()
        # A person, their family membership and the log entry are one transaction.
        assert all(family_id is not None for *_, family_id in people), "a person without family membership"
        person_logged = {
            r[0] for r in conn.execute("SELECT person_id FROM audit_accesslogentry WHERE view_name = 'person-create' AND action = 'create'")
        }
        assert {p[0] for p in people} <= person_logged, "a person without their access-log entry"
        assert all(families.get(family_id) == last for _, _, last, family_id in people), "a person in someone else's family"
        assert max(Counter(f for *_, f in people).values(), default=0) <= 2
        # Every write the server acknowledged (302) survived the crash.
        assert set(acknowledged_families) <= set(families)
        names = {(f, first) for _, first, _, f in people}
        assert set(acknowledged_people) <= names
        return len(families), len(people)
    finally:
        conn.close()


def _wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def _manage(*args, db_path):
    return subprocess.Popen(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=settings.BASE_DIR,
        env=_env(db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process, what):
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"{what}: {err}{out}"
    return out


def test_sigkill_during_concurrent_writes_leaves_database_and_backup_consistent(seeded_db, world, tmp_path):
    db_path, cookies = seeded_db
    backup_file, restored = tmp_path / "during-writes.backup", tmp_path / "restored.sqlite3"
    with open(tmp_path / "server.log", "w") as log:
        server, base = _start_server(db_path, log)
        stop = threading.Event()
        writers = [Writer(base, world.team.pk, cookies[n % len(cookies)], n, stop) for n in range(WRITERS)]
        acknowledged = lambda: sum(len(w.families) for w in writers)  # noqa: E731
        try:
            for w in writers:
                w.start()
            _wait_for(lambda: acknowledged() >= 1)
            # An online backup while the writers keep writing; then restore it, still during the writes.
            _finish(_manage("backup", backup_file, db_path=db_path), "backup")
            restore = _manage("restore", backup_file, db_path=restored)
            # Each writer has at most one family in flight: this many more acknowledgements mean
            # some family was committed after the backup's snapshot.
            at_backup = acknowledged()
            _wait_for(lambda: acknowledged() > at_backup + WRITERS)
            os.kill(server.pid, signal.SIGKILL)
        finally:
            stop.set()
            if server.poll() is None:
                server.kill()
            server.wait()
    for w in writers:
        w.join(timeout=30)
    assert server.returncode == -signal.SIGKILL
    verify = _manage("verify_access_log", db_path=db_path)
    errors = [e for w in writers for e in w.errors]
    assert not errors, errors
    acknowledged_families = [f for w in writers for f in w.families]
    acknowledged_people = [p for w in writers for p in w.people]
    assert len(acknowledged_families) > at_backup + WRITERS
    assert sum(w.interrupted for w in writers) >= 1, "the kill came while requests were being served"

    families, people = _check_consistent(db_path, acknowledged_families=acknowledged_families, acknowledged_people=acknowledged_people)
    assert families >= len(acknowledged_families) and people >= len(acknowledged_people)
    backup_families, _ = _check_consistent(backup_file)
    assert 0 < backup_families < families, "the backup was taken while the writers wrote"

    # The access-log chain verifies in the crashed database; the mid-write backup restored and verified.
    out = _finish(verify, "verify_access_log")
    assert f"county {world.county.pk}: " in out and "chain intact" in out
    assert "Access log verified" in _finish(restore, "restore")
