"""The compact snapshot stream: checksummed JSON lines written from store/state.py's declaration."""

from __future__ import annotations

import hashlib
import json
import operator
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from typing import Any, NoReturn

import orjson

from mockvoso import __version__
from mockvoso.store.perf import PERF_POS, PerfTotals
from mockvoso.store.state import (
    _TEXT_OR_NULL,
    DERIVED,
    LEAD_INDEXED,
    LEAD_POS,
    LOG_INDEXED,
    LOG_POS,
    STORED,
    OfficeState,
    _text_or_null,
    index_call_logs,
    lead_key,
    order_call_logs,
    paused_gc,
)

STREAM_FORMAT = "mockvoso-state"
STREAM_VERSION = 1
MEDIA_TYPE = "application/x-ndjson"
# Rows per line: big enough that json works in C on large arrays, small enough that a
# line (~1 MB for leads) never holds a whole office in memory twice.
CHUNK_ROWS = 2000
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


class StreamError(ValueError):
    """A stream that cannot be loaded: another format or version, damaged, or truncated.

    Its message is one line, fit for a 400 body or for `mockvoso serve` to print.
    """


# A chunk of rows: their ids and the records themselves.
Chunk = tuple[array, tuple[tuple[Any, ...], ...]]


class SeedChunks:
    """Lines of rows seen before whose every record is the office seed's own, by sha256.

    A restore mostly sends back a stream this process wrote (a CI job snapshots after its
    setup and restores between tests) of a state still close to the seed: then most
    lines of lead and call-log rows are byte for byte a line seen before, and such a line
    is taken as the seed's records without parsing it, comparing each row with the seed
    and freeing the parsed copy. Measured in-process (2 offices x 100k leads, the Flask
    test client restoring the stream its GET wrote ten times, process CPU time per
    restore, median, machine under load): ~1.5 s without, 0.64 s with.

    Kept: only lines of seed records (the seed holds them anyway: this costs their ids
    and one pointer each, ~32 KB a line), at most LIMIT lines an office, forgotten when
    the office's seed changes. A line not seen before is read as usual, and remembered
    when all its rows turn out to be the seed's. Remembering at a GET costs it a sha256
    of each line of rows and an identity check per row (~0.2 s of ~1.2 s CPU at that
    size). Plain dict operations: safe across request threads under the GIL.
    """

    LIMIT = 1024

    def __init__(self) -> None:
        self._offices: dict[str, tuple[OfficeState, dict[tuple[str, bytes], Chunk]]] = {}

    def _lines(self, office: str, seed: OfficeState) -> dict[tuple[str, bytes], Chunk]:
        known = self._offices.get(office)
        if known is None or known[0] is not seed:
            known = self._offices[office] = (seed, {})
        return known[1]

    def count(self, office: str) -> int:
        """Lines remembered for the office (of its current seed)."""
        known = self._offices.get(office)
        return 0 if known is None else len(known[1])

    def recall(self, office: str, seed: OfficeState, name: str, line: bytes) -> Chunk | None:
        return self._lines(office, seed).get((name, hashlib.sha256(line).digest()))

    def remember(
        self,
        office: str,
        seed: OfficeState,
        name: str,
        line: bytes,
        ids: list[int],
        records: list[tuple[Any, ...]],
    ) -> None:
        """Keep the line if every record in it is the seed's own (checked here)."""
        seeded = getattr(seed, name)
        if not all(map(operator.is_, records, map(seeded.get, ids))):
            return
        lines = self._lines(office, seed)
        if len(lines) >= self.LIMIT:
            lines.clear()  # a run of ever-new lines: start over rather than grow
        lines[(name, hashlib.sha256(line).digest())] = (array("q", ids), tuple(records))


