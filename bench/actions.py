"""One working request for every /v1 action on the default data, and a one-connection runner.

Every answer is checked: a case counts only answers that carry the success envelope
(`{"success":true`), since a domain error is HTTP 200 too and a bench of error answers
would be a lie. Inserts send a fresh unique value each call (phone numbers, status
codes); updates hit a real record again and again; deletes run as insert/delete pairs
(each delete removes the record its own insert just made) and are reported as such.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench import api
from bench.load import FORM, percentile

SUCCESS = b'{"success":true'
# The twelve actions of the first benchmark pass (commit 3b68622); every other action of
# today's table was added since and has issue 15's target: p99 <= 5 ms at 1 connection.
FIRST_PASS = frozenset(
    {
        "leads/insert",
        "leads/update",
        "leads/delete",
        "leads/search",
        "lists/insert",
        "lists/update",
        "lists/delete",
        "lists/search",
        "campaigns/search",
        "campaigns/status",
        "log/retrieve",
        "users/recordings",
    }
)
# The bundled first office's (seed_data/ACME.yaml) lead criteria and a custom status
# the bench creates for status/update (only custom statuses can be changed).
CRITERIA_KEY = "acmemedicare7c1e4b9a2d8f3c6e0b5a"
BENCH_STATUS = "QBENCH"
STATUS_FLAGS = ("final", "reached", "success", "dnc", "callback", "contact", "voicemail")

Form = dict[str, str]


@dataclass(frozen=True)
class Ids:
    """Real records of the first office, found through the API itself."""

    token: str
    lead_id: str
    list_id: str
    phone: str
    campaign_id: str
    call_log_id: str
    callback_id: str
    dnc_id: str
    sms_id: str
    user_id: str
    user_email: str


@dataclass(frozen=True)
class Case:
    """One action's measured request.

    form(n) builds the form of the n-th call (n counts up for unique values). With
    `then`, every call is a pair: `action` first, then `then` with then_form(answer of
    the first); the second one is the measured action.
    """

    action: str
    kind: str  # read, update, insert, delete
    form: Callable[[int], Form]
    then: str = ""
    then_form: Callable[[dict[str, Any]], Form] | None = None
    setup: tuple[tuple[str, Form], ...] = ()  # calls made once before (e.g. a status)

    @property
    def measured(self) -> str:
        return self.then or self.action

    @property
    def label(self) -> str:
        if self.then:
            return f"{self.then} (each after its own {self.action})"
        return self.measured


@dataclass
class CaseResult:
    """The measured action's latencies (ms) and the answers without the success envelope.

    measured is False when the warm-up already got another answer: then nothing was
    measured and first_failure says what came back instead.
    """

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str = ""
    seconds: float = 0.0
    measured: bool = True

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


def _post(base_url: str, action: str, form: Form) -> dict[str, Any]:
    reply = api.call(base_url, "POST", f"/v1/{action}", urlencode(form), api.FORM)
    body: dict[str, Any] = reply.json() if reply.status == 200 else {}
    if body.get("success") is not True:
        raise RuntimeError(f"{action}: HTTP {reply.status} {reply.body[:200]!r}")
    return body


def discover(base_url: str) -> Ids:
    """Token and real record ids of the first office, from its own searches."""
    target = api.discover(base_url)
    auth = {"auth_token": target.token}
    first = {**auth, "limit": "1"}
    whole_log = {**first, "start_time": "2000-01-01 00:00:00", "end_time": "2099-12-31 23:59:59"}
    users = _post(base_url, "users/search", first)["data"]["results"]
    user = next(iter(users.values()))
    return Ids(
        token=target.token,
        lead_id=target.lead_id,
        list_id=target.list_id,
        phone=target.phone,
        campaign_id=str(_post(base_url, "campaigns/search", auth)["data"][0]["id"]),
        call_log_id=str(_post(base_url, "log/retrieve", whole_log)["data"]["results"][0]["id"]),
        callback_id=str(_post(base_url, "callbacks/search", first)["data"]["results"][0]["id"]),
        dnc_id=str(_post(base_url, "dnc/search", first)["data"]["entries"][0]["id"]),
        sms_id=str(_post(base_url, "sms-opt-out/search", first)["data"]["entries"][0]["id"]),
        user_id=str(user["id"]),
        user_email=str(user["email"]),
    )


def cases(ids: Ids) -> list[Case]:
    """Every action of today's table, reads first, then writes (the section resets after)."""
    auth = {"auth_token": ids.token}
    base = random.randrange(1_000_000, 9_000_000)  # fresh numbers each run

    def fixed(**fields: str) -> Callable[[int], Form]:
        return lambda n: {**auth, **fields}

    def phone(n: int) -> str:
        return f"530{base + n:07d}"

    callback = {
        "lead_id": ids.lead_id,
        "recipient": "personal",
        "user_id": ids.user_id,
        "callback_time_zone": "-7.00",
        "callback_time": "2026-01-02 09:30 AM",
    }
    opt_out = {"phone_code": "1", "campaign_id": "0"}
    flags = dict.fromkeys(STATUS_FLAGS, "N")
    return [
        Case("leads/search", "read", fixed(phone_number=ids.phone)),
        Case("leads/get-recordings", "read", fixed(lead_id=ids.lead_id)),
        Case("lists/search", "read", fixed()),
        Case("campaigns/search", "read", fixed()),
        Case("log/retrieve", "read", fixed()),
        Case("users/recordings", "read", fixed(user=ids.user_email)),
        Case("users/search", "read", fixed()),
        Case("callbacks/search", "read", fixed(lead_id=ids.lead_id)),
        Case("dnc/search", "read", fixed(phone_number=ids.phone)),
        Case("sms-opt-out/search", "read", fixed(phone_number=ids.phone)),
        Case("status/search", "read", fixed()),
        Case("agent-performance/search", "read", fixed()),
        Case("agent-productivity/search", "read", fixed()),
        Case("agent-monitor/search", "read", fixed()),
        Case("user-activity/search", "read", fixed()),
        Case(
            "lead-validation/search",
            "read",
            fixed(criteria_key=CRITERIA_KEY, phone_number=ids.phone, state="FL"),
        ),
        Case("leads/update", "update", fixed(lead_id=ids.lead_id, first_name="Bench")),
        Case("lists/update", "update", fixed(list_id=ids.list_id, description="bench")),
        Case("campaigns/status", "update", fixed(campaign_id=ids.campaign_id, status="Y")),
        Case("log/update", "update", fixed(call_log_id=ids.call_log_id, extra_field_01="b")),
        Case("callbacks/update", "update", fixed(callback_id=ids.callback_id, comments="b")),
        Case("revenue/update", "update", fixed(call_log_id=ids.call_log_id, revenue="1.50")),
        Case("dnc/update", "update", fixed(id=ids.dnc_id, reason="-BLANK-")),
        Case("sms-opt-out/update", "update", fixed(id=ids.sms_id, purpose="notify")),
        Case(
            "status/update",
            "update",
            fixed(status=BENCH_STATUS, name="Bench"),
            setup=(("status/insert", {**auth, **flags, "status": BENCH_STATUS, "name": "B"}),),
        ),
        Case("agent-monitor/logout", "update", fixed(user_id=ids.user_id)),
        Case(
            "leads/insert",
            "insert",
            lambda n: {**auth, "list_id": ids.list_id, "phone_number": phone(n)},
        ),
        # List names are unique per office, like status codes.
        Case(
            "lists/insert",
            "insert",
            lambda n: {**auth, "name": f"Bench List {base + n}", "campaign_id": ids.campaign_id},
        ),
        Case("callbacks/insert", "insert", fixed(**callback)),
        Case("dnc/insert", "insert", lambda n: {**auth, **opt_out, "phone_number": phone(n)}),
        Case(
            "sms-opt-out/insert",
            "insert",
            lambda n: {**auth, **opt_out, "phone_number": phone(n)},
        ),
        # Status codes: 1-6 letters or digits, unique per office.
        Case(
            "status/insert",
            "insert",
            lambda n: {**auth, **flags, "status": f"Q{n:05d}", "name": "B"},
        ),
        Case(
            "lead-post-validation/insert",
            "insert",
            lambda n: {
                **auth,
                "criteria_key": CRITERIA_KEY,
                "phone_number": phone(n),
                "state": "FL",
            },
        ),
        Case(
            "leads/insert",
            "delete",
            lambda n: {**auth, "list_id": ids.list_id, "phone_number": phone(n)},
            then="leads/delete",
            then_form=lambda answer: {**auth, "lead_id": str(answer["data"]["lead_id"])},
        ),
        Case(
            "lists/insert",
            "delete",
            fixed(name="Bench List", campaign_id=ids.campaign_id),
            then="lists/delete",
            then_form=lambda answer: {**auth, "list_id": str(answer["data"]["list_id"])},
        ),
        Case(
            "callbacks/insert",
            "delete",
            fixed(**callback),
            then="callbacks/delete",
            then_form=lambda answer: {**auth, "callback_id": str(answer["data"]["callback_id"])},
        ),
        Case(
            "dnc/insert",
            "delete",
            lambda n: {**auth, **opt_out, "phone_number": phone(n)},
            then="dnc/delete",
            # dnc/insert answers no id: the pair deletes by the number it just inserted.
            then_form=lambda answer: {**auth, **opt_out, "phone_number": answer["_sent"]},
        ),
    ]


