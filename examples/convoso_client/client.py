"""A small Convoso client: the kind of code a team tests with mockvoso (it knows nothing of it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

DEFAULT_BASE_URL = "https://api.convoso.com"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ConvosoError(Exception):
    """Convoso answered `success: false` (a domain error, usually at HTTP 200)."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"Convoso error {code}: {text}")
        self.code = code
        self.text = text


class ConvosoClient:
    """leads/insert, leads/search, leads/update and log/retrieve over one requests.Session.

    Retries: a 429 is always retried (the request was refused, not processed); a 5xx
    only for reads, since a write may have happened before the server failed. The wait
    is the server's Retry-After when given, else an exponential backoff.
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        max_retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep  # a seam for tests: nobody wants to wait out a Retry-After
        self.session = requests.Session()

    def _call(self, action: str, params: dict[str, Any], *, read: bool) -> dict[str, Any]:
        url = f"{self.base_url}/v1/{action}"
        for attempt in range(self.max_retries + 1):
            response = self.session.post(
                url, data={"auth_token": self.token, **params}, timeout=self.timeout
            )
            retryable = response.status_code == 429 or (
                read and response.status_code in RETRY_STATUSES
            )
            if not retryable or attempt == self.max_retries:
                break
            retry_after = response.headers.get("Retry-After")
            self.sleep(float(retry_after) if retry_after else self.backoff * 2**attempt)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        if not body.get("success"):
            raise ConvosoError(int(body.get("code", 0)), str(body.get("text", "")))
        return body

    def insert_lead(self, list_id: int, phone_number: str, **fields: Any) -> int:
        """Add a lead to a list; return its new id."""
        body = self._call(
            "leads/insert", {"list_id": list_id, "phone_number": phone_number, **fields}, read=False
        )
        return int(body["data"]["lead_id"])

    def find_lead_by_phone(self, phone_number: str) -> dict[str, Any] | None:
        """The first lead with this phone number, or None."""
        body = self._call("leads/search", {"phone_number": phone_number, "limit": 1}, read=True)
        entries: list[dict[str, Any]] = body["data"]["entries"]
        return entries[0] if entries else None

    def update_lead_status(self, lead_id: int | str, status: str) -> None:
        """Set a lead's disposition status (SALE, CALLBK, DNC, ...)."""
        self._call("leads/update", {"lead_id": lead_id, "status": status}, read=False)

    def recent_calls(self, since: str, limit: int = 100) -> list[dict[str, Any]]:
        """Call-log rows since `since` (YYYY-MM-DD HH:MM:SS), newest first."""
        body = self._call("log/retrieve", {"start_time": since, "limit": limit}, read=True)
        results: list[dict[str, Any]] = body["data"]["results"]
        return results