def dump_stream(
    states: Mapping[str, OfficeState],
    seeded: Mapping[str, OfficeState] | None = None,
    memo: SeedChunks | None = None,
) -> Iterator[bytes]:
    """Every office's stored fields as lines: a header, one line per small field, a line
    per chunk of rows for tuple records, and a trailer with the line count and sha256.

    The states must not change while this runs: pass clones (OfficeState.clone() is cheap,
    its records are immutable), so the stream is consistent without holding a lock.
    With `seeded` (the offices' seeded states) and `memo`, lines of seed records are
    remembered for a later load_stream.
    """
    digest = hashlib.sha256()
    lines = 0

    def line(obj: Any) -> bytes:
        nonlocal lines
        data = _ENCODE(obj).encode("utf-8") + b"\n"
        digest.update(data)
        lines += 1
        return data

    yield line(
        {
            "format": STREAM_FORMAT,
            "version": STREAM_VERSION,
            "mockvoso": __version__,
            "offices": list(states),
        }
    )
    for acronym, state in states.items():
        for name, spec in STORED.items():
            value = getattr(state, name)
            if spec.rows is None:
                yield line({"office": acronym, "field": name, "value": spec.dump(value)})
                continue
            ids = sorted(value)
            yield line({"office": acronym, "field": name, "fields": spec.rows, "rows": len(ids)})
            for start in range(0, len(ids), CHUNK_ROWS):
                chunk_ids = ids[start : start + CHUNK_ROWS]
                records = [value[i] for i in chunk_ids]
                data = line(records)
                if memo is not None and seeded is not None:
                    memo.remember(acronym, seeded[acronym], name, data, chunk_ids, records)
                yield data
    yield _ENCODE({"end": True, "lines": lines, "sha256": digest.hexdigest()}).encode() + b"\n"


def read_lines(stream: Any, block: int = 1 << 20) -> Iterator[bytes]:
    """The lines of a binary stream, read in large blocks: a request body's own readline
    may read byte by byte (io.RawIOBase), far too slow for a 100 MB stream."""
    pending = b""
    while block_data := stream.read(block):
        lines = (pending + block_data).split(b"\n")
        pending = lines.pop()
        for line in lines:
            yield line + b"\n"
    if pending:
        yield pending  # a last line without its newline: the checksum tells


def _object(raw: bytes, where: str) -> Any:
    # orjson, not json: a stream SeedChunks does not know is parsed whole, and orjson
    # parses its lines ~15 % faster (every line of a 2 x 100k-lead stream, parsed and
    # dropped: json 0.58 s, orjson 0.49 s CPU, best of 5).
    try:
        return orjson.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise StreamError(f"{where}: not JSON (damaged or truncated)") from None


def check_header(header: Any) -> list[str]:
    """The offices a stream's first line announces; StreamError for another format/version."""
    if not isinstance(header, dict) or header.get("format") != STREAM_FORMAT:
        raise StreamError(f"not a {STREAM_FORMAT} stream (line 1 is no {STREAM_FORMAT} header)")
    if header.get("version") != STREAM_VERSION or header.get("mockvoso") != __version__:
        raise StreamError(
            f"written by mockvoso {header.get('mockvoso')!s:.20} (format version "
            f"{header.get('version')!s:.10}); this is mockvoso {__version__} "
            f"(format version {STREAM_VERSION}): start without it or delete it"
        )
    offices = header.get("offices")
    if not isinstance(offices, list) or not all(isinstance(o, str) for o in offices):
        raise StreamError("line 1: offices must be a list of office acronyms")
    return offices


def _check_trailer(trailer: Any, lines: int, digest: str) -> None:
    if not isinstance(trailer, dict) or trailer.get("end") is not True:
        raise StreamError("truncated: no end line")
    if trailer.get("lines") != lines or trailer.get("sha256") != digest:
        raise StreamError("damaged: its checksum does not match its content")


def verify_stream(lines: Iterable[bytes]) -> list[str]:
    """Check header, checksum and trailer without building anything (cheap: hashing only);
    return the offices. Raises StreamError."""
    digest = hashlib.sha256()
    count = 0
    offices: list[str] | None = None
    pending: bytes | None = None
    for raw in lines:
        if pending is not None:
            digest.update(pending)
            count += 1
        if offices is None:
            offices = check_header(_object(raw, "line 1"))
        pending = raw
    if offices is None or pending is None:
        raise StreamError("empty")
    _check_trailer(_object(pending, "last line"), count, digest.hexdigest())
    return offices


def _numeric_id(row: list[Any]) -> bool:
    try:
        int(row[0])
    except (TypeError, ValueError):
        return False
    return True


