"""users/search through HTTP: an object keyed by user id, every documented key and type."""

from __future__ import annotations

import re

import pytest

VIAS = ["form", "json", "query"]
USER_KEYS = [
    "id",
    "acl_access_profile",
    "email",
    "first_name",
    "last_name",
    "user_level",
    "queue_override",
    "allow_queue_selection",
    "allow_callbacks",
    "callback_types_allowed",
    "allow_transfers",
    "default_blended_selection",
    "alter_custdata_override",
    "status",
    "local_gmt",
    "allow_blended_campaign",
    "notification",
    "created_at",
    "connection_type",
    "extension",
    "last_login",
]
INTEGERS = {"id", "acl_access_profile", "user_level"}
# ISO-8601 with the office's offset (ACME: America/Los_Angeles, -0800 or -0700).
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]00$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@pytest.mark.parametrize("via", VIAS)
def test_every_user_keyed_by_id_with_exact_types(api, acme, via):
    body = api.ok("users/search", via=via)  # no `user`, as real clients call it
    assert list(body) == ["success", "data"]
    data = body["data"]
    assert list(data) == ["offset", "limit", "total", "results"]
    assert data["offset"] == 0 and data["limit"] == "20" and data["total"] == "8"
    results = data["results"]
    assert isinstance(results, dict)
    assert list(results) == [u["user_id"] for u in acme.users]
    for key, user in results.items():
        assert list(user) == USER_KEYS
        assert user["id"] == int(key)
        for name, value in user.items():
            if name in INTEGERS:
                assert type(value) is int, (name, value)
            elif name == "extension":
                assert value and all(type(v) is int for v in value)
            elif name == "last_login":
                assert value is None or TIMESTAMP.match(value)
            else:
                assert isinstance(value, str), (name, value)
        assert ISO.match(user["created_at"])
        assert user["status"] in ("Y", "N") and re.match(r"^-\d\.00$", user["local_gmt"])
    seed = {u["user_id"]: u for u in acme.users}
    assert all(
        (u["email"], u["first_name"], u["last_name"])
        == (seed[k]["email"], seed[k]["first_name"], seed[k]["last_name"])
        for k, u in results.items()
    )


def test_seeded_attributes_follow_the_documented_roles(api):
    users = list(api.ok("users/search")["data"]["results"].values())
    manager, agents = users[0], users[1:]
    assert (manager["user_level"], manager["acl_access_profile"]) == (8, 2)
    assert all((a["user_level"], a["acl_access_profile"]) == (1, 1) for a in agents)
    disabled = [u for u in users if u["status"] == "N"]
    assert disabled == [users[-1]]  # 8 agents: the last one is disabled
    assert disabled[0]["last_login"] < min(
        u["last_login"] for u in users if u["status"] == "Y" and u["last_login"]
    )
    # Before the anchor, in local time (2026-01-01 00:00 UTC is 2025-12-31 16:00 in LA).
    assert all(u["last_login"] is None or u["last_login"] <= "2025-12-31 16:00:00" for u in users)


@pytest.mark.parametrize(
    ("term", "emails"),
    [
        ("jane.doe@acme.example", ["jane.doe@acme.example"]),
        ("DOE", ["jane.doe@acme.example"]),  # a last name, any case
        ("marcus,Kim", ["marcus.reed@acme.example", "hannah.kim@acme.example"]),
        ("nobody", []),
        ("jan", []),  # whole names, not parts
    ],
)
def test_user_filter(api, term, emails):
    data = api.ok("users/search", {"user": term}, via="query")["data"]
    assert [u["email"] for u in data["results"].values()] == emails
    assert data["total"] == str(len(emails))
    assert isinstance(data["results"], dict)  # {} when nothing matches, never a list


def test_paging_and_cap(api):
    every = api.ok("users/search")["data"]["results"]
    page = api.ok("users/search", {"offset": 2, "limit": 3})["data"]
    assert (page["offset"], page["limit"], page["total"]) == (2, "3", "8")
    assert list(page["results"]) == list(every)[2:5]
    capped = api.ok("users/search", {"limit": 5000})["data"]
    assert capped["limit"] == "1000" and len(capped["results"]) == 8
    assert api.ok("users/search", {"offset": 8})["data"]["results"] == {}
    assert api.domain_error("users/search", {"limit": 0}, 7230)["text"] == "Invalid limit value"
    assert api.domain_error("users/search", {"offset": "x"}, 7231)["text"] == (
        "Invalid offset value"
    )


def test_offices_are_isolated(api, bravo_api, bravo):
    bravo_users = bravo_api.ok("users/search")["data"]["results"]
    assert list(bravo_users) == [u["user_id"] for u in bravo.users]
    assert api.ok("users/search", {"user": "carlos.mendez@bravosolar.example"})["data"] == {
        "offset": 0,
        "limit": "20",
        "total": "0",
        "results": {},
    }


def test_section_is_users(api, acme, offices):
    assert "users" not in acme.limited_sections
    response = api.call("users/search", token=acme.limited_token)
    assert response.status_code == 403 and response.get_json()["text"] == "Forbidden"
    report = next(
        t for t in api.control("GET", "offices").get_json()["offices"][0]["tokens"]
        if t["sections"] == ["campaigns", "log", "users"]
    )  # fmt: skip
    assert api.ok("users/search", token=report["token"])["data"]["total"] == "8"
