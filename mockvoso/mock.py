"""The running mock: world + fault engine + rate limiter + journal, as one app extension."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from time import perf_counter, time
from typing import Any

from flask import Request, Response

from mockvoso.audio import recording_url
from mockvoso.clock import VirtualClock
from mockvoso.config import Settings
from mockvoso.errors import HTTPError
from mockvoso.faults import (
    FaultEngine,
    Journal,
    RateLimiter,
    RuleError,
    mask_params,
    parse_rate_limit,
    startup_rules_from_settings,
)
from mockvoso.faults.journal import Deferred
from mockvoso.faults.summary import response_head, summarise
from mockvoso.persist import PeriodicSaver, StateFile
from mockvoso.records import OfficeSeed
from mockvoso.sockets import DROP_KEY
from mockvoso.store.dialer import WRAP_SECONDS
from mockvoso.store.state import OfficeState
from mockvoso.webhooks import Dispatcher
from mockvoso.webhooks.payload import call_catalogue
from mockvoso.webhooks.sink import Sink
from mockvoso.wire import FAULT_HEADER
from mockvoso.world import TokenGrant, World, start_anchor


class InjectedFault(Exception):
    """Raised by the pipeline when a fault rule (or the header) decides the answer."""

    def __init__(self, decision: Any) -> None:
        super().__init__(decision.rule_id)
        self.decision = decision


class RateLimited(HTTPError):
    """HTTP 429 from the token bucket, with Retry-After and X-RateLimit-* headers."""

    def __init__(self, decision: Any) -> None:
        super().__init__(429)
        self.decision = decision


class Mock:
    """Everything one create_app() owns. Plain Python: Flask only hands requests in."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Any = None,
        monotonic: Any = None,
        seeds: list[OfficeSeed] | None = None,
        clock: VirtualClock | None = None,
    ) -> None:
        """clock: the world's now (injected in tests that move the server clock)."""
        self.settings = settings
        # Set when the server begins to stop: every injected wait (latency, hangs) ends
        # at once, so a graceful shutdown is never held by a hung fault request.
        self.stopping = threading.Event()
        self.sleep = sleep or self._sleep  # injected in tests: nothing really waits
        # An injected monotonic clock also drives the world clock, so the timestamps of
        # writes (created_at, modified_at) follow a test's fake time like the limiter does.
        if clock is None and monotonic is not None:
            clock = VirtualClock(start_anchor(settings), monotonic)
        self.world = World(settings, clock=clock, seeds=seeds)
        known = frozenset(_known_endpoints())
        self.faults = FaultEngine(
            seed=settings.seed,
            startup_rules=startup_rules_from_settings(
                settings.latency, settings.jitter, settings.error_rate, settings.faults
            ),
            known_endpoints=known,
            sleep=self.sleep,
            clock=None if sleep else perf_counter,  # the clock of g.started (api/pipeline.py)
        )
        startup_limit = None
        if settings.rate_limit:
            requests, per_seconds = parse_rate_limit(settings.rate_limit)
            startup_limit = {"requests": requests, "per_seconds": per_seconds, "scope": "token"}
        limiter_kwargs = {"clock": monotonic} if monotonic is not None else {}
        self.limiter = RateLimiter(startup=startup_limit, **limiter_kwargs)
        self.journal = Journal(settings.journal_size)
        self.webhooks = Dispatcher(
            now=self.world.clock.text,
            sleep=self.sleep,
            seed=settings.seed,
            journal_size=settings.journal_size,
        )
        self.sink = Sink(settings.journal_size)
        for body in json.loads(settings.webhooks or "[]"):
            # Checked at start (serving/validate.py); from the config file: kept by reset.
            self.webhooks.register(body, list(self.world.offices), startup=True)
        for store in self.world.offices.values():
            store.events = self.webhooks
        self.world.clock.on_move(self._callbacks_due)
        self.state_file: StateFile | None = None
        self.saver: PeriodicSaver | None = None
        if settings.state_file:
            self.state_file = StateFile(settings.state_file)
            if self.state_file.exists():
                self._load_state(self.state_file)
            if settings.state_save_interval > 0:
                self.saver = PeriodicSaver(self.save_state, settings.state_save_interval)
                self.saver.start()

    def _sleep(self, seconds: float) -> None:
        self.stopping.wait(seconds)

    # --- the /v1 pipeline's checks ---------------------------------------------

    def police(
        self,
        endpoint: str,
        method: str,
        grant: TokenGrant,
        headers: Mapping[str, str],
        g: Any,
    ) -> None:
        """Rate limit, then fault rules; raise what decides the answer. g: flask.g's object."""
        decision = self.limiter.check(grant.token, grant.office)
        if decision is not None:
            g.rate = decision
            if not decision.allowed:
                g.fault = "rate-limit"
                raise RateLimited(decision)
        header = headers.get(FAULT_HEADER) if self.settings.fault_headers else None
        if not header and not self.faults.active:
            return
        try:
            fault = self.faults.decide(endpoint, method, grant.office, header)
        except RuleError as exc:
            raise HTTPError(400, f"{FAULT_HEADER}: {exc}") from None
        if fault.fired or fault.terminal:
            g.fault = fault.rule_id or ",".join(fault.fired)
        self.faults.wait(fault.latency_ms, since=g.get("started"))  # from arrival
        if fault.terminal:
            raise InjectedFault(fault)

    def record(self, request: Request, response: Response, g: Any) -> None:
        # g.get, not getattr: a missing attribute would raise (and cost) on most calls.
        grant = g.get("grant")
        started = g.get("started")
        path = request.path
        head, size = response_head(response)
        self.journal.record(
            {
                # Epoch seconds here; GET /_mockvoso/requests formats them (off the hot path).
                "time": time(),
                "method": request.method,
                "path": path,
                "endpoint": path[4:],
                "office": grant.office if grant else None,
                # Masked when the journal is read (Deferred): tokens never leave it.
                "params": Deferred(partial(mask_params, g.get("params") or {})),
                # A dropped or hung connection had no HTTP status at all.
                "status": None if DROP_KEY in request.environ else response.status_code,
                "fault": g.get("fault"),
                "duration_ms": round((perf_counter() - started) * 1000, 3) if started else None,
                # What the client got, for the dashboard: bounded, tokens masked.
                "response": Deferred(partial(summarise, head, size, self.world.tokens)),
            }
        )

    # --- control -----------------------------------------------------------------

    def simulate(
        self,
        office: str | None,
        calls: int,
        *,
        start: datetime | None = None,
        until: datetime | None = None,
    ) -> dict[str, Any]:
        """The dialer makes `calls` calls for an office (default: the first) from now.

        Without `until` the clock then advances by the calls' durations (a client polling
        log/retrieve sees them as just made); with it (a clock advance that dials) the
        calls fill the time already passed, up to `until`.
        """
        store = self.world.office(office) if office else next(iter(self.world.offices.values()))
        if store is None:
            raise KeyError(office)
        made = store.dial(calls, self.settings.seed, start or self.world.clock(), until)
        if until is None and made:
            self.world.clock.advance(sum(c.seconds + WRAP_SECONDS for c in made))
        if self.webhooks.wants(store.acronym, "call.completed"):
            for call in made:
                recording = None
                if call.recording_id is not None:
                    rec = store.state.recordings[call.recording_id]
                    recording = recording_url(store.acronym, rec["url"])
                lead = store.lead_event(call.lead_id)
                catalogue = call_catalogue(lead, call.row, recording)
                self.webhooks.emit(store.acronym, "call.completed", catalogue)
        return {"office": store.acronym, "calls": len(made), **store.dial_summary(made)}

    def dial_elapsed(self, before: datetime, after: datetime) -> dict[str, int]:
        """After a clock advance with "dial": each office's agents dial at --dial-rate
        over the time that passed (its calls dated within it). Calls made per office."""
        hours = (after - before).total_seconds() / 3600
        made: dict[str, int] = {}
        for store in self.world.offices.values():
            agents = sum(1 for u in store.users if u.get("status", "Y") == "Y")
            calls = round(self.settings.dial_rate * agents * hours)
            if calls:
                result = self.simulate(store.acronym, calls, start=before, until=after)
                made[store.acronym] = result["calls"]
        return made

    def _callbacks_due(self, before: datetime, after: datetime) -> None:
        """A clock move fires callback.due for every active callback it passed."""
        for store in self.world.offices.values():
            if self.webhooks.wants(store.acronym, "callback.due"):
                for record in store.callbacks_coming_due(before, after):
                    self.webhooks.emit(store.acronym, "callback.due", record)

    def reset(self, office: str | None = None) -> None:
        """Data back to the seed; run-time rules, limits and the journal cleared, the clock
        back at its anchor (a reset server is a fresh one)."""
        self.world.reset(office)
        if office is None:
            self.world.clock.reset()
            self.webhooks.reset()
            self.sink.clear()
            self.faults.reset()
            self.limiter.reset()
            self.journal.clear()

    # --- state file and shutdown ---------------------------------------------------

    def _load_state(self, state_file: StateFile) -> None:
        """Every office the file holds, or none (StreamError: start fails)."""
        offices = self.world.offices
        states = state_file.load({a: store.seeded_state() for a, store in offices.items()})
        for acronym, state in states.items():
            offices[acronym].restore(state)

    def office_states(self) -> dict[str, OfficeState]:
        """A consistent copy of each office's state (cheap: records are shared)."""
        states = {}
        for acronym, store in self.world.offices.items():
            with store.lock:
                states[acronym] = store.state.clone()
        return states

    def save_state(self) -> dict[str, Any]:
        """Write the state file now (raises OSError); what was written."""
        if self.state_file is None:
            raise ValueError("no state file (start with --state-file PATH)")
        states = self.office_states()
        size = self.state_file.save(states)
        return {"path": str(self.state_file.path), "bytes": size, "offices": list(states)}

    def shutdown(self, flush_timeout: float) -> bool:
        """The end of a graceful stop, once no request is in flight: deliver pending
        webhooks (bounded), then save the state file. False when the save failed."""
        self.stopping.set()
        if self.saver is not None:
            self.saver.stop()
        pending = self.webhooks.flush(flush_timeout)
        if pending and not self.settings.quiet:
            print(f"mockvoso: {pending} webhook deliveries still pending", file=sys.stderr)
        if self.state_file is None:
            return True
        try:
            saved = self.save_state()
        except (OSError, ValueError) as exc:
            print(f"mockvoso: state not saved: {exc}", file=sys.stderr, flush=True)
            return False
        if not self.settings.quiet:
            print(f"mockvoso: state saved to {saved['path']}", file=sys.stderr, flush=True)
        return True


def _known_endpoints() -> list[str]:
    from mockvoso.actions import action_table

    return list(action_table())
