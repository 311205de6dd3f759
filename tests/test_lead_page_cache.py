"""leads/search pages reuse encoded rows (store/leads.py _page_rows): never a stale byte."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockvoso.encoding import Encoded, encoded, fast_dumps
from mockvoso.store import leads as store_leads

PAGE = {"limit": 50}


def page(api: Any, **params: Any) -> list[dict[str, Any]]:
    return api.ok("leads/search", {**PAGE, **params})["data"]["entries"]


def one(api: Any, lead_id: str) -> dict[str, Any]:
    """The lead through the one-hit path, which builds its row afresh (no cache)."""
    entries = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"]
    assert len(entries) == 1
    return entries[0]


def assert_page_is_fresh(api: Any) -> list[dict[str, Any]]:
    rows = page(api)
    assert len(rows) == PAGE["limit"]
    for row in rows:
        fresh = one(api, row["id"])
        assert list(row.items()) == list(fresh.items())  # values and key order
    return rows


def test_a_page_twice_is_the_same_bytes_as_fresh_rows(api: Any) -> None:
    first = api.call("leads/search", PAGE).get_data()
    second = api.call("leads/search", PAGE).get_data()  # from the cache
    assert first == second
    assert_page_is_fresh(api)


def test_writes_between_pages_show_at_once(api: Any) -> None:
    rows = page(api)  # fills the cache
    lead_id = rows[3]["id"]
    api.ok("leads/update", {"lead_id": lead_id, "first_name": "Changed"})
    api.ok("leads/update", {"lead_id": rows[4]["id"], "favourite_colour": "teal"})
    list_id = rows[5]["list_id"]
    api.ok("lists/update", {"list_id": list_id, "name": "Renamed between pages"})
    after = assert_page_is_fresh(api)
    assert after[3]["first_name"] == "Changed"
    assert after[4]["favourite_colour"] == "teal"
    assert {r["directory_name"] for r in after if r["list_id"] == list_id} == {
        "Renamed between pages"
    }


def test_a_reset_brings_back_the_seeded_rows(api: Any) -> None:
    before = api.call("leads/search", PAGE).get_data()
    lead_id = page(api)[0]["id"]
    api.ok("leads/update", {"lead_id": lead_id, "last_name": "Zed"})
    assert page(api)[0]["last_name"] == "Zed"
    api.control("POST", "reset")
    assert api.call("leads/search", PAGE).get_data() == before


def test_a_non_ascii_row_is_escaped_as_the_stdlib_does(api: Any) -> None:
    """Convoso (PHP json_encode) and Flask escape non-ASCII: the spliced bytes do too."""
    lead_id = page(api)[1]["id"]
    api.ok("leads/update", {"lead_id": lead_id, "first_name": "José"})
    page(api)  # caches the row
    body = api.call("leads/search", PAGE).get_data()
    assert b'"first_name":"Jos\\u00e9"' in body
    parsed = json.loads(body)
    assert body == json.dumps(parsed, separators=(",", ":")).encode() + b"\n"
    assert parsed["data"]["entries"][1]["first_name"] == "José"


def test_the_cache_is_bounded_and_refilled(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_leads, "LEAD_ROW_CACHE", 10)
    first = api.call("leads/search", PAGE).get_data()
    assert api.call("leads/search", {**PAGE, "offset": 50}).get_data() != first
    assert api.call("leads/search", PAGE).get_data() == first
    store = api.app.extensions["mockvoso"].world.offices["ACME"]
    assert store._lead_row_cache is not None and len(store._lead_row_cache) <= 10 + PAGE["limit"]


def test_an_encoded_row_is_read_only_and_its_bytes_are_the_stdlibs() -> None:
    row = encoded({"id": "1", "first_name": "Zoë", "notes": None})
    assert row.wire == b'{"id":"1","first_name":"Zo\\u00eb","notes":null}'
    assert json.dumps(row, separators=(",", ":")).encode() == row.wire
    for edit in (
        lambda: row.__setitem__("id", "2"),
        lambda: row.update(id="2"),
        lambda: row.pop("id"),
        lambda: row.setdefault("x", "y"),
        lambda: row.clear(),
    ):
        with pytest.raises(TypeError, match="read-only"):
            edit()
    assert dict(row) == {"id": "1", "first_name": "Zoë", "notes": None}


def test_fast_dumps_splices_the_rows_bytes() -> None:
    """The bytes spliced are the row's own: a row whose wire differs shows it (the proof
    that fast_dumps does not encode an Encoded row again)."""
    row = Encoded({"id": "1"})
    row.wire = b'{"id":"spliced"}'
    assert fast_dumps({"entries": [row]}) == b'{"entries":[{"id":"spliced"}]}'
