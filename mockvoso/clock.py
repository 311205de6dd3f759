"""VirtualClock: the mock's one "now", from an anchor; tests can set, advance or freeze it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

TIMESTAMP = "%Y-%m-%d %H:%M:%S"


class ClockError(ValueError):
    """A move the clock refuses (backwards, negative, unparseable)."""


class VirtualClock:
    """Now, as the mock sees it: an anchor plus the (real) time elapsed since, plus any jump.

    Every timestamp the mock writes (inserts, updates, callback stages, the dialer,
    webhook `sent_at`) reads this clock; fault latency, hangs and the rate limiter keep
    real time. Without --clock the anchor is the start time. It never moves backwards:
    time only jumps forward (`set`, `advance`) or stops (`freeze`).
    """

    def __init__(self, anchor: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.anchor = anchor
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._listeners: list[Callable[[datetime, datetime], None]] = []
        self._restart(anchor)

    def _restart(self, at: datetime) -> None:
        self._base = at  # the virtual time at monotonic reading _since
        self._since = self._monotonic()
        self._frozen = False

    def __call__(self) -> datetime:
        with self._lock:
            return self._now()

    def _now(self) -> datetime:
        if self._frozen:
            return self._base
        return self._base + timedelta(seconds=self._monotonic() - self._since)

    @property
    def frozen(self) -> bool:
        return self._frozen

    def text(self) -> str:
        return self().strftime(TIMESTAMP)

    def on_move(self, listener: Callable[[datetime, datetime], None]) -> None:
        """Call listener(before, after) after every set/advance (callbacks coming due)."""
        self._listeners.append(listener)

    def set(self, when: datetime) -> datetime:
        """Jump to `when`; refused (ClockError) if that is before now."""
        with self._lock:
            before = self._now()
            if when < before.replace(microsecond=0):
                raise ClockError(
                    f"set: {when:%Y-%m-%d %H:%M:%S} is before now "
                    f"({before:%Y-%m-%d %H:%M:%S}); the clock never moves backwards"
                )
            self._base, self._since = max(when, before), self._monotonic()
            after = self._base
        self._notify(before, after)
        return after

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ClockError("advance: must be >= 0 seconds; the clock never moves backwards")
        with self._lock:
            before = self._now()
            try:
                later = before + timedelta(seconds=seconds)
            except OverflowError:  # past year 9999, or more seconds than timedelta holds
                raise ClockError(
                    f"advance: {seconds!r} seconds would take the clock past year 9999"
                ) from None
            self._base, self._since = later, self._monotonic()
            after = self._base
        self._notify(before, after)
        return after

    def freeze(self, frozen: bool) -> None:
        """Stop (True) or restart (False) the clock where it stands."""
        with self._lock:
            self._base, self._since = self._now(), self._monotonic()
            self._frozen = frozen

    def reset(self) -> None:
        """Back to the anchor, running (what a fresh server has)."""
        with self._lock:
            self._restart(self.anchor)

    def _notify(self, before: datetime, after: datetime) -> None:
        for listener in list(self._listeners):
            listener(before, after)


def parse_timestamp(value: object) -> datetime:
    """`YYYY-MM-DD HH:MM:SS` (or with a `T`) as a datetime, else ClockError."""
    if not isinstance(value, str):
        raise ClockError(f"set: expected 'YYYY-MM-DD HH:MM:SS', got {value!r}")
    try:
        return datetime.strptime(value.strip().replace("T", " "), TIMESTAMP)
    except ValueError:
        raise ClockError(f"set: expected 'YYYY-MM-DD HH:MM:SS', got {value!r}") from None
