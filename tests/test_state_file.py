"""The state file and the compact snapshot stream: round trips, atomic saves, refusals."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from mockvoso import __version__
from mockvoso.app import create_app
from mockvoso.persist import PeriodicSaver, StateFile
from mockvoso.serving import cli
from mockvoso.store.index import SortedIndex
from mockvoso.store.state import LOG_POS, STORED, _with_derived, state_from_snapshot
from mockvoso.store.stream import MEDIA_TYPE, _derive, load_stream

NDJSON = {"content_type": MEDIA_TYPE}


def app_with(**settings: Any) -> Any:
    return create_app({"leads": 30, "clock": "2026-01-01T00:00:00", **settings})


def insert_lead(client: Any, phone: str = "5305550177") -> int:
    token = client.get("/_mockvoso/offices").json["offices"][0]["tokens"][0]["token"]
    reply = client.post(
        "/v1/leads/insert",
        data={"auth_token": token, "list_id": "2702", "phone_number": phone},
    )
    assert reply.status_code == 200, reply.json
    lead_id: int = reply.json["data"]["lead_id"]
    return lead_id


def document(client: Any) -> dict[str, Any]:
    reply = client.get("/_mockvoso/snapshot")
    assert reply.status_code == 200
    doc: dict[str, Any] = reply.json
    return doc


# --------------------------------------------------------------------------- the stream


def test_stream_round_trip_is_the_identity() -> None:
    client = app_with().test_client()
    insert_lead(client)
    before = document(client)
    stream = client.get("/_mockvoso/snapshot?format=jsonl")
    assert stream.status_code == 200 and stream.mimetype == MEDIA_TYPE
    lines = stream.data.splitlines()
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    assert header == {
        "format": "mockvoso-state",
        "version": 1,
        "mockvoso": __version__,
        "offices": ["ACME", "BRAVO"],
    }
    assert trailer["end"] is True and trailer["lines"] == len(lines) - 1
    assert client.post("/_mockvoso/reset").status_code == 200
    assert document(client) != before
    restored = client.post("/_mockvoso/snapshot", data=stream.data, **NDJSON)
    assert (restored.status_code, restored.json) == (200, {"restored": ["ACME", "BRAVO"]})
    assert document(client) == before


def test_stream_of_an_unknown_format_is_a_400() -> None:
    client = app_with().test_client()
    reply = client.get("/_mockvoso/snapshot?format=xml")
    assert (reply.status_code, reply.json) == (
        400,
        {"error": "format: must be json or jsonl", "field": "format"},
    )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: data.rindex(b"{")], "truncated: no end line"),
        (lambda data: data[:-40], "line "),  # the last line's number: not JSON any more
        (lambda data: data.replace(b"Medicare", b"Medicore", 1), "damaged: its checksum"),
        (lambda data: data.replace(__version__.encode(), b"9.9.9", 1), "written by mockvoso 9.9.9"),
        (lambda data: b"", "empty"),
        (lambda data: b"{}\n", "not a mockvoso-state stream"),
    ],
    ids=["truncated", "cut", "flipped", "other-version", "empty", "other-format"],
)
def test_a_bad_stream_restores_nothing(damage: Any, message: str) -> None:
    client = app_with().test_client()
    good = client.get("/_mockvoso/snapshot?format=jsonl").data
    lead_id = insert_lead(client)
    after_insert = document(client)
    reply = client.post("/_mockvoso/snapshot", data=damage(good), **NDJSON)
    assert reply.status_code == 400
    assert reply.json["field"] == "body"
    assert reply.json["error"].startswith(f"invalid snapshot stream: {message}")
    assert document(client) == after_insert  # nothing restored, the new lead still there
    assert lead_id > 0


# --------------------------------------------------------------------------- the file


def test_save_then_start_again_loads_it(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    client = app_with(state_file=str(path)).test_client()
    assert not path.exists()  # nothing saved yet: seeded as usual
    lead_id = insert_lead(client)
    reply = client.post("/_mockvoso/snapshot", json={"save": True})
    assert reply.status_code == 200
    assert reply.json == {
        "saved": True,
        "path": str(path),
        "bytes": path.stat().st_size,
        "offices": ["ACME", "BRAVO"],
    }
    again = app_with(state_file=str(path)).test_client()
    assert document(again) == document(client)
    assert insert_lead(again, "5305550178") == lead_id + 1
    assert [p.name for p in tmp_path.iterdir()] == ["state.jsonl"]  # no temporary left


def test_gzip_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl.gz"
    client = app_with(state_file=str(path)).test_client()
    insert_lead(client)
    assert client.post("/_mockvoso/snapshot", json={"save": True}).status_code == 200
    assert gzip.decompress(path.read_bytes()).startswith(b'{"format":"mockvoso-state"')
    assert document(app_with(state_file=str(path)).test_client()) == document(client)


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"save": True}, 409, "no state file (start with --state-file PATH)"),
        ({"save": 1}, 400, 'save: the body must be exactly {"save": true}'),
        ({"save": True, "x": 1}, 400, 'save: the body must be exactly {"save": true}'),
    ],
)
def test_save_errors(body: dict[str, Any], status: int, error: str) -> None:
    reply = app_with().test_client().post("/_mockvoso/snapshot", json=body)
    assert (reply.status_code, reply.json) == (status, {"error": error, "field": "save"})


class Crash(Exception):
    """The process dying between the write and the rename."""


def test_a_crash_before_the_rename_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    app = app_with(state_file=str(path))
    client = app.test_client()
    assert client.post("/_mockvoso/snapshot", json={"save": True}).status_code == 200
    saved_doc = document(client)
    old_bytes = path.read_bytes()
    insert_lead(client)
    mock = app.extensions["mockvoso"]
    synced: list[int] = []

    def crash(src: str, dst: str) -> None:
        # The new file is complete and fsynced here; the rename never happens.
        assert Path(src).parent == tmp_path and Path(src).stat().st_size > 0
        raise Crash

    mock.state_file = StateFile(path, fsync=synced.append, replace=crash)
    with pytest.raises(Crash):
        mock.save_state()
    assert len(synced) == 1  # the temporary file was fsynced before the rename
    assert path.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["state.jsonl"]
    assert document(app_with(state_file=str(path)).test_client()) == saved_doc


def test_periodic_saver_saves_on_each_tick_and_reports_failures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results: list[Any] = [None, OSError("disk full"), None]

    def save() -> None:
        outcome = results.pop(0)
        if outcome is not None:
            raise outcome

    saver = PeriodicSaver(save, interval=3600)
    saver.tick()
    saver.tick()
    saver.tick()
    assert results == []
    assert capsys.readouterr().err == "mockvoso: periodic state save failed: disk full\n"


def test_interval_saver_runs_in_the_app(tmp_path: Path) -> None:
    app = app_with(state_file=str(tmp_path / "s.jsonl"), state_save_interval=3600)
    saver = app.extensions["mockvoso"].saver
    assert saver is not None and saver.interval == 3600
    saver.tick()  # what the thread does every interval
    assert (tmp_path / "s.jsonl").is_file()
    saver.stop()


# --------------------------------------------------------------------------- refused at start


def serve_exit(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["serve", "--leads", "30", *args])
    return code, capsys.readouterr().err


def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "state.jsonl"
    client = app_with(state_file=str(path)).test_client()
    assert client.post("/_mockvoso/snapshot", json={"save": True}).status_code == 200
    return path


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], "last line: not JSON (damaged or truncated)"),
        (lambda data: data[: data.rindex(b"{")], "truncated: no end line"),
        (lambda data: data.replace(b"Medicare", b"Medicore", 1), "damaged: its checksum does"),
        (
            lambda data: data.replace(b'"mockvoso":"' + __version__.encode(), b'"mockvoso":"0.0.9'),
            f"written by mockvoso 0.0.9 (format version 1); this is mockvoso {__version__}",
        ),
        (lambda data: b"\x00\xff garbage", "line 1: not JSON (damaged or truncated)"),
    ],
    ids=["cut", "truncated", "flipped", "other-version", "garbage"],
)
def test_a_bad_state_file_is_refused_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    damage: Any,
    message: str,
) -> None:
    served: list[Any] = []
    monkeypatch.setattr("mockvoso.serving.server.serve", lambda *a, **k: served.append(a))
    path = good_file(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    code, err = serve_exit(["--state-file", str(path)], capsys)
    assert code == 2 and served == []
    assert err.count("\n") == 1 and err.startswith(f"mockvoso: state_file: {path}: ")
    assert message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state-save-interval", "10"], "mockvoso: state_save_interval: needs --state-file\n"),
        (
            ["--state-file", "/nonexistent-dir/s.jsonl"],
            "mockvoso: state_file: /nonexistent-dir: no such folder\n",
        ),
        (
            ["--state-file", "x", "--state-save-interval", "-1"],
            "mockvoso: state_save_interval: must be >= 0 seconds\n",
        ),
    ],
)
def test_state_flags_are_checked(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve_exit(args, capsys) == (2, message)


def test_a_state_file_of_other_offices_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.jsonl"
    mock = app_with().extensions["mockvoso"]
    StateFile(path).save({"ZZZZ": mock.office_states()["ACME"]})  # a valid file, other data
    code, err = serve_exit(["--state-file", str(path)], capsys)
    assert (code, err) == (
        2,
        f"mockvoso: state_file: {path}: holds offices this data does not have: ZZZZ\n",
    )


def plain(index: SortedIndex) -> dict[Any, list[int]]:
    keys = index.keys()  # an index, not a dict: it has no __iter__
    return {key: list(index.get(key)) for key in keys}


def normalised(state: Any) -> dict[str, Any]:
    """A state's every field as plain data: index buckets as lists, whatever their form."""
    out: dict[str, Any] = {}
    for name, value in vars(state).items():
        if isinstance(value, SortedIndex):
            out[name] = plain(value)
        elif isinstance(value, dict) and isinstance(next(iter(value.values()), None), SortedIndex):
            out[name] = {index_name: plain(index) for index_name, index in value.items()}
        else:
            out[name] = value
    return out


