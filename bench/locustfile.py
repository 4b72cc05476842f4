"""The users of `python -m bench.load`: professionals of systemic teams going through a team day.

Run by locust (started by bench/load.py, never by Django): each virtual user takes the next demo
professional from the plan file (LOAD_PLAN, written by bench/load.py from the database), signs in
with the password and the demo TOTP code as a person does, and then, with a few seconds'
thinking between steps, opens the pages of a working day on their own team's data: the team
page, the API family list, family pages, deadlines, plan steps, meetings and live records,
ratings, and now and then writes: autosaving a meeting record through the JSON API with the
version it loaded (a 409 is merged and saved again, as an API client would), adding a plan step,
typing in a paper rating. Read-only roles (the family therapist) only read.

A few users (PLAN["scribes"], three per team) are in their team's meeting instead: they keep its
live record together, each loading it, typing for a few seconds and saving with the version they
loaded, so their saves cross and the conflict path (409, merge, save again) runs under load.

Every request's latency and outcome is written to LOAD_OUT (JSON) when locust quits; any status
other than the expected one counts as a failure.
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import defaultdict

import gevent
from gevent.lock import Semaphore
from locust import FastHttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115 - read once at import
PROFESSIONALS = itertools.cycle(PLAN["users"])
SCRIBES = iter(PLAN["scribes"])
THINK = PLAN.get("think_s", [5, 15])
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# ---- the demo second factor ---------------------------------------------------------------------
# RFC 6238 codes from the README's published demo secret. django-otp accepts each time step once
# per user and only steps later than the last one accepted, so when virtual users share one
# professional (more users than the data set has), their verifications take turns (a lock per
# professional) and each takes a step of its own, waiting for the next 30-second step if need be.
_KEY = base64.b32decode(PLAN["totp_secret"])
_STEP = 30
_last_step: dict[str, int] = {}
_verifying: dict[str, Semaphore] = defaultdict(Semaphore)


def _totp(step: int) -> str:
    digest = hmac.new(_KEY, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _fresh_code(username: str) -> str:
    """The code of the current step, once that step has not been used for this professional."""
    while True:
        step = int(time.time()) // _STEP
        if _last_step.get(username, -1) < step:
            _last_step[username] = step
            return _totp(step)
        gevent.sleep(_STEP - time.time() % _STEP + 0.05)


# ---- what each request did ----------------------------------------------------------------------
_timings: dict[str, list[tuple[float, float]]] = defaultdict(list)  # (start, epoch s; latency, ms)
_failures: dict[str, int] = defaultdict(int)
_failure_examples: dict[str, list[str]] = defaultdict(list)
_statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
_conflicts = {"autosave_merged": 0, "live_saves": 0, "live_merged": 0, "gave_up": 0}
_clock = {"start": None, "stop": None, "all_signed_in": None}
_signed_in = {"n": 0}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, start_time=None, **kwargs):
    _timings[name].append((round(start_time or time.time(), 3), response_time))
    status = getattr(response, "status_code", None) if response is not None else None
    _statuses[name][str(status)] += 1
    if exception is not None:
        _failures[name] += 1
        if len(_failure_examples[name]) < 5:
            _failure_examples[name].append(f"{status}: {str(exception)[:300]}")


@events.test_start.add_listener
def _started(**kwargs):
    _clock["start"] = time.time()


@events.test_stop.add_listener
def _stopped(**kwargs):
    _clock["stop"] = time.time()


@events.quitting.add_listener
def _write(**kwargs):
    out = {
        "started": _clock["start"],
        "stopped": _clock["stop"] or time.time(),
        "all_signed_in": _clock["all_signed_in"],
        "timings_ms": _timings,
        "failures": _failures,
        "failure_examples": _failure_examples,
        "statuses": _statuses,
        "record_conflicts": _conflicts,
    }
    with open(os.environ["LOAD_OUT"], "w", encoding="utf-8") as f:
        json.dump(out, f)


# ---- the team day -------------------------------------------------------------------------------


class SignedIn(FastHttpUser):
    """A demo professional signed in as a person does; what they do is the subclass's."""

    abstract = True
    # Keep-alive connections like a browser; one connection per user.
    concurrency = 1

    def _expect(self, method, url, name, expected=200, **kwargs):
        """One request; any status but `expected` is a failure (redirects are not followed)."""
        with self.client.request(method, url, name=name, catch_response=True, allow_redirects=False, **kwargs) as response:
            if response.status_code != expected:
                body = (response.text or "")[:200].replace("\n", " ") if response.status_code else repr(getattr(response, "error", None))
                response.failure(f"expected {expected}, got {response.status_code} for {url}: {body}")
            else:
                response.success()
            return response

    def _csrf_from(self, response) -> str:
        match = _CSRF_INPUT.search(response.text or "")
        return match.group(1) if match else ""

    def _api_headers(self) -> dict:
        """The JSON API takes the session cookie and, for writes, the CSRF token (as a browser page sends it)."""
        token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        return {"X-CSRFToken": token}

    def login(self):
        team_url = f"/teams/{self.me['team_id']}/"
        page = self._expect("GET", f"/accounts/login/?next={team_url}", "login: form")
        form = {
            "username": self.me["username"],
            "password": PLAN["password"],
            "next": team_url,
            "csrfmiddlewaretoken": self._csrf_from(page),
        }
        # The password is accepted with a redirect to the second factor (the gate sends every
        # unverified session there).
        self._expect("POST", "/accounts/login/", "login: password", expected=302, data=form)
        # A code can go stale in transit when the server is saturated (over 30 s in the queue);
        # then a person types the next one, and so does this user (the refused try stays a failure).
        for _attempt in range(3):
            page = self._expect("GET", f"/accounts/2fa/verify/?next={team_url}", "login: second factor form")
            with _verifying[self.me["username"]]:
                form = {"code": _fresh_code(self.me["username"]), "next": team_url, "csrfmiddlewaretoken": self._csrf_from(page)}
                response = self._expect("POST", "/accounts/2fa/verify/", "login: second factor", expected=302, data=form)
            if response.status_code == 302:
                break
            gevent.sleep(2)  # django-otp makes the next try after a refused code wait 1 s, then 2, 4 …
        self._expect("GET", team_url, "team page")
        _signed_in["n"] += 1
        if _signed_in["n"] == PLAN["virtual_users"]:  # the steady state starts when everyone is at work
            _clock["all_signed_in"] = time.time()


