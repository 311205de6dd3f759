"""Every control-plane error is plain JSON {"error": …} with a precise message, never the envelope."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["nope", "health/extra", "faults/f1/more"])
def test_unknown_control_route_is_a_control_404(api, path):
    response = api.control("GET", path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == {"error": f"no control route /_mockvoso/{path}"}


def test_wrong_method_on_a_control_route_is_a_control_405(api):
    response = api.control("DELETE", "reset")
    assert response.status_code == 405
    assert sorted(response.headers["Allow"].split(", ")) == ["OPTIONS", "POST"]
    assert response.get_json() == {
        "error": "DELETE is not allowed on /_mockvoso/reset (allowed: OPTIONS, POST)"
    }


@pytest.mark.parametrize(
    ("office", "shown"), [(5, "5"), (True, "True"), (["ACME"], "['ACME']"), ({"a": 1}, "{'a': 1}")]
)
def test_reset_with_a_non_string_office_is_a_400(api, office, shown):
    inserted = api.ok(
        "leads/insert", {"list_id": 2701, "phone_number": "5305550188", "first_name": "Kept"}
    )["data"]["lead_id"]
    response = api.control("POST", "reset", json={"office": office})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": f"office: must be an office acronym (a string), not {shown}",
        "field": "office",
    }
    # Nothing was reset: the lead inserted before is still there.
    found = api.ok("leads/search", {"lead_id": inserted})["data"]
    assert found["total"] == "1"


def test_reset_of_an_unknown_office_stays_a_404(api):
    response = api.control("POST", "reset", json={"office": "NOPE"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "no such office: 'NOPE'", "field": "office"}


def test_v1_unknown_route_keeps_the_convoso_envelope(api):
    response = api.http.get("/v1/nope")
    assert response.status_code == 404
    assert response.get_json() == {"success": False, "code": 404, "text": "Not Found"}