def test_restored_indexes_equal_indexes_built_from_scratch() -> None:
    """The stream patches the seed's indexes; the result must be what a full build gives."""
    app = app_with()
    client = app.test_client()
    mock = app.extensions["mockvoso"]
    acme = mock.world.offices["ACME"]
    token = client.get("/_mockvoso/offices").json["offices"][0]["tokens"][0]["token"]
    logged = sorted({int(row[LOG_POS["lead_id"]]) for row in acme.state.call_logs.values()})
    new_id = insert_lead(client)
    for action, params in [
        ("leads/update", {"lead_id": str(new_id), "email": "New@Example.com", "status": "SALE"}),
        ("leads/update", {"lead_id": str(logged[1]), "phone_number": "5305550999"}),
        ("leads/delete", {"lead_id": str(logged[0])}),  # takes its call logs with it
    ]:
        reply = client.post(f"/v1/{action}", data={"auth_token": token, **params})
        assert reply.status_code == 200, reply.json
    stream = client.get("/_mockvoso/snapshot?format=jsonl").data
    doc = document(client)
    seeded = {a: store.seeded_state() for a, store in mock.world.offices.items()}
    patched = load_stream(stream.splitlines(keepends=True), seeded)
    for acronym, office_doc in doc["offices"].items():
        built = state_from_snapshot(office_doc)
        assert normalised(patched[acronym]) == normalised(built)
    assert len(patched["ACME"].leads) == len(acme.state.leads)
    assert logged[0] not in patched["ACME"].leads
    assert list(patched["ACME"].lead_index["email"].get("new@example.com")) == [new_id]


