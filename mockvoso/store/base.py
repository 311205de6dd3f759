"""StoreBase: one office's identity, state and lock, shared by every resource's store mixin."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from mockvoso.limits import DEFAULT_MAX_LEADS
from mockvoso.records import OfficeSeed, TokenSpec
from mockvoso.store.state import (
    LOG_POS,
    STORED,
    Lead,
    OfficeState,
    build_state,
    state_from_snapshot,
    state_to_snapshot,
)

TIMESTAMP = "%Y-%m-%d %H:%M:%S"


class EventSink(Protocol):
    """Who hears an office's writes (mockvoso.webhooks.Dispatcher): no Flask, no HTTP here."""

    def wants(self, office: str, event: str) -> bool: ...

    def emit(self, office: str, event: str, record: dict[str, Any]) -> None: ...


def utc_now() -> datetime:
    """The server clock as a naive UTC datetime (what VirtualClock answers too)."""
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=65536)
def uid(acronym: str, kind: str, key: str) -> str:
    """A record's 32-character lowercase hex uid (the real lead record's `*_uid` keys).

    Derived from office, kind and id, so it is the same on every run and every seed,
    and a list inserted at run time gets one too.
    """
    text = f"uid\x1f{acronym.upper()}\x1f{kind}\x1f{key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class StoreBase:
    """One tenant. Every read and write takes `lock`; writes check before they change.

    Users and tokens come from the seed files and do not change at run time; everything
    the API can change (statuses too: status/insert) lives in `state`, a copy of the
    seeded state.
    """

    def __init__(
        self,
        seed: OfficeSeed,
        *,
        now: Callable[[], datetime] = utc_now,
        log_window: str = "today",
    ) -> None:
        """now: the server clock, naive UTC; log_window: log/retrieve's default window."""
        self.acronym = seed.acronym
        self.name = seed.name
        self.timezone = seed.timezone
        self.zone = ZoneInfo(seed.timezone)
        self.sources = dict(seed.sources)
        self.queues = dict(seed.queues)
        self.log_window = log_window
        self.tokens: list[TokenSpec] = list(seed.tokens)
        self.users: list[dict[str, Any]] = [dict(u) for u in seed.users]
        self.users_by_id = {str(u["user_id"]): u for u in self.users}
        self.users_by_email = {u["email"].casefold(): u for u in self.users}
        self.lead_criteria = {c["key"]: c for c in seed.lead_criteria}
        queue = LOG_POS["queue_id"]
        self.queue_ids = {row[queue] for row in seed.call_logs if row[queue]}
        self._now = now
        self.lock = threading.RLock()
        self._seeded: OfficeState = build_state(seed)
        self.state: OfficeState = self._seeded.clone()

    @property
    def statuses(self) -> dict[str, dict[str, Any]]:
        """Dispositions by upper-case code (the live state's: status/insert adds some)."""
        return self.state.statuses

    def local_text(self, at: datetime) -> str:
        """A server-clock (naive UTC) instant as this office's local timestamp."""
        return at.replace(tzinfo=UTC).astimezone(self.zone).strftime(TIMESTAMP)

    def now_local(self) -> datetime:
        """The server clock in the office's zone (naive): Convoso writes local times."""
        return self._now().replace(tzinfo=UTC).astimezone(self.zone).replace(tzinfo=None)

    def now_text(self) -> str:
        return self.now_local().strftime(TIMESTAMP)

    def reset(self) -> None:
        """Back to the seeded data: a copy of containers, never a re-run of Faker."""
        with self.lock:
            self.state = self._seeded.clone()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return state_to_snapshot(self.state)

    @staticmethod
    def parse_snapshot(doc: dict[str, Any]) -> OfficeState:
        """A state from a snapshot document (raises on a bad one; changes nothing)."""
        return state_from_snapshot(doc)

    def seeded_state(self) -> OfficeState:
        """The seeded state itself (never mutated: the live state is a clone of it)."""
        return self._seeded

    def restore(self, state: OfficeState) -> None:
        with self.lock:
            self.state = state

    def counts(self) -> dict[str, int]:
        """Records per stored collection (the dashboard's office cards): every collection of
        the state's declaration, so a new resource is counted without touching this."""
        with self.lock:
            return {
                name: len(value)
                for name in STORED
                if name != "custom" and isinstance(value := getattr(self.state, name), dict)
            }

    # Set by the world from --max-leads: leads/insert of a new lead past it answers 507.
    max_leads: int = DEFAULT_MAX_LEADS

    # Set by the mock: where write events go (the webhook dispatcher). None: nowhere.
    events: EventSink | None = None

    def _emit(self, event: str, build: Callable[[], dict[str, Any]]) -> None:
        """Fire `event` with the record build() makes, built only if someone listens."""
        sink = self.events
        if sink is not None and sink.wants(self.acronym, event):
            sink.emit(self.acronym, event, build())

    if TYPE_CHECKING:
        # Seams between resources, defined by their mixins: a lead delete drops its
        # call log (log.py), a list delete drops its leads (leads.py).
        def _drop_call_log(self, call_id: int) -> None: ...

        def _drop_lead(self, lead_id: int) -> None: ...

        def lead_event(self, lead_id: int) -> dict[str, Any]: ...

        # A deleted lead is kept for leads/search's deleted_at filters (lead_history.py)
        # and takes its callbacks with it (callbacks.py).
        def _bury_lead(self, lead_id: int, lead: Lead, custom: dict[str, str]) -> None: ...

        def _drop_lead_callbacks(self, lead_id: int) -> None: ...

        def lead_row_out(self, lead: Lead, custom: dict[str, str] | None) -> dict[str, Any]: ...
        # A lead given a status flagged dnc=Y puts its number on its campaign's DNC
        # list (dnc.py); leads/insert's check_dnc asks whether a number is listed.
        def _lead_status_set(self, lead_id: int) -> None: ...

        def dnc_listed(self, phone: str, code: str, campaign_id: int) -> bool: ...

        # dnc/delete's lead_status writes leads through the leads section's index upkeep
        # and announces them as the leads section does.
        def _put_lead(
            self, lead_id: int, lead: tuple[Any, ...], old: tuple[Any, ...] | None = None
        ) -> None: ...
