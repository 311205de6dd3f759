"""Unit tests of the token-bucket RateLimiter, driven by a fake clock."""

from __future__ import annotations

import threading

import pytest

from mockvoso.faults.ratelimit import RateDecision, RateLimiter, parse_rate_limit
from mockvoso.faults.rules import RuleError


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def limiter(
    requests: int, per_seconds: float, scope: str = "token"
) -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    limits = RateLimiter(clock=clock)
    limits.set({"requests": requests, "per_seconds": per_seconds, "scope": scope})
    return limits, clock


def check(limits: RateLimiter, token: str = "tok", office: str = "ACME") -> RateDecision:
    decision = limits.check(token, office)
    assert decision is not None
    return decision


# --- parse_rate_limit ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3/60", (3, 60.0)), (" 10 / 1 ", (10, 1.0)), ("5/0.5", (5, 0.5)), ("1/3600", (1, 3600.0))],
)
def test_parse_rate_limit(text: str, expected: tuple[int, float]) -> None:
    assert parse_rate_limit(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("3", "must look like N/S"),
        ("", "must look like N/S"),
        ("a/60", "must look like N/S"),
        ("3/x", "must look like N/S"),
        ("1.5/60", "must look like N/S"),
        ("0/60", "N must be at least 1"),
        ("-2/60", "N must be at least 1"),
        ("3/0", "S must be a positive number"),
        ("3/-1", "S must be a positive number"),
        ("3/inf", "S must be a positive number"),
    ],
)
def test_parse_rate_limit_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_rate_limit(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)


# --- the bucket ----------------------------------------------------------------------------


def test_three_per_minute_refills_one_token_every_twenty_seconds() -> None:
    limits, clock = limiter(3, 60)
    assert check(limits) == RateDecision(True, 3, 2, 20, 0)
    assert check(limits) == RateDecision(True, 3, 1, 40, 0)
    assert check(limits) == RateDecision(True, 3, 0, 60, 0)
    refused = check(limits)
    assert refused == RateDecision(
        allowed=False, limit=3, remaining=0, reset_seconds=60, retry_after=20
    )
    assert refused.headers() == {
        "X-RateLimit-Limit": "3",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "60",
        "Retry-After": "20",
    }
    clock.advance(10)
    assert check(limits) == RateDecision(False, 3, 0, 50, 10)  # half a token so far
    clock.advance(10)
    allowed = check(limits)
    assert allowed == RateDecision(True, 3, 0, 60, 0)
    assert allowed.headers() == {
        "X-RateLimit-Limit": "3",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "60",
    }
    assert check(limits).retry_after == 20


def test_refill_is_continuous_and_capped_at_capacity() -> None:
    limits, clock = limiter(3, 60)
    for _ in range(3):
        check(limits)
    clock.advance(45)  # 2.25 tokens back
    assert check(limits) == RateDecision(True, 3, 1, 35, 0)  # 1.25 left, 1.75 to go = 35 s
    clock.advance(10_000)
    assert check(limits) == RateDecision(True, 3, 2, 20, 0)  # full again, never above 3


def test_retry_after_is_at_least_one_second() -> None:
    limits, clock = limiter(10, 1)
    for _ in range(10):
        assert check(limits).allowed
    refused = check(limits)
    assert refused.allowed is False
    assert refused.retry_after == 1  # 0.1 s really, rounded up
    assert refused.reset_seconds == 1
    clock.advance(0.1)
    assert check(limits).allowed is True


def test_exact_refill_after_many_periods_has_no_float_drift() -> None:
    limits, clock = limiter(7, 3)  # one token every 3/7 s, not a round float
    for _ in range(7):
        check(limits)
    for _ in range(200):
        clock.advance(3 / 7)
        assert check(limits).allowed is True
        assert check(limits).allowed is False


def test_per_token_scope_gives_each_token_its_own_bucket() -> None:
    limits, _ = limiter(2, 60, "token")
    assert [check(limits, "a", "ACME").allowed for _ in range(3)] == [True, True, False]
    assert [check(limits, "b", "ACME").allowed for _ in range(3)] == [True, True, False]


