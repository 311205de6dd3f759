"""Rate limiting: a continuous token bucket per token or per office, with 429 headers."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockvoso.faults.rules import RuleError

SCOPES = ("token", "office")
_KEYS = ("requests", "per_seconds", "scope")
# Float refill arithmetic can land a hair below a whole token (0.9999999999 after
# exactly one refill period); without this slack a client retrying after exactly
# Retry-After seconds could be refused again.
_EPSILON = 1e-9


def parse_rate_limit(text: str) -> tuple[int, float]:
    """`"3/60"` -> (3, 60.0): N requests per S seconds (the --rate-limit flag)."""
    requests_text, sep, seconds_text = str(text).strip().partition("/")
    message = f"rate limit must look like N/S (N requests per S seconds), got {text!r}"
    if not sep:
        raise ValueError(message)
    try:
        requests = int(requests_text.strip())
        seconds = float(seconds_text.strip())
    except ValueError:
        raise ValueError(message) from None
    if requests < 1:
        raise ValueError(f"rate limit: N must be at least 1, got {text!r}")
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError(f"rate limit: S must be a positive number of seconds, got {text!r}")
    return requests, seconds


@dataclass(frozen=True)
class RateDecision:
    """One check's outcome, with everything the X-RateLimit-* headers need."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def _validate(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise RuleError("body", "a rate limit must be a JSON object")
    unknown = [str(key) for key in data if key not in _KEYS]
    if unknown:
        raise RuleError(unknown[0], f"unknown field; allowed fields: {', '.join(_KEYS)}")
    requests = data.get("requests")
    if requests is None:
        raise RuleError("requests", "is required")
    if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
        raise RuleError("requests", f"must be an integer >= 1, got {requests!r}")
    per_seconds = data.get("per_seconds")
    if per_seconds is None:
        raise RuleError("per_seconds", "is required")
    if (
        isinstance(per_seconds, bool)
        or not isinstance(per_seconds, (int, float))
        or not (per_seconds > 0 and math.isfinite(per_seconds))
    ):
        raise RuleError("per_seconds", f"must be a number > 0, got {per_seconds!r}")
    scope = data.get("scope")
    scope = "token" if scope is None else scope
    if scope not in SCOPES:
        raise RuleError("scope", f"must be 'token' or 'office', got {scope!r}")
    return {"requests": requests, "per_seconds": float(per_seconds), "scope": scope}


class _Bucket:
    __slots__ = ("stamp", "tokens")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp


class RateLimiter:
    """At most `requests` per `per_seconds`, refilled continuously, per token or office.

    Buckets are created full on first use. Only authenticated requests reach the
    limiter (auth runs first), so the number of buckets is bounded by known tokens
    and offices.
    """

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, startup: dict | None = None
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._startup = _validate(startup) if startup is not None else None
        self._config: dict[str, Any] | None = None
        self._buckets: dict[str, _Bucket] = {}
        self.reset()

    def set(self, data: object) -> dict[str, Any]:
        """Replace the limit; buckets start full again so the new limit applies cleanly."""
        config = _validate(data)
        with self._lock:
            self._config = config
            self._buckets = {}
        return dict(config)

    def get(self) -> dict[str, Any] | None:
        with self._lock:
            return dict(self._config) if self._config is not None else None

    def clear(self) -> None:
        with self._lock:
            self._config = None
            self._buckets = {}

    def reset(self) -> None:
        with self._lock:
            self._config = dict(self._startup) if self._startup is not None else None
            self._buckets = {}

    def check(self, token: str, office: str) -> RateDecision | None:
        """Take one token from the caller's bucket; None when no limit is set."""
        if self._config is None:  # lock-free on the hot path: limits are usually off
            return None
        with self._lock:
            config = self._config
            if config is None:
                return None
            capacity: int = config["requests"]
            rate = capacity / config["per_seconds"]  # tokens per second
            # Offices compare case-insensitively everywhere else, so here too.
            key = token if config["scope"] == "token" else office.casefold()
            now = self._clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(float(capacity), now)
            else:
                elapsed = max(0.0, now - bucket.stamp)  # a clock never runs backwards here
                bucket.tokens = min(float(capacity), bucket.tokens + elapsed * rate)
                bucket.stamp = now
            allowed = bucket.tokens + _EPSILON >= 1.0
            if allowed:
                bucket.tokens = max(0.0, bucket.tokens - 1.0)
            tokens = bucket.tokens
        remaining = math.floor(tokens + _EPSILON)
        reset_seconds = max(0, math.ceil((capacity - tokens) / rate - _EPSILON))
        retry_after = 0 if allowed else max(1, math.ceil((1.0 - tokens) / rate - _EPSILON))
        return RateDecision(
            allowed=allowed,
            limit=capacity,
            remaining=remaining,
            reset_seconds=reset_seconds,
            retry_after=retry_after,
        )


__all__ = ["SCOPES", "RateDecision", "RateLimiter", "parse_rate_limit"]
