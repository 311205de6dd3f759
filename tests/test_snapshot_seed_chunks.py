"""Restoring lines of seed records seen before (SeedChunks): same state, same checks."""

from __future__ import annotations

from typing import Any

import pytest

from mockvoso.app import create_app
from mockvoso.store import stream
from mockvoso.store.index import SortedIndex
from mockvoso.store.stream import MEDIA_TYPE, SeedChunks, load_stream

NDJSON = {"content_type": MEDIA_TYPE}
ROWS = 7  # rows per line here: 30 leads an office make five lines of lead rows


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_ROWS", ROWS)


def make_app() -> Any:
    return create_app({"leads": 30, "clock": "2026-01-01T00:00:00"})


def token(client: Any) -> str:
    tokens = client.get("/_mockvoso/offices").json["offices"][0]["tokens"]
    return str(tokens[0]["token"])


def call(client: Any, action: str, **params: str) -> dict[str, Any]:
    reply = client.post(f"/v1/{action}", data={"auth_token": token(client), **params})
    assert reply.status_code == 200 and reply.json["success"] is True, reply.json
    result: dict[str, Any] = reply.json
    return result


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def seeded(app: Any) -> dict[str, Any]:
    return {
        a: store.seeded_state() for a, store in app.extensions["mockvoso"].world.offices.items()
    }


def memo_of(app: Any) -> SeedChunks:
    memo: SeedChunks = app.extensions["mockvoso.seed_chunks"]
    return memo


def plain(value: Any) -> Any:
    """Indexes as {key: [ids]}, so two states compare by content."""
    if isinstance(value, SortedIndex):  # OrderedIndex too; an index has no __iter__
        keys = value.keys()
        return {key: list(value.get(key)) for key in keys}
    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), SortedIndex):
        return {name: plain(index) for name, index in value.items()}
    return value


def test_a_snapshot_remembers_only_lines_of_seed_records() -> None:
    app = make_app()
    client = app.test_client()
    acme = app.extensions["mockvoso"].world.offices["ACME"]
    first = sorted(acme.state.leads)[ROWS]  # the first lead of the second line
    call(client, "leads/update", lead_id=str(first), first_name="Changed")
    assert client.get("/_mockvoso/snapshot?format=jsonl").status_code == 200
    leads, logs = len(acme.state.leads), len(acme.state.call_logs)
    lines = -(-leads // ROWS) + -(-logs // ROWS)  # lead lines and call-log lines
    assert memo_of(app).count("ACME") == lines - 1  # all but the changed lead's line
    bravo = app.extensions["mockvoso"].world.offices["BRAVO"].state
    assert memo_of(app).count("BRAVO") == -(-len(bravo.leads) // ROWS) + -(
        -len(bravo.call_logs) // ROWS
    )


def test_a_restore_of_known_lines_takes_the_seeds_own_records() -> None:
    app = make_app()
    client = app.test_client()
    acme = app.extensions["mockvoso"].world.offices["ACME"]
    new_id = call(client, "leads/insert", list_id="2702", phone_number="5305550177")["data"]
    data = client.get("/_mockvoso/snapshot?format=jsonl").data
    assert client.post("/_mockvoso/reset").status_code == 200
    reply = client.post("/_mockvoso/snapshot", data=data, **NDJSON)
    assert (reply.status_code, reply.json) == (200, {"restored": ["ACME", "BRAVO"]})
    seed = acme.seeded_state()
    assert all(acme.state.leads[i] is lead for i, lead in seed.leads.items())
    assert new_id["lead_id"] in acme.state.leads and new_id["lead_id"] not in seed.leads
    assert all(acme.state.call_logs[i] is row for i, row in seed.call_logs.items())


def test_known_lines_and_parsed_lines_give_the_same_state() -> None:
    app = make_app()
    client = app.test_client()
    acme = app.extensions["mockvoso"].world.offices["ACME"].state
    leads = sorted(acme.leads)
    logged = sorted({int(row[stream.LOG_POS["lead_id"]]) for row in acme.call_logs.values()})
    call(client, "leads/insert", list_id="2702", phone_number="5305550177", email="A@B.example")
    call(client, "leads/update", lead_id=str(leads[3]), status="SALE")
    call(client, "leads/delete", lead_id=str(logged[0]))  # its call logs go too
    data = client.get("/_mockvoso/snapshot?format=jsonl").data  # remembers the seed's lines
    memo = memo_of(app)
    assert memo.count("ACME") > 0 and memo.count("BRAVO") > 0
    with_memo = load_stream(lines_of(data), seeded(app), memo)
    parsed = load_stream(lines_of(data), seeded(app))
    for acronym, state in parsed.items():
        assert {k: plain(v) for k, v in vars(with_memo[acronym]).items()} == {
            k: plain(v) for k, v in vars(state).items()
        }


def test_known_lines_out_of_order_are_refused() -> None:
    app = make_app()
    client = app.test_client()
    before = client.get("/_mockvoso/snapshot").json
    lines = lines_of(client.get("/_mockvoso/snapshot?format=jsonl").data)
    at = next(
        i for i, line in enumerate(lines) if line.startswith(b'{"office":"ACME","field":"leads"')
    )
    lines[at + 1], lines[at + 2] = lines[at + 2], lines[at + 1]  # both known to the memo
    reply = client.post("/_mockvoso/snapshot", data=b"".join(lines), **NDJSON)
    assert reply.status_code == 400
    assert reply.json["error"].startswith(
        "invalid snapshot stream: ACME.leads: ids must be unique and ascending ("
    )
    assert client.get("/_mockvoso/snapshot").json == before


def test_a_known_line_given_twice_is_refused() -> None:
    app = make_app()
    client = app.test_client()
    lines = lines_of(client.get("/_mockvoso/snapshot?format=jsonl").data)
    at = next(
        i for i, line in enumerate(lines) if line.startswith(b'{"office":"ACME","field":"leads"')
    )
    lines.insert(at + 2, lines[at + 1])
    reply = client.post("/_mockvoso/snapshot", data=b"".join(lines), **NDJSON)
    assert reply.status_code == 400
    assert "ACME.leads: ids must be unique and ascending" in reply.json["error"]


def test_lines_are_remembered_per_seed_and_within_a_limit(monkeypatch) -> None:
    first, second = make_app(), make_app()
    seed_one = seeded(first)["ACME"]
    seed_two = seeded(second)["ACME"]
    memo = SeedChunks()
    ids = sorted(seed_one.leads)[:2]
    records = [seed_one.leads[i] for i in ids]
    memo.remember("ACME", seed_one, "leads", b"line one\n", ids, records)
    assert memo.recall("ACME", seed_one, "leads", b"line one\n") is not None
    assert memo.recall("ACME", seed_one, "call_logs", b"line one\n") is None
    # Records that are not the seed's own (equal, but copies) are not kept.
    memo.remember(
        "ACME", seed_one, "leads", b"copies\n", ids, [tuple(r) for r in map(list, records)]
    )
    assert memo.recall("ACME", seed_one, "leads", b"copies\n") is None
    # Another seed for the office: what the old one held is forgotten.
    assert memo.recall("ACME", seed_two, "leads", b"line one\n") is None
    assert memo.count("ACME") == 0
    monkeypatch.setattr(SeedChunks, "LIMIT", 2)
    for n in range(3):
        memo.remember("ACME", seed_two, "leads", b"%d\n" % n, ids, [seed_two.leads[i] for i in ids])
    assert memo.count("ACME") == 1  # full at two: started over
    assert memo.recall("ACME", seed_two, "leads", b"2\n") is not None
