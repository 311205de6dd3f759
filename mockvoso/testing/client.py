"""Control-plane clients: one helper API over HTTP (Control) or in-process (a Flask app)."""

from __future__ import annotations

import json as jsonlib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# Light modules only (no Flask, no marshmallow): a Control client needs no extra.
from mockvoso.actions import SECTIONS
from mockvoso.wire import ADMIN_HEADER, CONTROL_PREFIX, endpoint_name

if TYPE_CHECKING:
    from flask import Flask

ALL_SECTIONS = frozenset(SECTIONS)
# Journal filters the server applies itself; any other keyword is matched here.
_SERVER_FILTERS = ("endpoint", "office", "status", "limit")

__all__ = [
    "ADMIN_HEADER",
    "Control",
    "ControlError",
    "InProcessControl",
    "MockvosoControl",
]


class ControlError(Exception):
    """A control-plane call answered 4xx/5xx; `message` is the server's own text."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        method: str = "",
        path: str = "",
        field: str | None = None,
        body: Any = None,
    ) -> None:
        where = f"{method} {path} -> " if method else ""
        super().__init__(f"{where}HTTP {status}: {message}")
        self.status = status
        self.message = message
        self.method = method
        self.path = path
        self.field = field
        self.body = body


def _decode(status: int, raw: bytes, method: str, path: str) -> Any:
    """The JSON body of a 2xx answer, or ControlError with the server's message."""
    try:
        body: Any = jsonlib.loads(raw) if raw.strip() else None
    except ValueError:
        body = None
    if status < 400:
        if body is None and raw.strip():
            raise ControlError(status, "the answer is not JSON", method=method, path=path)
        return body
    message = raw.decode("utf-8", "replace").strip() or f"HTTP {status}"
    field = None
    if isinstance(body, dict):
        # Control routes answer {"error", "field"}; a /v1 envelope has "text".
        message = str(body.get("error") or body.get("text") or message)
        field = body.get("field")
    raise ControlError(status, message, method=method, path=path, field=field, body=body)