class _Rows:
    """One tuple-record field being read: its chunks are appended as they arrive."""

    def __init__(self, what: str, width: int, expected: int, seeded: dict[int, tuple[Any, ...]]):
        self.what = what
        self.width = width
        self.expected = expected
        self.seeded = seeded
        self.records: dict[int, tuple[Any, ...]] = {}
        self.last = 0

    def add(self, chunk: Any) -> tuple[list[int], list[tuple[Any, ...]]] | None:
        """Check and keep a chunk of rows. The checks run over the whole chunk at C speed
        (a restore is 100,000s of rows); only a failing chunk is walked row by row.
        Returns (ids, records) when every record is the seed's own, else None."""
        if type(chunk) is not list:
            raise StreamError(f"{self.what}: a chunk of rows must be a JSON array")
        if not chunk:
            return None
        if set(map(type, chunk)) != {list} or set(map(len, chunk)) != {self.width}:
            self._fail(chunk, lambda row: type(row) is list and len(row) == self.width)
        try:
            ids = [int(row[0]) for row in chunk]
        except (TypeError, ValueError):
            self._fail(chunk, _numeric_id, "a row without a numeric id")
        if ids[0] <= self.last or ids != sorted(set(ids)):
            self._unordered(ids)
        records = list(map(tuple, chunk))
        # A record the seed already holds is shared, not kept twice: restoring a state
        # close to the seed then allocates almost nothing, so memory stays flat, and its
        # indexes can start from the seed's (see _derive). Equal to a seeded record
        # (strings and nulls), it needs no type check either.
        kept = [
            old if old == new else new
            for old, new in zip(map(self.seeded.get, ids), records, strict=True)
        ]
        fresh = [new for new, record in zip(records, kept, strict=True) if record is new]
        if fresh and not set(map(type, chain.from_iterable(fresh))) <= _TEXT_OR_NULL:
            self._fail(chunk, _text_or_null)  # the JSON rows, for the message
        self.records.update(zip(ids, kept, strict=True))
        self.last = ids[-1]
        return None if fresh else (ids, kept)

    def add_known(self, chunk: Chunk) -> None:
        """Keep a chunk SeedChunks recognised: rows checked when it was first read."""
        ids, records = chunk
        if ids[0] <= self.last:
            self._unordered(list(ids))
        self.records.update(zip(ids, records, strict=True))
        self.last = ids[-1]

    def _unordered(self, ids: list[int]) -> NoReturn:
        previous = [self.last, *ids]
        bad = next(i for i, (a, b) in enumerate(zip(previous, ids, strict=False)) if b <= a)
        raise StreamError(f"{self.what}: ids must be unique and ascending ({ids[bad]})")

    def _fail(self, rows: list[Any], good: Any, what: str = "a row of the wrong shape") -> NoReturn:
        row = next((row for row in rows if not good(row)), rows[0])
        raise StreamError(f"{self.what}: {what}: {row!r:.80}")

    def done(self) -> dict[int, tuple[Any, ...]]:
        if len(self.records) != self.expected:
            raise StreamError(
                f"{self.what}: {len(self.records)} rows where the stream announced {self.expected}"
            )
        return self.records