def test_a_stream_from_another_clock_takes_the_seeds_indexes_where_they_hold() -> None:
    """A stream saved by a process started at another time differs from this seed in
    every lead's and call log's timestamps only: its lead and call-log indexes are taken
    from the seed (patched for the edits), its call-log totals built; all as a full build."""
    source = app_with(clock="2026-03-01T00:00:00").test_client()
    token = source.get("/_mockvoso/offices").json["offices"][0]["tokens"][0]["token"]
    acme_state = source.application.extensions["mockvoso"].world.offices["ACME"].state
    logged = sorted({int(row[LOG_POS["lead_id"]]) for row in acme_state.call_logs.values()})
    first = min(acme_state.leads)
    for action, params in [
        ("leads/update", {"lead_id": str(first), "email": "Moved@Example.com", "status": "SALE"}),
        ("leads/delete", {"lead_id": str(logged[0])}),  # takes its call logs with it
    ]:
        reply = source.post(f"/v1/{action}", data={"auth_token": token, **params})
        assert reply.status_code == 200, reply.json
    stream = source.get("/_mockvoso/snapshot?format=jsonl").data
    doc = document(source)
    target = app_with().extensions["mockvoso"]
    seeded = {a: store.seeded_state() for a, store in target.world.offices.items()}
    restored = load_stream(stream.splitlines(keepends=True), seeded)
    for acronym, office_doc in doc["offices"].items():
        assert normalised(restored[acronym]) == normalised(state_from_snapshot(office_doc))
    bravo, seed = restored["BRAVO"], seeded["BRAVO"]
    assert all(bravo.leads[i] != lead for i, lead in seed.leads.items())  # every row differs
    assert bravo.perf_cells != seed.perf_cells  # other dates: built
    assert all(bravo.lead_index[n]._ids is seed.lead_index[n]._ids for n in bravo.lead_index)
    assert all(bravo.log_index[n]._ids is seed.log_index[n]._ids for n in bravo.log_index)
    assert bravo.log_order == seed.log_order
    acme = restored["ACME"]
    assert list(acme.lead_index["email"].get("moved@example.com")) == [first]
    assert logged[0] not in acme.leads
    assert not any(row[LOG_POS["lead_id"]] == str(logged[0]) for row in acme.call_logs.values())