class MockvosoControl:
    """Every control-plane helper, over one tiny `_call()` a transport subclass supplies.

    The pytest fixture, `mockvoso.intercept()` and `Control` all inherit from this class,
    so the helper set is the same wherever a mockvoso runs.
    """

    url: str = ""
    admin_token: str | None = None
    _offices_cache: list[dict[str, Any]] | None = None

    def _call(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        """Call `/_mockvoso<path>`; return the decoded JSON or raise ControlError."""
        raise NotImplementedError

    def _headers(self, has_body: bool) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if has_body:
            headers["Content-Type"] = "application/json"
        if self.admin_token:
            headers[ADMIN_HEADER] = self.admin_token
        return headers

    # --- health and offices --------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """GET /_mockvoso/health: {"status": "ok", "version": ...}."""
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def wait_until_healthy(self, timeout: float = 30.0, interval: float = 0.1) -> dict[str, Any]:
        """Poll /health until it answers 200 (a container still starting); return it.

        Connection errors and 5xx answers are retried until `timeout` seconds have
        passed, then TimeoutError names the last error. timeout=0 tries exactly once.
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.health()
            except ControlError as exc:
                if exc.status < 500:  # a 4xx will not heal by waiting
                    raise
                last: Exception = exc
            except OSError as exc:  # refused, reset, DNS not ready (URLError is an OSError)
                last = exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"mockvoso at {self.url} not healthy after {timeout:g}s: {last}"
                ) from last
            time.sleep(min(interval, remaining))

    @property
    def offices(self) -> list[dict[str, Any]]:
        """Offices as GET /_mockvoso/offices lists them (acronym, name, tokens, users).

        Fetched once: offices and tokens are fixed for a server's life (reset and
        restore change data, never tenants).
        """
        if self._offices_cache is None:
            self._offices_cache = list(self._call("GET", "/offices")["offices"])
        return self._offices_cache

    @property
    def office(self) -> str:
        """The first office's acronym (the one `token` belongs to)."""
        return str(self.offices[0]["acronym"])

    @property
    def token(self) -> str:
        """A full-access token of the first office."""
        return self.token_for()

    @property
    def offices_tokens(self) -> dict[str, list[dict[str, Any]]]:
        """{acronym: [{"token": ..., "sections": [...]}, ...]} for every office."""
        return {str(o["acronym"]): list(o["tokens"]) for o in self.offices}

    def token_for(self, office: str | None = None, section: str | None = None) -> str:
        """A token of `office` (default: the first) with full access, or with `section`.

        With `section`, the token with the fewest sections that still includes it, so a
        test can prove its client copes with a narrowly scoped token.
        """
        found = self._office(office)
        tokens = list(found["tokens"])
        if section is None:
            full = [t for t in tokens if set(t["sections"]) >= ALL_SECTIONS]
            if full:
                return str(full[0]["token"])
            raise LookupError(f"office {found['acronym']} has no full-access token")
        scoped = sorted(
            (t for t in tokens if section in t["sections"]), key=lambda t: len(t["sections"])
        )
        if scoped:
            return str(scoped[0]["token"])
        raise LookupError(f"office {found['acronym']} has no token for section {section!r}")

    def _office(self, office: str | None) -> dict[str, Any]:
        if office is None:
            return self.offices[0]
        for candidate in self.offices:
            if str(candidate["acronym"]).casefold() == office.casefold():
                return candidate
        known = ", ".join(str(o["acronym"]) for o in self.offices)
        raise LookupError(f"no such office: {office!r} (offices: {known})")

    # --- reset and snapshots -------------------------------------------------------

    def reset(self, office: str | None = None) -> dict[str, Any]:
        """Data back to the seed. Without `office` also faults, rate limit and journal."""
        result: dict[str, Any] = self._call(
            "POST", "/reset", json={"office": office} if office else None
        )
        return result

    def snapshot(self) -> dict[str, Any]:
        """Every office's data as a document `restore()` takes back."""
        result: dict[str, Any] = self._call("GET", "/snapshot")
        return result

    def restore(self, doc: dict[str, Any]) -> list[str]:
        """Put back a snapshot (all its offices or none); return the offices restored."""
        return list(self._call("POST", "/snapshot", json=doc)["restored"])

    # --- fault rules ---------------------------------------------------------------

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        """Add a run-time fault rule, e.g. add_fault(endpoint="leads/search", status=503).

        Returns the rule as the server stores it (with its `id`, e.g. "f1").
        """
        result: dict[str, Any] = self._call("POST", "/faults", json=rule)["fault"]
        return result

    def faults(self) -> list[dict[str, Any]]:
        """The rules in force, startup rules included, with their `remaining` counts."""
        return list(self._call("GET", "/faults")["faults"])

    def remove_fault(self, rule_id: str) -> None:
        """Remove one rule by id; ControlError (404) if there is none."""
        self._call("DELETE", f"/faults/{urllib.parse.quote(rule_id, safe='')}")

    def clear_faults(self) -> None:
        """Remove every rule, startup ones too (a reset brings startup rules back)."""
        self._call("DELETE", "/faults")

    # --- rate limit ----------------------------------------------------------------

    def set_rate_limit(
        self, requests: int, per_seconds: float, scope: str = "token"
    ) -> dict[str, Any]:
        """At most `requests` per `per_seconds` per token (or office): then HTTP 429."""
        body = {"requests": requests, "per_seconds": per_seconds, "scope": scope}
        result: dict[str, Any] = self._call("PUT", "/rate-limit", json=body)["rate_limit"]
        return result

    def get_rate_limit(self) -> dict[str, Any] | None:
        """The limit in force ({"requests", "per_seconds", "scope"}) or None."""
        result: dict[str, Any] | None = self._call("GET", "/rate-limit")["rate_limit"]
        return result

    def clear_rate_limit(self) -> None:
        """No rate limit until the next set_rate_limit() (a reset restores a startup one)."""
        self._call("DELETE", "/rate-limit")

    # --- data (read-only, as the dashboard browses it) ------------------------------

    def data_counts(self, office: str | None = None) -> dict[str, int]:
        """{"leads": N, "lists": N, "campaigns": N, "log": N, "recordings": N} of an office."""
        acronym = str(self._office(office)["acronym"])
        path = f"/offices/{urllib.parse.quote(acronym, safe='')}/data"
        return dict(self._call("GET", path)["resources"])

    def data(
        self,
        resource: str,
        office: str | None = None,
        *,
        offset: int | None = None,
        limit: int | None = None,
        **filters: Any,
    ) -> dict[str, Any]:
        """One page of `leads`, `lists`, `campaigns`, `log` or `recordings` of an office.

        Filters are the /v1 search action's own (`list_id=2701`, `status="SALE"`); no
        auth_token is needed and nothing lands in the request journal. Returns
        {"office", "resource", "offset", "limit", "total", "filters", "entries"}.
        """
        acronym = str(self._office(office)["acronym"])
        params = {k: str(v) for k, v in filters.items() if v is not None}
        if offset is not None:
            params["offset"] = str(offset)
        if limit is not None:
            params["limit"] = str(limit)
        path = (
            f"/offices/{urllib.parse.quote(acronym, safe='')}/data/"
            f"{urllib.parse.quote(resource, safe='')}"
        )
        result: dict[str, Any] = self._call("GET", path, params=params or None)
        return result

    # --- request journal -----------------------------------------------------------

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first. Filters: endpoint, office, status, limit.

        Any other keyword (method="POST", fault="f1", path=...) must equal the entry's
        field; `limit` then keeps the most recent matches.
        """
        if "endpoint" in filters and filters["endpoint"] is not None:
            filters["endpoint"] = endpoint_name(str(filters["endpoint"]))
        local = {k: v for k, v in filters.items() if k not in _SERVER_FILTERS}
        server = {k: v for k, v in filters.items() if k in _SERVER_FILTERS and v is not None}
        limit = server.pop("limit", None) if local else server.get("limit")
        if not local and limit is not None:
            server["limit"] = limit
        entries = list(self._call("GET", "/requests", params=server or None)["requests"])
        if local:
            entries = [e for e in entries if all(e.get(k) == v for k, v in local.items())]
            if limit is not None:
                entries = entries[-int(limit) :] if int(limit) else []
        return entries

    def clear_requests(self) -> None:
        """Empty the journal (a full reset does it too)."""
        self._call("DELETE", "/requests")


class Control(MockvosoControl):
    """The helpers over HTTP for a mockvoso running elsewhere (Docker, `mockvoso serve`).

    Standard library only. Proxies from the environment are ignored on purpose: the
    control plane is a local or same-network service, and a corporate HTTP(S)_PROXY
    would otherwise swallow `http://mockvoso:8000`.
    """

    def __init__(self, url: str, admin_token: str | None = None, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def __repr__(self) -> str:
        return f"Control({self.url!r})"

    def _call(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        url = f"{self.url}{CONTROL_PREFIX}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = jsonlib.dumps(json).encode() if json is not None else None
        request = urllib.request.Request(
            url, data=data, method=method, headers=self._headers(data is not None)
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return _decode(response.status, response.read(), method, path)
        except urllib.error.HTTPError as exc:  # 4xx/5xx: the body carries the reason
            with exc:
                raw = exc.read()
            return _decode(exc.code, raw, method, path)


class InProcessControl(MockvosoControl):
    """The helpers called straight into a Flask app (its test client): no socket.

    Used by the pytest fixture and by intercept(); `app_factory` builds the app on
    first use, so creating the object costs nothing.
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        url: str = "",
        admin_token: str | None = None,
        app_factory: Callable[[], Flask] | None = None,
    ) -> None:
        self._app = app
        self._app_factory = app_factory
        self.url = url.rstrip("/")
        self.admin_token = admin_token

    @property
    def app(self) -> Flask:
        """The Flask app behind these helpers (for `app.test_client()` users)."""
        if self._app is None:
            if self._app_factory is None:
                raise RuntimeError("no app: pass app= or app_factory=")
            self._app = self._app_factory()
        return self._app

    def _call(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        app = self.app
        headers = self._headers(json is not None)
        # In process the app's own admin token is known: the helpers just work with it.
        expected = app.extensions["mockvoso"].settings.admin_token
        if expected and ADMIN_HEADER not in headers:
            headers[ADMIN_HEADER] = expected
        response = app.test_client().open(
            CONTROL_PREFIX + path,
            method=method,
            query_string=params,
            data=jsonlib.dumps(json) if json is not None else None,
            headers=headers,
        )
        return _decode(response.status_code, response.get_data(), method, path)
