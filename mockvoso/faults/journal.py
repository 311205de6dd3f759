"""The request journal: a bounded, filterable ring buffer of the requests mockvoso served."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

MASK = "****"
# Enough of a token to tell tokens apart in a journal, not enough to reuse one.
_VISIBLE = 4


def mask_params(params: dict[str, Any]) -> dict[str, Any]:
    """A copy of `params` with auth_token cut to its first 4 characters plus MASK."""
    masked = dict(params)
    token = masked.get("auth_token")
    if token is not None:
        text = str(token)
        masked["auth_token"] = text[:_VISIBLE] + MASK if len(text) > _VISIBLE else MASK
    return masked


class Journal:
    """The last `size` requests, oldest first; older ones are evicted and counted."""

    def __init__(self, size: int = 1000) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"journal size must be an integer >= 1, got {size!r}")
        self._size = size
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._next_id = 1
        self._dropped = 0

    @property
    def dropped(self) -> int:
        """How many entries were evicted since the last clear()."""
        return self._dropped

    def record(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Store a copy of `entry` with a fresh increasing "id" first; returns that copy."""
        with self._lock:
            stored = {"id": self._next_id, **{k: v for k, v in entry.items() if k != "id"}}
            self._next_id += 1
            if len(self._entries) == self._size:
                self._dropped += 1  # deque(maxlen) evicts silently; we count it
            self._entries.append(stored)
            return stored

    def list(
        self,
        *,
        endpoint: str | None = None,
        office: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Matching entries, oldest first; `limit` keeps the most recent N of them."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, got {limit}")
        wanted_office = office.casefold() if office is not None else None
        with self._lock:
            entries = list(self._entries)
        found = [
            entry
            for entry in entries
            if (endpoint is None or entry.get("endpoint") == endpoint)
            and (status is None or entry.get("status") == status)
            and (
                wanted_office is None
                or (
                    isinstance(entry.get("office"), str)
                    and entry["office"].casefold() == wanted_office
                )
            )
        ]
        if limit is not None:
            found = found[-limit:] if limit else []
        # Shallow copies, so a caller editing a listed entry cannot rewrite history.
        return [dict(entry) for entry in found]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._next_id = 1
            self._dropped = 0


__all__ = ["MASK", "Journal", "mask_params"]
