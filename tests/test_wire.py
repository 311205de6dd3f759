"""The shared wire names: one endpoint-name rule for fault rules, journal filters and the pipeline."""

from __future__ import annotations

import subprocess
import sys

import pytest
from flask import Flask

from conftest import Api
from mockvoso.faults import normalise_endpoint
from mockvoso.testing.client import InProcessControl
from mockvoso.wire import ADMIN_HEADER, FAULT_HEADER, endpoint_name


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/v1/leads/search", "leads/search"),
        ("v1/leads/search", "leads/search"),
        ("leads/search", "leads/search"),
        ("/leads/search/", "leads/search"),
        (" V1/Leads/Search/ ", "leads/search"),
        ("/v1/agent-performance/search", "agent-performance/search"),
        ("v1", "v1"),
        ("*", "*"),
    ],
)
def test_endpoint_name(given: str, expected: str) -> None:
    assert endpoint_name(given) == expected


def test_fault_rules_use_the_same_rule() -> None:
    assert normalise_endpoint is endpoint_name


def test_header_names_on_the_wire() -> None:
    # Users' tests and proxies spell these by hand: they must never drift.
    assert (FAULT_HEADER, ADMIN_HEADER) == ("X-Mockvoso-Fault", "X-Mockvoso-Admin-Token")


def test_client_journal_filter_and_fault_rule_name_the_same_action(app: Flask, api: Api) -> None:
    control = InProcessControl(app)
    control.add_fault(endpoint=" V1/Campaigns/Search/ ", error_code=6004, times=1)
    faulted = api.call("campaigns/search")
    assert (faulted.status_code, faulted.get_json()["code"], faulted.headers[FAULT_HEADER]) == (
        200,
        6004,
        "f1",
    )
    api.ok("campaigns/search")
    api.ok("lists/search")
    entries = control.requests(endpoint="/V1/Campaigns/Search")
    assert [(e["endpoint"], e["fault"]) for e in entries] == [
        ("campaigns/search", "f1"),
        ("campaigns/search", None),
    ]


def test_control_client_imports_no_flask_or_marshmallow() -> None:
    code = (
        "import sys, mockvoso.testing.client\n"
        "heavy = {'flask', 'werkzeug', 'marshmallow'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "[]\n"