class _Connection:
    """One keep-alive connection sending form POSTs; answers (status, body, ms)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)

    def post(self, action: str, form: Form) -> tuple[bytes, float]:
        body = urlencode(form).encode()
        started = time.perf_counter()
        try:
            self.conn.request("POST", f"/v1/{action}", body=body, headers=FORM)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            data = f"connection error: {exc}".encode()
        return data, (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.conn.close()


def run_case(base_url: str, case: Case, seconds: float, warmup: float) -> CaseResult:
    """Call the case on one connection for warmup (discarded) + seconds; check every answer."""
    for action, form in case.setup:
        _post(base_url, action, form)
    conn = _Connection(base_url)
    numbers = itertools.count()
    result = CaseResult()
    try:
        for phase_seconds, keep in ((warmup, False), (seconds, True)):
            measured = CaseResult()
            started = time.perf_counter()
            deadline = started + phase_seconds
            while time.perf_counter() < deadline:
                form = case.form(next(numbers))
                data, ms = conn.post(case.action, form)
                if case.then and case.then_form is not None and data.startswith(SUCCESS):
                    answer = json.loads(data)
                    answer["_sent"] = form.get("phone_number", "")
                    data, ms = conn.post(case.then, case.then_form(answer))
                if data.startswith(SUCCESS):
                    measured.latencies.append(ms)
                else:
                    measured.failures += 1
                    measured.first_failure = measured.first_failure or data[:160].decode(
                        errors="replace"
                    )
            measured.seconds = time.perf_counter() - started
            if keep:
                result = measured
            elif measured.failures:  # not the success envelope: measuring would be a lie
                measured.measured = False
                return measured
    finally:
        conn.close()
    return result