class Professional(SignedIn):
    wait_time = between(*THINK)

    def on_start(self):
        self.me = next(PROFESSIONALS)
        self.team = PLAN["teams"][str(self.me["team_id"])]
        self.writes = self.me["writes"]
        self.login()

    def _family(self) -> dict:
        return random.choice(self.team["families"])

    def _open_item(self) -> dict | None:
        items = self.team["open_items"]
        return random.choice(items) if items else None

    # -- reading --

    @task(10)
    def team_page(self):
        self._expect("GET", f"/teams/{self.me['team_id']}/", "team page")

    @task(5)
    def api_family_list(self):
        self._expect("GET", f"/api/v1/families?team_id={self.me['team_id']}", "API family list")

    @task(20)
    def family_page(self):
        self._expect("GET", f"/families/{self._family()['id']}/", "family page")

    @task(3)
    def api_family(self):
        self._expect("GET", f"/api/v1/families/{self._family()['id']}", "API family")

    @task(6)
    def my_deadlines(self):
        self._expect("GET", "/deadlines/", "my deadlines")

    @task(3)
    def my_steps(self):
        self._expect("GET", "/steps/", "my plan steps")

    @task(2)
    def team_deadlines(self):
        self._expect("GET", f"/teams/{self.me['team_id']}/deadlines/", "team deadlines")

    @task(3)
    def team_meetings(self):
        self._expect("GET", f"/teams/{self.me['team_id']}/meetings/", "team meetings")

    @task(6)
    def meeting_page(self):
        meetings = self.team["meetings"]
        if meetings:
            self._expect("GET", f"/meetings/{random.choice(meetings)}/", "meeting page")

    @task(6)
    def meeting_record(self):
        items = self.team["open_items"] + self.team["past_items"]
        if items:
            item = random.choice(items)
            self._expect("GET", f"/meetings/{item['meeting']}/items/{item['id']}/", "meeting record")

    @task(4)
    def family_ratings(self):
        self._expect("GET", f"/families/{self._family()['id']}/ratings/", "family ratings")

    @task(2)
    def api_family_ratings(self):
        self._expect("GET", f"/api/v1/families/{self._family()['id']}/ratings", "API family ratings")

    @task(2)
    def team_ratings(self):
        self._expect("GET", f"/teams/{self.me['team_id']}/ratings/", "team ratings")

    @task(1)
    def team_caseload(self):
        self._expect("GET", f"/teams/{self.me['team_id']}/caseload/", "team caseload")

    # -- writing --

    @task(5)
    def record_autosave(self):
        """Open the live record, type, autosave with the loaded version; merge and resave on 409."""
        item = self._open_item()
        if item is None or not self.writes:
            return
        url = f"/api/v1/meetings/{item['meeting']}/items/{item['id']}"
        response = self._expect("GET", url, "API meeting record")
        if response.status_code != 200:
            return
        version = response.json()["version"]
        field = random.choice(["what_we_know", "child_view", "family_view", "reflections"])
        text = f"{self.me['username']} {time.strftime('%H:%M:%S')}: " + random.choice(PLAN["sentences"])
        for _attempt in range(5):
            with self.client.request(
                "PATCH",
                f"{url}/record",
                name="API record autosave (PATCH)",
                json={"version": version, field: text},
                headers=self._api_headers(),
                catch_response=True,
            ) as saved:
                if saved.status_code == 200:
                    saved.success()
                    return
                if saved.status_code == 409:  # someone saved first: merge (ours wins on our field) and save again
                    saved.success()
                    _conflicts["autosave_merged"] += 1
                    version = saved.json()["version"]
                    continue
                saved.failure(f"record autosave: {saved.status_code} {(saved.text or '')[:200]}")
                return
        _conflicts["gave_up"] += 1

    @task(1)
    def add_plan_step(self):
        item = self._open_item()
        if item is None or not self.writes:
            return
        payload = {
            "what": random.choice(PLAN["steps"]),
            "owner_id": random.choice(self.team["member_ids"]),
            "due_on": item["due_on"],
        }
        self._expect(
            "POST",
            f"/api/v1/meetings/{item['meeting']}/items/{item['id']}/steps",
            "API add plan step",
            expected=201,
            json=payload,
            headers=self._api_headers(),
        )

    @task(1)
    def paper_rating(self):
        family = self._family()
        if not self.writes or not family.get("adult"):
            return
        payload = {
            "rater_id": family["adult"],
            "instrument": PLAN["paper_instrument"]["code"],
            "rated_on": PLAN["today"],
            "centimetres": {key: round(random.uniform(0.5, 9.5), 1) for key in PLAN["paper_instrument"]["items"]},
        }
        self._expect(
            "POST", f"/api/v1/families/{family['id']}/ratings", "API paper rating", expected=201, json=payload, headers=self._api_headers()
        )