def _swap_dates(logs: dict[int, tuple[Any, ...]], order: list[int]) -> None:
    date = LOG_POS["call_date"]
    first, last = logs[order[0]], logs[order[-1]]
    logs[order[0]] = (*first[:date], last[date], *first[date + 1 :])
    logs[order[-1]] = (*last[:date], first[date], *last[date + 1 :])


def _restatus(logs: dict[int, tuple[Any, ...]], order: list[int]) -> None:
    status = LOG_POS["status"]
    row = logs[order[3]]
    logs[order[3]] = (*row[:status], "XFER", *row[status + 1 :])


def _relength(logs: dict[int, tuple[Any, ...]], order: list[int]) -> None:
    length = LOG_POS["call_length"]
    row = logs[order[5]]
    logs[order[5]] = (*row[:length], "999", *row[length + 1 :])


def _add_row(logs: dict[int, tuple[Any, ...]], order: list[int]) -> None:
    row = logs[order[2]]
    new_id = max(logs) + 1
    logs[new_id] = (str(new_id), *row[1:])


def _drop_rows(logs: dict[int, tuple[Any, ...]], order: list[int]) -> None:
    for call_id in order[1:4]:
        del logs[call_id]


@pytest.mark.parametrize(
    ("edit", "reused"),
    [
        (_swap_dates, set()),  # another call-date order, other day and hour totals
        (_restatus, set()),
        (_relength, {"log_index"}),  # the totals read the length, no index does
        (_add_row, set()),
        (_drop_rows, {"log_index", "perf_cells"}),  # the seed's less the rows gone
    ],
    ids=["dates-swapped", "status", "length", "added", "dropped"],
)
def test_call_log_structures_come_from_the_seed_only_when_they_would_be_the_same(
    edit: Any, reused: set[str]
) -> None:
    store = app_with().extensions["mockvoso"].world.offices["ACME"]
    seed = store.seeded_state()
    fields = {name: getattr(seed, name) for name in STORED}
    fields["call_logs"] = dict(seed.call_logs)
    edit(fields["call_logs"], seed.log_order)
    derived = _derive(fields, seed)
    assert normalised(derived) == normalised(_with_derived(fields))
    # A copy of the seed's has begun copy-on-write bookkeeping (_owned); a build has not.
    copied = {
        "log_index": derived.log_index["status"]._owned is not None,
        "perf_cells": derived.perf_cells._owned is not None,
    }
    assert {name for name, was_copied in copied.items() if was_copied} == reused


def edit_first_lead_chunk(data: bytes, edit: Any) -> bytes:
    """The stream with its first chunk of lead rows changed by edit(rows) (checksum stale:
    a row error is found while reading, before the checksum is compared at the end)."""
    lines = data.splitlines(keepends=True)
    at = next(
        i for i, line in enumerate(lines) if line.startswith(b'{"office":"ACME","field":"leads"')
    )
    rows = json.loads(lines[at + 1])
    edit(rows)
    lines[at + 1] = json.dumps(rows).encode() + b"\n"
    return b"".join(lines)


def _set(row: int, col: int, value: Any) -> Any:
    def edit(rows: list[list[Any]]) -> None:
        rows[row][col] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set(0, 0, "abc"), "ACME.leads: a row without a numeric id: ['abc',"),
        (_set(2, 3, 17), "ACME.leads: a row of the wrong shape: ["),
        (lambda rows: rows[1].pop(), "ACME.leads: a row of the wrong shape: ["),
        (lambda rows: rows.__setitem__(3, "x"), "ACME.leads: a row of the wrong shape: 'x'"),
        (lambda rows: rows.insert(0, rows[1]), "ACME.leads: ids must be unique and ascending"),
        (lambda rows: rows.reverse(), "ACME.leads: ids must be unique and ascending"),
    ],
    ids=["id", "type", "short", "not-a-row", "duplicate", "order"],
)
def test_a_bad_row_restores_nothing(edit: Any, message: str) -> None:
    client = app_with().test_client()
    before = document(client)
    data = edit_first_lead_chunk(client.get("/_mockvoso/snapshot?format=jsonl").data, edit)
    reply = client.post("/_mockvoso/snapshot", data=data, **NDJSON)
    assert reply.status_code == 400
    assert reply.json["error"].startswith(f"invalid snapshot stream: {message}")
    assert document(client) == before
