"""Lead rows of a page (lead_rows, relations looked up once per answer) equal lead_out's."""

from __future__ import annotations

from typing import Any

import pytest

from mockvoso.app import create_app
from mockvoso.records import LEAD_DERIVED, LEAD_STORED


@pytest.fixture(scope="module")
def store() -> Any:
    app = create_app({"leads": 60, "seed": 11, "clock": "2026-01-01T00:00:00"})
    return next(iter(app.extensions["mockvoso"].world.offices.values()))


def test_a_page_row_is_the_single_row(store: Any) -> None:
    row = store.lead_rows()
    leads, custom = store.state.leads, store.state.custom
    for lead_id, lead in leads.items():
        single = store.lead_row_out(lead, custom.get(lead_id))
        paged = row(lead, custom.get(lead_id))
        assert list(paged.items()) == list(single.items())  # same values, same order


def test_row_keys_are_the_stored_fields_then_the_relations(store: Any) -> None:
    lead_id = next(iter(store.state.leads))
    out = store.lead_out(lead_id)
    assert list(out)[: len(LEAD_STORED) + len(LEAD_DERIVED)] == [*LEAD_STORED, *LEAD_DERIVED]
    assert out["lead_id"] == out["id"] == str(lead_id)


def test_the_page_of_one_answer_reuses_lookups_but_not_across_answers(store: Any) -> None:
    """A list renamed between two answers shows its new name in the second one."""
    lead_id = next(iter(store.state.leads))
    lead = store.state.leads[lead_id]
    list_row = store.state.lists[int(lead[LEAD_STORED.index("list_id")])]
    before = store.lead_rows()(lead, None)["directory_name"]
    old_name = list_row["name"]
    list_row["name"] = "Renamed between answers"
    try:
        assert before == old_name
        assert store.lead_rows()(lead, None)["directory_name"] == "Renamed between answers"
    finally:
        list_row["name"] = old_name


def test_custom_fields_follow_and_never_hide_lead_fields(store: Any) -> None:
    lead_id = next(iter(store.state.leads))
    lead = store.state.leads[lead_id]
    out = store.lead_rows()(lead, {"id": "spoof", "favourite_colour": "teal"})
    assert out["id"] == str(lead_id)
    assert list(out)[-1] == "favourite_colour"
    assert out["favourite_colour"] == "teal"
