"""A small, self-rate-limited HTTP client for the upstream (stdlib only, form POSTs)."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Convoso documents no limit for these read actions; two a second is far under anything a
# dialer's own integrations send, and a battery of ~13 calls still ends in seconds.
DEFAULT_RATE = 2.0  # requests per second
DEFAULT_TIMEOUT = 15.0  # seconds per request
USER_AGENT = "mockvoso-upstream"


class UpstreamError(Exception):
    """The upstream could not be reached or did not answer in time (no HTTP answer)."""


@dataclass
class Answer:
    """One upstream HTTP answer, as received."""

    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: float = 0.0
    document: Any = field(default=None, repr=False)
    is_json: bool = False

    @classmethod
    def build(cls, status: int, headers: dict[str, str], body: bytes, elapsed: float) -> Answer:
        answer = cls(status, headers, body, round(elapsed * 1000, 1))
        try:
            answer.document = json.loads(body)
            answer.is_json = True
        except (ValueError, UnicodeDecodeError):
            pass
        return answer

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def is_auth_failure(answer: Answer) -> bool:
    """HTTP 401, or Convoso's legacy answer: HTTP 200 with code 401 in the body."""
    if answer.status == 401:
        return True
    doc = answer.document
    return isinstance(doc, dict) and doc.get("success") is False and doc.get("code") in (401, "401")


class Upstream:
    """POSTs /v1/<action> forms to a base URL, at most `rate` requests a second.

    sleep and monotonic are injectable so tests never wait for real.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        rate: float = DEFAULT_RATE,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._sleep = sleep
        self._monotonic = monotonic
        self._next = 0.0
        self._lock = threading.Lock()

    def _pace(self) -> None:
        with self._lock:
            now = self._monotonic()
            wait = self._next - now
            self._next = max(now, self._next) + self.interval
        if wait > 0:
            self._sleep(wait)

    def send(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request as given (the proxy forwards a client's request unchanged)."""
        # Here, not at the top: `mockvoso serve` imports this module for its --help
        # defaults, and urllib.request (http.client, email) is ~25 ms of every start.
        import urllib.error
        import urllib.request

        self._pace()
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, data=body, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if not request.has_header("User-agent"):
            request.add_header("User-Agent", USER_AGENT)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                status, got = response.status, response.headers
        except urllib.error.HTTPError as exc:  # 4xx/5xx still carry an answer
            try:
                raw = exc.read()
            except (OSError, TimeoutError):
                raw = b""
            status, got = exc.code, exc.headers
        except TimeoutError as exc:
            raise UpstreamError(f"no answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise UpstreamError(f"no answer within {self.timeout:g} s") from exc
            raise UpstreamError(f"cannot reach the upstream: {reason}") from exc
        except (OSError, ValueError) as exc:
            raise UpstreamError(f"cannot reach the upstream: {exc}") from exc
        names = {k.lower(): v for k, v in got.items()}
        return Answer.build(status, names, raw, time.perf_counter() - started)

    def call(self, action: str, params: dict[str, Any], token: str) -> Answer:
        """POST /v1/<action> as a form with auth_token: the token stays out of URLs."""
        form = {"auth_token": token, **{k: str(v) for k, v in params.items()}}
        return self.send(
            "POST",
            f"/v1/{action}",
            body=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
