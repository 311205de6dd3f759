"""jsonio: the orjson fast path writes exactly Flask's default bytes, or steps aside."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

import pytest
from flask.json.provider import DefaultJSONProvider

from mockvoso.app import create_app
from mockvoso.jsonio import fast_dumps


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app({"leads": 5})


def flask_bytes(obj: Any) -> bytes:
    """What Flask's own provider writes for obj with mockvoso's settings (the old path)."""
    from flask import Flask

    plain = Flask("plain")
    provider = DefaultJSONProvider(plain)
    provider.sort_keys = False  # type: ignore[attr-defined]
    provider.compact = True  # type: ignore[attr-defined]
    with plain.app_context():
        return provider.response(obj).get_data()


# Values both encoders must write identically (orjson or, when it steps aside, the stdlib).
SAME = [
    {"success": True, "data": {"offset": 0, "limit": 10, "total": "1", "entries": []}},
    {"b": 1, "a": 2, "c": {"z": None, "y": [True, False, None]}},  # key order kept
    {"offset": 10**30, "limit": -(10**25)},  # past 64 bits: orjson refuses, stdlib writes
    {"max": 2**63 - 1, "min": -(2**63), "u64": 2**64 - 1},
    {"name": "Zoë Ångström", "city": "Zürich", "emoji": "😀"},  # non-ASCII: \\uXXXX
    {"del": "a\x7fb", "ctl": "\x00\x01\x1f\t\n\r\b\f", "q": 'quote " back \\ slash /'},
    {"floats": [1e16, 1.5e300, -3e-300, 0.1, -0.0, 0.0, 1.0, 76.31, 100.0, 0.0001, 1e15]},
    {"nested": [[[{"a": [1, {"b": "c"}]}]]], "tuple": (1, "2", None)},
    {1: "int key", 2.5: "float key", None: "null key", False: "bool key"},
    {"when": datetime.date(2026, 1, 2), "at": datetime.datetime(2026, 1, 2, 3, 4, 5)},
    {"money": decimal.Decimal("1.50")},
    "just a string",
    None,
    [],
]


@pytest.mark.parametrize("obj", SAME, ids=range(len(SAME)))
def test_reply_writes_the_bytes_flask_writes(app: Any, obj: Any) -> None:
    with app.app_context():
        response = app.json.reply(obj)
    assert response.get_data() == flask_bytes(obj)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Length"] == str(len(flask_bytes(obj)))


def test_reply_keeps_a_status(app: Any) -> None:
    with app.app_context():
        response = app.json.reply({"success": False, "code": 6001}, 404)
    assert response.status_code == 404
    assert response.get_data() == b'{"success":false,"code":6001}\n'


@pytest.mark.parametrize(
    "obj",
    [
        {"offset": 10**30},
        {"name": "Zoë"},
        {"del": "\x7f"},
        {1: "int key"},
        {"tiny": 1e-05},
        {"when": datetime.date(2026, 1, 2)},
    ],
    ids=["huge-int", "non-ascii", "del", "int-key", "tiny-float", "date"],
)
def test_fast_dumps_steps_aside_where_orjson_differs(obj: Any) -> None:
    """Only the cases it can see: a tiny float is refused by its caller's contract."""
    out = fast_dumps(obj)
    if isinstance(obj.get("tiny"), float):
        # Not seen: orjson writes 0.00001 where the stdlib writes 1e-05, hence the
        # contract (no float below 1e-4 in a /v1 answer).
        assert out == b'{"tiny":0.00001}'
        assert json.dumps(obj) == '{"tiny": 1e-05}'
    else:
        assert out is None


def test_nan_and_infinity_differ_hence_the_contract() -> None:
    """The stdlib writes NaN (not JSON), orjson null: no /v1 answer holds one."""
    assert fast_dumps([float("nan"), float("inf")]) == b"[null,null]"
    assert flask_bytes([float("nan"), float("inf")]) == b"[NaN,Infinity]\n"


def test_fast_dumps_takes_a_lead_page(app: Any) -> None:
    """The hot case: a page of leads is written by orjson, equal to the stdlib's bytes."""
    store = next(iter(app.extensions["mockvoso"].world.offices.values()))
    rows = [store.lead_out(lid) for lid in store.state.leads]
    page = {"success": True, "data": {"offset": 0, "limit": 10, "total": "5", "entries": rows}}
    out = fast_dumps(page)
    assert out is not None
    assert out + b"\n" == flask_bytes(page)


def test_control_plane_keeps_the_stdlib(app: Any) -> None:
    """app.json.response (control plane, dashboard) still writes what Flask wrote."""
    obj = {"probability": 1e-05, "nan": float("nan")}
    with app.app_context():
        assert app.json.response(obj).get_data() == flask_bytes(obj)
