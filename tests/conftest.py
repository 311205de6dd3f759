"""Shared fixtures: one seeded app per session, reset before every test, and a client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from contract_validation import check_response, install_validation, validate_every_test_client
from flask import Flask

from mockvoso.actions import SECTIONS
from mockvoso.app import create_app

# Every response a Flask test client gets from a mockvoso app in this test process is
# validated against openapi.yaml (tests/contract_validation.py); a violation fails the test.
validate_every_test_client()

# A fixed world: same seed, same anchor, small offices (the suite runs in seconds).
TEST_SETTINGS: dict[str, Any] = {"seed": 1234, "leads": 300, "clock": "2026-01-01T00:00:00"}
# log/retrieve answers today's calls unless told otherwise: this window is the whole log.
WHOLE_LOG: dict[str, str] = {"start_time": "2000-01-01", "end_time": "2100-12-31"}


@dataclass
class Office:
    acronym: str
    full_token: str
    limited_token: str
    limited_sections: list[str]
    users: list[dict[str, str]]


class Api:
    """A test client that speaks Convoso: `api.call("leads/search", {...}, via="query")`.

    Its client validates every response against openapi.yaml (contract_validation.py),
    whichever way a test sends the request: call, control, or `api.http` directly.
    """

    def __init__(self, app: Flask, token: str) -> None:
        self.app = install_validation(app)
        self.http = app.test_client()
        self.token = token

    def call(
        self,
        action: str,
        params: dict[str, Any] | None = None,
        *,
        via: str = "form",
        token: str | None = "default",
        headers: dict[str, str] | None = None,
    ) -> Any:
        """POST form (default), POST json, or GET query; the token in the params."""
        params = dict(params or {})
        if token == "default":
            token = self.token
        if token is not None:
            params["auth_token"] = token
        path = f"/v1/{action}"
        if via == "query":
            response = self.http.get(path, query_string=params, headers=headers)
        elif via == "json":
            response = self.http.post(path, json=params, headers=headers)
        else:
            response = self.http.post(path, data=params, headers=headers)
        return check_response(response)

    def ok(self, action: str, params: dict[str, Any] | None = None, **kwargs: Any) -> dict:
        """Call and assert a Convoso success; return the body."""
        response = self.call(action, params, **kwargs)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["success"] is True, body
        return body

    def domain_error(
        self, action: str, params: dict[str, Any] | None, code: int, **kw: Any
    ) -> dict:
        """Call and assert a Convoso domain error (HTTP 200, success false, that code)."""
        response = self.call(action, params, **kw)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["success"] is False, body
        assert body["code"] == code, body
        assert set(body) == {"success", "code", "text"}
        return body

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        return check_response(self.http.open(f"/_mockvoso/{path}", method=method, **kwargs))


def validating_app(overrides: dict[str, Any] | None = None, **mock_kwargs: Any) -> Flask:
    """create_app(TEST_SETTINGS + overrides) whose test clients check the contract.

    For tests that build their own app: every response of app.test_client() is then
    validated against openapi.yaml, as with the `api` fixtures.
    """
    return install_validation(create_app({**TEST_SETTINGS, **(overrides or {})}, **mock_kwargs))


def offices_of(app: Flask) -> dict[str, Office]:
    body = app.test_client().get("/_mockvoso/offices").get_json()
    out = {}
    for office in body["offices"]:
        tokens = office["tokens"]
        full = next(t for t in tokens if set(t["sections"]) == set(SECTIONS))
        limited = next(t for t in tokens if set(t["sections"]) < set(SECTIONS))
        out[office["acronym"]] = Office(
            office["acronym"], full["token"], limited["token"], limited["sections"], office["users"]
        )
    return out


@pytest.fixture(scope="session")
def base_app() -> Flask:
    return validating_app()


@pytest.fixture
def app(base_app: Flask) -> Iterator[Flask]:
    base_app.extensions["mockvoso"].reset()
    yield base_app


@pytest.fixture(scope="session")
def offices(base_app: Flask) -> dict[str, Office]:
    return offices_of(base_app)


@pytest.fixture
def acme(offices: dict[str, Office]) -> Office:
    return offices["ACME"]


@pytest.fixture
def bravo(offices: dict[str, Office]) -> Office:
    return offices["BRAVO"]


@pytest.fixture
def api(app: Flask, acme: Office) -> Api:
    return Api(app, acme.full_token)


@pytest.fixture
def bravo_api(app: Flask, bravo: Office) -> Api:
    return Api(app, bravo.full_token)


@pytest.fixture(scope="session")
def frozen_app() -> Flask:
    """The test world with a stopped clock: server time is always TEST_SETTINGS' clock
    (2026-01-01 00:00:00 UTC, written in each office's zone), so the timestamps writes
    stamp can be asserted exactly."""
    return validating_app(monotonic=lambda: 0.0)


@pytest.fixture
def frozen_api(frozen_app: Flask) -> Api:
    frozen_app.extensions["mockvoso"].reset()
    return Api(frozen_app, offices_of(frozen_app)["ACME"].full_token)


@pytest.fixture
def make_api() -> Callable[..., Api]:
    """An Api over a fresh app with extra settings (auth modes, faults, limits)."""

    def make(**overrides: Any) -> Api:
        app = validating_app(overrides)
        return Api(app, offices_of(app)["ACME"].full_token)

    return make


class FakeClock:
    """An app's monotonic clock set by hand: the world clock reads anchor + (now - start)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clocked() -> tuple[Flask, FakeClock]:
    """An app of its own (per test module) whose clock the tests move."""
    clock = FakeClock()
    return validating_app(monotonic=clock), clock


@pytest.fixture
def clock(clocked: tuple[Flask, FakeClock]) -> FakeClock:
    """The clocked app freshly reset, its clock back at the anchor."""
    app, fake = clocked
    fake.now = 1000.0
    app.extensions["mockvoso"].reset()
    return fake