def load_stream(
    lines: Iterable[bytes], seeded: Mapping[str, OfficeState], memo: SeedChunks | None = None
) -> dict[str, OfficeState]:
    """Every office in the stream as a new state (nothing is installed: all or none).

    `seeded`: the known offices' seeded states, by acronym; an office not in it is an
    error. `memo`: lines of seed records seen before (SeedChunks), taken without parsing.
    Raises StreamError with one line naming what is wrong.
    """
    digest = hashlib.sha256()
    count = 0
    header_offices: list[str] | None = None
    stored: dict[str, dict[str, Any]] = {}
    rows: _Rows | None = None
    rows_key: tuple[str, str] | None = None
    previous: bytes | None = None
    with paused_gc():  # millions of acyclic records: no collections while they are built
        for raw in lines:
            if previous is not None:  # every line but the last (the trailer) is hashed
                digest.update(previous)
                count += 1
            previous = raw
            where = f"line {count + 1}"
            if header_offices is None:
                header_offices = check_header(_object(raw, where))
                for acronym in header_offices:
                    if acronym not in seeded:
                        raise StreamError(f"line 1: no such office: {acronym}")
                continue
            if memo is not None and rows is not None and rows_key is not None:
                known = memo.recall(rows_key[0], seeded[rows_key[0]], rows_key[1], raw)
                if known is not None:
                    rows.add_known(known)
                    continue
            item = _object(raw, where)
            if isinstance(item, list):
                if rows is None:
                    raise StreamError(f"{where}: rows outside a field")
                all_seeded = rows.add(item)
                if memo is not None and all_seeded is not None and rows_key is not None:
                    memo.remember(rows_key[0], seeded[rows_key[0]], rows_key[1], raw, *all_seeded)
                continue
            if rows is not None and rows_key is not None:
                stored[rows_key[0]][rows_key[1]] = rows.done()
                rows = rows_key = None
            if isinstance(item, dict) and item.get("end") is True:
                break
            office, name = _field_line(item, where, header_offices)
            office_fields = stored.setdefault(office, {})
            if name in office_fields:
                raise StreamError(f"{where}: {office}.{name} given twice")
            spec = STORED[name]
            if spec.rows is None:
                try:
                    value = spec.load(item.get("value"))
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    raise StreamError(f"{where}: {office}.{name}: {exc}") from None
                office_fields[name] = _share_seeded(value, getattr(seeded[office], name))
                continue
            if item.get("fields") != list(spec.rows) or not isinstance(item.get("rows"), int):
                raise StreamError(f"{where}: {office}.{name}: fields do not match this version's")
            office_fields[name] = None  # filled when its rows end
            rows_key = (office, name)
            rows = _Rows(
                f"{office}.{name}", len(spec.rows), item["rows"], _seeded_rows(seeded[office], name)
            )
        else:
            if header_offices is None:
                raise StreamError("empty")
            raise StreamError("truncated: no end line")
        _check_trailer(_object(previous or b"", "last line"), count, digest.hexdigest())
        return _build(stored, header_offices, seeded)


def _share_seeded(value: Any, seeded: Any) -> Any:
    """Dict records equal to the seed's replaced by the seed's own (as _Rows does for
    rows): the restored state then holds no second copy of them."""
    if not isinstance(value, dict) or not isinstance(seeded, dict) or not seeded:
        return value
    get = seeded.get
    return {key: old if (old := get(key)) == record else record for key, record in value.items()}


def _seeded_rows(state: OfficeState, name: str) -> dict[int, tuple[Any, ...]]:
    value = getattr(state, name)
    return value if isinstance(value, dict) else {}


def _field_line(item: Any, where: str, offices: list[str]) -> tuple[str, str]:
    if not isinstance(item, dict):
        raise StreamError(f"{where}: expected a field line")
    office, name = item.get("office"), item.get("field")
    if office not in offices:
        raise StreamError(f"{where}: office {office!s:.40} is not in the header")
    if name not in STORED:
        raise StreamError(f"{where}: unknown field {name!s:.40}")
    return office, name


def _build(
    stored: dict[str, dict[str, Any]], offices: list[str], seeded: Mapping[str, OfficeState]
) -> dict[str, OfficeState]:
    states = {}
    for acronym in offices:
        fields = stored.get(acronym, {})
        missing = [name for name in STORED if name not in fields]
        if missing:
            raise StreamError(f"{acronym}: missing fields: {', '.join(missing)}")
        states[acronym] = _derive(fields, seeded[acronym])
    return states


# Past this share of changed leads, rebuilding the lead indexes beats patching the seed's.
PATCH_LIMIT = 0.25
# What each derived structure reads of a row: where those values are the seed row's, the
# seed's structure holds that row as a build would. A stream saved by a process started
# at another time differs from this seed in every row, but only in its timestamps (lead
# created_at, modified_at, ..., call_date): its lead and call-log indexes are the seed's.
_LEAD_KEYS = operator.itemgetter(*(LEAD_POS[name] for name in LEAD_INDEXED))
_LOG_KEYS = operator.itemgetter(*(LOG_POS[name] for name in LOG_INDEXED))
_LOG_DATE = operator.itemgetter(LOG_POS["call_date"])
_PERF_INPUTS = operator.itemgetter(*PERF_POS)


def _changed(
    records: Mapping[int, tuple[Any, ...]],
    seeded: Mapping[int, tuple[Any, ...]],
    values: Callable[[tuple[Any, ...]], Any],
) -> Iterator[int]:
    """Ids of the records whose values() differ from the seed record of that id, or that
    the seed does not have (a record shared with the seed is the same by identity)."""
    get = seeded.get
    for record_id, record in records.items():
        old = get(record_id)
        if old is not record and (old is None or values(old) != values(record)):
            yield record_id