class MeetingScribe(SignedIn):
    """In the team meeting: keeps the live record together with two colleagues."""

    abstract = not PLAN["scribes"]  # none planned: no scribe spawns
    fixed_count = len(PLAN["scribes"])
    wait_time = between(2, 6)

    def on_start(self):
        self.me = next(SCRIBES)
        self.login()

    @task
    def keep_the_live_record(self):
        """Load the record, type into one field for a few seconds, save with the loaded version.

        A 409 means a colleague saved meanwhile: the answer holds the record as it now is; ours
        is merged into it (our field keeps what we typed, theirs stay) and saved again.
        """
        item = self.me["live_item"]
        url = f"/api/v1/meetings/{item['meeting']}/items/{item['id']}"
        response = self._expect("GET", url, "API live record: load")
        if response.status_code != 200:
            return
        version = response.json()["version"]
        field = random.choice(["what_we_know", "child_view", "family_view", "reflections"])
        gevent.sleep(random.uniform(*PLAN["typing_s"]))
        text = f"{self.me['username']} {time.strftime('%H:%M:%S')}: " + random.choice(PLAN["sentences"])
        for _attempt in range(5):
            with self.client.request(
                "PATCH",
                f"{url}/record",
                name="API live record: save (PATCH)",
                json={"version": version, field: text},
                headers=self._api_headers(),
                catch_response=True,
            ) as saved:
                if saved.status_code == 200:
                    saved.success()
                    _conflicts["live_saves"] += 1
                    return
                if saved.status_code == 409:
                    saved.success()
                    _conflicts["live_merged"] += 1
                    version = saved.json()["version"]
                    continue
                saved.failure(f"live record save: {saved.status_code} {(saved.text or '')[:200]}")
                return
        _conflicts["gave_up"] += 1
