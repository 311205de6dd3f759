"""The read-only battery: which actions `verify` and `clone-seed` call, with which parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Every action here only reads. A write is never part of the battery: a real account's
# data must not change because someone checked a mock against it.
PAGE = 5  # a small page: enough items to see every key, few enough to stay polite

Params = Callable[["Context"], dict[str, Any]]


@dataclass
class Context:
    """What one side (upstream or mockvoso) answered so far: later calls borrow ids."""

    day: date
    answers: dict[str, Any]
    # Used when users/search gave no e-mail (mockvoso before it has that action).
    fallback_email: str | None = None

    def first_user_email(self) -> str | None:
        results = _dig(self.answers.get("users/search"), "data", "results")
        rows = list(results.values()) if isinstance(results, dict) else results
        for row in rows or ():
            if isinstance(row, dict) and isinstance(row.get("email"), str):
                return str(row["email"])
        return self.fallback_email

    def first_lead_id(self) -> str | None:
        entries = _dig(self.answers.get("leads/search"), "data", "entries")
        for row in entries or ():
            if isinstance(row, dict) and row.get("id") is not None:
                return str(row["id"])
        return None


def _dig(doc: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


@dataclass(frozen=True)
class Probe:
    """One battery call: an action and how to build its parameters from the context."""

    action: str
    params: Params


def _window(ctx: Context) -> dict[str, str]:
    return {
        "start_time": f"{ctx.day.isoformat()} 00:00:00",
        "end_time": f"{ctx.day.isoformat()} 23:59:59",
    }


def _user_recordings(ctx: Context) -> dict[str, Any]:
    email = ctx.first_user_email()
    return {"limit": PAGE, "offset": 0, **({"user": email} if email else {})}


def _lead_recordings(ctx: Context) -> dict[str, Any]:
    lead = ctx.first_lead_id()
    return {"limit": PAGE, "offset": 0, **({"lead_id": lead} if lead else {})}


def _one_day(ctx: Context) -> dict[str, str]:
    return {"date_start": ctx.day.isoformat(), "date_end": ctx.day.isoformat()}


# In dependency order: users/search and leads/search come before the calls that need a
# user's e-mail or a lead id from them. Actions mockvoso does not have yet are still
# called upstream and checked against the contract once it describes them.
BATTERY: tuple[Probe, ...] = (
    Probe("campaigns/search", lambda ctx: {}),
    Probe("lists/search", lambda ctx: {}),
    Probe("status/search", lambda ctx: {"query": ""}),
    Probe("users/search", lambda ctx: {"limit": PAGE, "offset": 0}),
    Probe("leads/search", lambda ctx: {"limit": PAGE, "offset": 0}),
    Probe("log/retrieve", lambda ctx: {"limit": PAGE, "offset": 0, **_window(ctx)}),
    Probe("users/recordings", _user_recordings),
    Probe("leads/get-recordings", _lead_recordings),
    Probe("dnc/search", lambda ctx: {"limit": PAGE, "offset": 0}),
    Probe("callbacks/search", lambda ctx: {"limit": PAGE, "offset": 0}),
    Probe("sms-opt-out/search", lambda ctx: {"limit": PAGE, "offset": 0}),
    Probe("agent-performance/search", _one_day),
    Probe("agent-productivity/search", lambda ctx: {**_one_day(ctx), "limit": PAGE}),
)

# Read actions by name: what the proxy forwards without --allow-writes.
READ_SUFFIXES: tuple[str, ...] = ("/search", "/retrieve", "/recordings", "/get-recordings")


def is_read(action: str) -> bool:
    """Whether a /v1 action only reads (search, retrieve, recordings)."""
    return action.endswith(READ_SUFFIXES)


def yesterday(today: date) -> date:
    """The battery's one-day window: yesterday is a whole day on every account's clock."""
    return today - timedelta(days=1)