def _derive(fields: dict[str, Any], seed: OfficeState) -> OfficeState:
    """The state with its indexes, started from the seed's where what they read of the
    records is the seed's: building the indexes of 100k leads from scratch is most of a
    restore, patching the seed's costs only the changes. Measured in-process (2 offices x
    100k leads, a stream written by a process with another clock, process CPU time per
    restore, 5 runs, load ~7): lead and call-log indexes taken from the seed instead of
    built, 4.5 -> 2.9 s median (best 4.1 -> 2.5 s). Anything else (a changed recording)
    is built as state.py declares, call-log totals of other dates when first read
    (PerfTotals.lazy). The result equals _with_derived(fields): tests/test_state_file.py
    checks both ways."""
    later = {"lead_index", "log_order", "log_index", "recs_by_call", "recs_by_user", "perf_cells"}
    state = _with_derived_except(fields, later)
    recordings, seed_recordings = fields["recordings"], seed.recordings
    if len(recordings) == len(seed_recordings) and all(
        seed_recordings.get(rid) is rec for rid, rec in recordings.items()
    ):
        state.recs_by_call = seed.recs_by_call.copy()
        state.recs_by_user = seed.recs_by_user.copy()
    else:
        state.recs_by_call = DERIVED["recs_by_call"].derive(fields)
        state.recs_by_user = DERIVED["recs_by_user"].derive(fields)
    leads, seed_leads = fields["leads"], seed.leads
    removed = seed_leads.keys() - leads.keys()
    changed = list(_changed(leads, seed_leads, _LEAD_KEYS))
    if len(removed) + len(changed) <= PATCH_LIMIT * max(len(leads), 1):
        index = {name: seed.lead_index[name].copy() for name in LEAD_INDEXED}
        for lead_id in sorted(removed):
            _unindex_lead(index, lead_id, seed_leads[lead_id])
        for lead_id in changed:
            old = seed_leads.get(lead_id)
            if old is not None:
                _unindex_lead(index, lead_id, old)
            for name in LEAD_INDEXED:
                index[name].add(lead_key(name, leads[lead_id][LEAD_POS[name]]), lead_id)
        state.lead_index = index
    else:
        state.lead_index = DERIVED["lead_index"].derive(fields)
    _derive_call_logs(state, fields["call_logs"], seed)
    return state


def _derive_call_logs(
    state: OfficeState, logs: dict[int, tuple[Any, ...]], seed: OfficeState
) -> None:
    """log_order, log_index and perf_cells: each the seed's, less the rows gone (call logs
    only leave the seed's, with their lead), when what it reads of every row is the
    seed's; else built."""
    seed_logs = seed.call_logs
    gone = seed_logs.keys() - logs.keys()
    seed_order = [cid for cid in seed.log_order if cid not in gone]
    if next(_changed(logs, seed_logs, _LOG_DATE), None) is None:
        state.log_order = seed_order
    else:
        state.log_order = order_call_logs(logs)
    if state.log_order == seed_order and next(_changed(logs, seed_logs, _LOG_KEYS), None) is None:
        state.log_index = {name: seed.log_index[name].copy() for name in LOG_INDEXED}
        for call_id in gone:
            row = seed_logs[call_id]
            for name in LOG_INDEXED:
                state.log_index[name].remove(row[LOG_POS[name]], call_id)
    else:
        state.log_index = index_call_logs(logs, state.log_order)
    if next(_changed(logs, seed_logs, _PERF_INPUTS), None) is None:
        # PerfTotals.build over 100k rows was ~0.4 s of each restore (1 s of 3 under cProfile).
        state.perf_cells = seed.perf_cells.copy()
        for call_id in gone:
            state.perf_cells.add(seed_logs[call_id], -1)
    else:
        state.perf_cells = PerfTotals.lazy(state.call_logs)


def _unindex_lead(index: dict[str, Any], lead_id: int, lead: tuple[Any, ...]) -> None:
    for name in LEAD_INDEXED:
        index[name].remove(lead_key(name, lead[LEAD_POS[name]]), lead_id)


def _with_derived_except(fields: dict[str, Any], later: set[str]) -> OfficeState:
    """OfficeState with every derived field but `later` built (those set to None here)."""
    values = dict(fields)
    for name, spec in DERIVED.items():
        values[name] = None if name in later else spec.derive(values)
    return OfficeState(**values)