def test_per_office_scope_shares_a_bucket_across_tokens() -> None:
    limits, _ = limiter(2, 60, "office")
    assert check(limits, "a", "ACME").allowed is True
    assert check(limits, "b", "acme").allowed is True  # same office, any case
    assert check(limits, "c", "ACME").allowed is False
    assert check(limits, "a", "OTHER").allowed is True


# --- configuration -------------------------------------------------------------------------


def test_no_limit_means_none() -> None:
    limits = RateLimiter(clock=FakeClock())
    assert limits.get() is None
    assert limits.check("tok", "ACME") is None


def test_set_returns_config_with_default_scope_and_get_returns_a_copy() -> None:
    limits = RateLimiter(clock=FakeClock())
    assert limits.set({"requests": 5, "per_seconds": 2}) == {
        "requests": 5,
        "per_seconds": 2.0,
        "scope": "token",
    }
    got = limits.get()
    assert got == {"requests": 5, "per_seconds": 2.0, "scope": "token"}
    assert got is not None
    got["requests"] = 99
    assert limits.get() == {"requests": 5, "per_seconds": 2.0, "scope": "token"}


def test_set_empties_the_buckets() -> None:
    limits, _ = limiter(1, 60)
    assert check(limits).allowed is True
    assert check(limits).allowed is False
    limits.set({"requests": 1, "per_seconds": 60})
    assert check(limits).allowed is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "body"),
        (None, "body"),
        ({"per_seconds": 60}, "requests"),
        ({"requests": 0, "per_seconds": 60}, "requests"),
        ({"requests": 1.5, "per_seconds": 60}, "requests"),
        ({"requests": True, "per_seconds": 60}, "requests"),
        ({"requests": "3", "per_seconds": 60}, "requests"),
        ({"requests": 3}, "per_seconds"),
        ({"requests": 3, "per_seconds": 0}, "per_seconds"),
        ({"requests": 3, "per_seconds": -1}, "per_seconds"),
        ({"requests": 3, "per_seconds": "60"}, "per_seconds"),
        ({"requests": 3, "per_seconds": True}, "per_seconds"),
        ({"requests": 3, "per_seconds": float("inf")}, "per_seconds"),
        ({"requests": 3, "per_seconds": 60, "scope": "user"}, "scope"),
        ({"requests": 3, "per_seconds": 60, "burst": 2}, "burst"),
    ],
)
def test_set_validation_names_the_field(data: object, field: str) -> None:
    limits = RateLimiter(clock=FakeClock())
    with pytest.raises(RuleError) as info:
        limits.set(data)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert limits.get() is None


def test_clear_and_reset_without_startup() -> None:
    limits, _ = limiter(1, 60)
    limits.clear()
    assert limits.get() is None
    assert limits.check("tok", "ACME") is None
    limits.set({"requests": 1, "per_seconds": 60})
    limits.reset()
    assert limits.get() is None


def test_reset_restores_the_startup_limit_with_full_buckets() -> None:
    clock = FakeClock()
    limits = RateLimiter(clock=clock, startup={"requests": 1, "per_seconds": 60})
    assert limits.get() == {"requests": 1, "per_seconds": 60.0, "scope": "token"}
    assert check(limits).allowed is True
    assert check(limits).allowed is False
    limits.set({"requests": 5, "per_seconds": 1, "scope": "office"})
    limits.reset()
    assert limits.get() == {"requests": 1, "per_seconds": 60.0, "scope": "token"}
    assert check(limits).allowed is True
    limits.clear()
    assert limits.get() is None
    limits.reset()
    assert limits.get() == {"requests": 1, "per_seconds": 60.0, "scope": "token"}


def test_invalid_startup_limit_is_rejected() -> None:
    with pytest.raises(RuleError) as info:
        RateLimiter(clock=FakeClock(), startup={"requests": 0, "per_seconds": 60})
    assert info.value.field == "requests"


# --- threads -------------------------------------------------------------------------------


def test_threads_cannot_overdraw_the_bucket() -> None:
    limits, _ = limiter(100, 3600)  # the clock never moves: no refill
    allowed = [0] * 8
    start = threading.Barrier(8)

    def worker(index: int) -> None:
        start.wait()
        for _ in range(50):
            if check(limits).allowed:
                allowed[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == 100
    assert check(limits).allowed is False
