"""One office's mutable data and its indexes, built from a seed and cheap to copy."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from operator import itemgetter, lt
from typing import Any, cast

from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED, OfficeSeed
from mockvoso.store.index import OrderedIndex, SortedIndex
from mockvoso.store.perf import PerfTotals
from mockvoso.store.phone_lists import (
    dump_entries,
    dump_statuses,
    index_by_phone,
    load_entries,
    load_statuses,
    statuses_from_seed,
)

# Position of each stored lead field in a lead tuple.
LEAD_POS: dict[str, int] = {name: i for i, name in enumerate(LEAD_STORED)}
# Lead fields with an index: a search on one of them reads the index, not the office.
LEAD_INDEXED: tuple[str, ...] = (
    "phone_number",
    "list_id",
    "status",
    "user_id",
    "owner_id",
    "email",
)
# Position of each field in a call-log tuple.
LOG_POS: dict[str, int] = {name: i for i, name in enumerate(CALL_LOG_FIELDS)}
# Call-log fields with an index (ids kept in call-date order).
LOG_INDEXED: tuple[str, ...] = (
    "lead_id",
    "list_id",
    "campaign_id",
    "user_id",
    "status",
    "phone_number",
)

Lead = tuple  # a lead is an immutable tuple in LEAD_STORED order; updates replace it
CallLog = tuple  # a call-log row: a tuple in CALL_LOG_FIELDS order, never edited


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection while millions of acyclic records are built.

    Every allocation burst would otherwise trigger full collections that walk all the
    records built so far: measured here, seeding 100k leads ~16% and restoring a
    snapshot ~40% faster without them. Records hold no cycles; refcounting frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Not gc.freeze() + gc.unfreeze() here, although it spared the next young
        # collection walking a restore's records (~0.3 s of a 2 x 100k-lead restore from
        # another process): it also moved every young cycle (request garbage) into the
        # oldest generation, and a 3-minute soak then grew 13.9 % after warm-up (3.5 %
        # without).
        if enabled:
            gc.enable()


def lead_key(field_name: str, value: Any) -> Any:
    """The index key of a lead value: e-mails and statuses match case-insensitively."""
    if value is None:
        return None
    if field_name in ("email", "status"):
        return value.lower()
    return value


@dataclass
class OfficeState:
    """Everything in one office that the API can change.

    Records are never mutated in place (leads are tuples; dict records are replaced on
    update), so a copy only needs new containers, not new records: that is what makes
    reset and snapshot take milliseconds instead of re-running Faker.

    Every field is declared in STORED (written to a snapshot) or DERIVED (rebuilt from
    the stored ones): clone, build_state and the snapshot functions iterate those, and
    importing this module fails when a field is missing from them.
    """

    campaigns: dict[int, dict[str, Any]]
    lists: dict[int, dict[str, Any]]
    leads: dict[int, Lead]
    custom: dict[int, dict[str, str]]
    lead_index: dict[str, SortedIndex]
    call_logs: dict[int, CallLog]
    log_order: list[int]  # call-log ids by (call_date, id) ascending
    log_index: dict[str, OrderedIndex]
    recordings: dict[int, dict[str, Any]]
    recs_by_call: SortedIndex  # call-log id -> its recording ids
    recs_by_user: SortedIndex
    next_lead_id: int
    next_list_id: int
    custom_keys: set[str]  # every custom field name seen (derived from custom on restore)
    # --- callbacks, recordings by lead, call-log writes, deleted leads (issue 10) ---
    callbacks: dict[int, dict[str, Any]]  # callback id -> record (CALLBACK_KEYS)
    next_callback_id: int
    # call-log id -> what log/update and revenue/update wrote (extra_field_01/02, revenue,
    # return): a side table, so untouched rows stay the immutable seeded tuples.
    log_extra: dict[int, dict[str, str]]
    # lead id -> {"lead": tuple, "custom": {...}, "deleted_at"}: leads/delete keeps the
    # lead here, where only leads/search's deleted_at_start/_end filters find it.
    deleted_leads: dict[int, dict[str, Any]]
    cb_by_lead: SortedIndex  # str(lead id) -> callback ids
    cb_by_user: SortedIndex  # user_id -> callback ids (system callbacks have none)
    recs_by_lead: SortedIndex  # lead id (int) -> recording ids
    # Statuses, DNC and SMS opt-out lists (store/statuses.py, dnc.py, sms_opt_out.py):
    # entries are dicts replaced on update; the phone indexes are derived.
    statuses: dict[str, dict[str, Any]]  # by upper-case code, in search order
    dnc: dict[int, dict[str, Any]]
    next_dnc_id: int
    sms_opt_outs: dict[int, dict[str, Any]]
    next_sms_opt_out_id: int
    dnc_by_phone: SortedIndex
    sms_by_phone: SortedIndex
    # --- agent reports (store/agent_reports.py) ---
    # Agent state events in time order (dicts replaced, never edited, when they change).
    agent_events: list[dict[str, Any]]
    # user_id -> position in agent_events of the agent's latest event.
    agent_latest: dict[str, int]
    # Call-log totals for agent-performance/search, kept up to date when rows go: per day
    # ("YYYY-MM-DD") and per hour ("YYYY-MM-DD HH"), both in this one mapping,
    # -> (user_id, campaign_id, list_id, queue_id, status) -> (calls, talk s, wrap s).
    perf_cells: PerfTotals

    def clone(self) -> OfficeState:
        """New containers around the same (immutable) records: what reset installs."""
        copies = {name: spec.copy(getattr(self, name)) for name, spec in FIELDS.items()}
        return OfficeState(**copies)


def _lowered(value: str | None) -> str | None:
    """value.lower(), but the value itself when it is lower-case already.

    str.lower() always makes a new string: at 1M leads keeping the seeded (lower-case)
    e-mails instead of a copy of each saves ~76 MiB (tracemalloc, 79 B a lead).
    """
    if value is None:
        return None
    low = value.lower()
    return value if low == value else low


def index_leads(leads: dict[int, Lead]) -> dict[str, SortedIndex]:
    """Build every lead index from leads given in ascending id order."""
    ids, rows = list(leads), list(leads.values())
    out: dict[str, SortedIndex] = {}
    for name in LEAD_INDEXED:
        # map/zip, not a generator or a lead_key() call per lead: this runs at every start.
        keys: Iterable[Any] = map(itemgetter(LEAD_POS[name]), rows)
        if lead_key(name, "A") == "a":
            keys = map(_lowered, keys)
        out[name] = SortedIndex.from_columns(list(keys), ids)
    return out


def order_call_logs(call_logs: dict[int, CallLog]) -> list[int]:
    """Call-log ids by (call_date, id): a stable sort on the date of ids in id order."""
    date = LOG_POS["call_date"]
    ids = sorted(call_logs)  # ~free: seeded and restored logs are kept in id order
    dates = [call_logs[cid][date] or "" for cid in ids]
    # Sorting positions by a list look-up instead of calling a lambda that reads the
    # dict and builds a (date, id) tuple per row: 500k rows (1M leads) 0.98 s -> 0.46 s.
    return [ids[k] for k in sorted(range(len(ids)), key=dates.__getitem__)]


def index_call_logs(call_logs: dict[int, CallLog], log_order: list[int]) -> dict[str, OrderedIndex]:
    """Every call-log index, from the rows taken once in call-date order."""
    rows = [call_logs[cid] for cid in log_order]
    return {
        name: OrderedIndex.build(zip(map(itemgetter(LOG_POS[name]), rows), log_order, strict=True))
        for name in LOG_INDEXED
    }


def index_recordings(recordings: dict[int, dict[str, Any]], key: str) -> SortedIndex:
    """Recording ids by one of their fields (call_log_id, user_id), ids ascending."""
    return SortedIndex.build((recordings[rid][key], rid) for rid in sorted(recordings))


# --- agent reports: events (call-log totals: store/perf.py) ------------------------------


def index_agent_latest(events: list[dict[str, Any]]) -> dict[str, int]:
    return {event["user_id"]: pos for pos, event in enumerate(events)}


_EVENT_TYPES: dict[str, tuple[type, ...]] = {
    "id": (int,),
    "user_id": (str,),
    "state": (str,),
    "availability_code": (str,),
    "campaign_id": (int,),
    "epoch": (int,),
    "created_at": (str,),
    "ends": (int, type(None)),
    "ip_address": (str,),
}


def _load_agent_events(rows: Any) -> list[dict[str, Any]]:
    """Agent events from a snapshot, checked key by key and put back in time order."""
    if not isinstance(rows, list):
        raise TypeError("agent_events: must be a list of objects")
    out = []
    for row in rows:
        if not isinstance(row, dict) or set(row) != set(_EVENT_TYPES):
            raise ValueError(f"agent event of the wrong shape: {row!r:.80}")
        for key, types in _EVENT_TYPES.items():
            if type(row[key]) not in types:
                raise ValueError(f"agent event {key} of the wrong type: {row!r:.80}")
        out.append(dict(row))
    out.sort(key=lambda event: (event["epoch"], event["id"]))
    return out


# --------------------------------------------------------------------------- declaration


@dataclass(frozen=True)
class Stored:
    """A field the API changes: copied by reset, built from the seed, kept in a snapshot.

    `from_seed` gets the seed and the stored fields declared before this one; `load`
    reads the snapshot's JSON value and raises ValueError, KeyError or TypeError on a
    value of another shape.
    """

    copy: Callable[[Any], Any]
    from_seed: Callable[[OfficeSeed, dict[str, Any]], Any]
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]
    # Tuple records in this column order: the compact stream (store/stream.py) writes
    # them in chunks of rows instead of one document.
    rows: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Derived:
    """An index: copied by reset (the live side then updates it in step with its
    collections), rebuilt by `derive` from the fields declared before it."""

    copy: Callable[[Any], Any]
    derive: Callable[[dict[str, Any]], Any]


def _row_id(row: Sequence[str | None]) -> int:
    """A seeded lead's or call log's id: column 0, never null (the row type cannot say so)."""
    return int(cast(str, row[0]))


def _rows_by_id(rows: Sequence[Sequence[str | None]]) -> dict[int, tuple[Any, ...]]:
    """Tuple records by id, in id order; the sort is skipped when the rows come in id
    order already, as generated leads do (1M leads: 0.42 s -> 0.30 s)."""
    ids = [_row_id(row) for row in rows]
    pairs: Iterable[tuple[int, Sequence[str | None]]] = zip(ids, rows, strict=True)
    if not all(map(lt, ids, ids[1:])):  # C speed: no Python frame per id
        pairs = sorted(pairs, key=itemgetter(0))
    return {record_id: tuple(row) for record_id, row in pairs}


def _same(value: Any) -> Any:
    return value  # ints and other immutables: a copy is the value itself


def _copy_indexes(indexes: dict[str, Any]) -> dict[str, Any]:
    return {name: index.copy() for name, index in indexes.items()}


_TEXT_OR_NULL = frozenset({str, type(None)})


def _text_or_null(row: list[Any]) -> bool:
    """Every value a string or null (set of types: C speed, this runs per row)."""
    return set(map(type, row)) <= _TEXT_OR_NULL


def _dump_rows(
    fields: tuple[str, ...], *, sort_ids: bool
) -> Callable[[dict[int, tuple[Any, ...]]], Any]:
    """Tuple records as {"fields": [...], "rows": [[...], ...]}; `sort_ids` for records
    not already kept in id order (leads are: a new lead's id is the largest)."""

    def dump(records: dict[int, tuple[Any, ...]]) -> dict[str, Any]:
        rows = (records[i] for i in sorted(records)) if sort_ids else records.values()
        return {"fields": list(fields), "rows": [list(row) for row in rows]}

    return dump


def _load_rows(fields: tuple[str, ...], what: str) -> Callable[[Any], dict[int, tuple[Any, ...]]]:
    """The inverse of _dump_rows: same field list, rows of strings/nulls, id order."""

    def load(doc: Any) -> dict[int, tuple[Any, ...]]:
        if doc["fields"] != list(fields):
            raise ValueError(f"{what}.fields do not match this version's {what} fields")
        records: dict[int, tuple[Any, ...]] = {}
        for row in doc["rows"]:
            if len(row) != len(fields) or not _text_or_null(row):
                raise ValueError(f"{what} row of the wrong shape: {row!r:.80}")
            records[int(row[0])] = tuple(row)
        return dict(sorted(records.items()))

    return load


def _load_records(
    what: str, key: str, ints: tuple[str, ...], texts: tuple[str, ...]
) -> Callable[[Any], dict[int, dict[str, Any]]]:
    """Dict records by `key`: each an object with its `ints` (coerced) and `texts` (strings),
    so that a restored state answers every action instead of failing on a bad row."""

    def load(rows: Any) -> dict[int, dict[str, Any]]:
        if not isinstance(rows, list):
            raise TypeError(f"{what}: must be a list of objects")
        records: dict[int, dict[str, Any]] = {}
        for row in rows:
            if not isinstance(row, dict):
                raise TypeError(f"{what} row is not an object: {row!r:.80}")
            record = dict(row)
            for name in ints:
                record[name] = int(record[name])
            for name in texts:
                if not isinstance(record[name], str):
                    raise ValueError(f"{what} row: {name} must be a string: {row!r:.80}")
            records[record[key]] = record
        return records

    return load


def _load_custom(doc: Any) -> dict[int, dict[str, str]]:
    return {
        int(lead_id): {str(k): str(v) for k, v in fields.items()} for lead_id, fields in doc.items()
    }


def _load_whole(value: Any) -> int:
    return int(value)


# --- issue 10: callbacks, call-log writes, deleted and archived leads ---------------------

CALLBACK_KEYS: tuple[str, ...] = (
    "id",
    "lead_id",
    "user_id",
    "recipient",
    "status",
    "created_at",
    "modified_at",
    "callback_time",
    "comments",
    "callback_seen",
    "context",
)
LOG_EXTRA_KEYS = frozenset({"extra_field_01", "extra_field_02", "revenue", "return"})


def _load_callbacks(rows: Any) -> dict[int, dict[str, Any]]:
    if not isinstance(rows, list):
        raise TypeError("callbacks: must be a list of objects")
    callbacks: dict[int, dict[str, Any]] = {}
    for raw in rows:
        if not isinstance(raw, dict) or set(raw) != set(CALLBACK_KEYS):
            raise ValueError(f"a callback must have exactly the keys {', '.join(CALLBACK_KEYS)}")
        record = dict(raw)
        record["id"], record["lead_id"] = int(raw["id"]), int(raw["lead_id"])
        for key in CALLBACK_KEYS[2:]:
            value = record[key]
            if not isinstance(value, str) and not (key == "callback_seen" and value is None):
                raise ValueError(f"callback {record['id']}: {key} must be a string")
        callbacks[record["id"]] = record
    return dict(sorted(callbacks.items()))  # id order: searches page through it as is


def _load_log_extra(doc: Any) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for call_id, extra in doc.items():
        if not isinstance(extra, dict) or not set(extra) <= LOG_EXTRA_KEYS:
            raise ValueError(f"log_extra of {call_id}: an object of {sorted(LOG_EXTRA_KEYS)}")
        out[int(call_id)] = {str(k): str(v) for k, v in extra.items()}
    return out


def _dump_gone(stamp: str) -> Callable[[dict[int, dict[str, Any]]], Any]:
    """Deleted leads: the row (LEAD_STORED order), custom fields and the stamp."""

    def dump(table: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {"lead": list(table[i]["lead"]), "custom": table[i]["custom"], stamp: table[i][stamp]}
            for i in sorted(table)
        ]

    return dump


def _load_gone(stamp: str) -> Callable[[Any], dict[int, dict[str, Any]]]:
    def load(rows: Any) -> dict[int, dict[str, Any]]:
        if not isinstance(rows, list):
            raise TypeError(f"{stamp[:-3]} leads: must be a list of objects")
        table: dict[int, dict[str, Any]] = {}
        for raw in rows:
            if not isinstance(raw, dict) or set(raw) != {"lead", "custom", stamp}:
                raise ValueError(f"a {stamp[:-3]} lead has the keys lead, custom, {stamp}")
            row = raw["lead"]
            if not isinstance(row, list) or len(row) != len(LEAD_STORED) or not _text_or_null(row):
                raise ValueError(f"{stamp[:-3]} lead row of the wrong shape: {row!r:.80}")
            if not isinstance(raw[stamp], str) or not isinstance(raw["custom"], dict):
                raise ValueError(f"{stamp} must be a string and custom an object")
            custom = {str(k): str(v) for k, v in raw["custom"].items()}
            table[int(row[0])] = {"lead": tuple(row), "custom": custom, stamp: raw[stamp]}
        return table

    return load


def index_callbacks(callbacks: dict[int, dict[str, Any]], key: str) -> SortedIndex:
    """Callback ids by lead (as a string) or by user_id ("" = none: not indexed)."""
    if key == "lead_id":
        return SortedIndex.build((str(callbacks[i]["lead_id"]), i) for i in sorted(callbacks))
    return SortedIndex.build((callbacks[i]["user_id"] or None, i) for i in sorted(callbacks))


def _next_id(collection: str) -> Stored:
    """A counter: the next id of `collection`, one past its largest seeded id."""
    return Stored(
        copy=_same,
        from_seed=lambda seed, built: max(built[collection], default=0) + 1,
        dump=_same,
        load=_load_whole,
    )


# Snapshot order: GET /_mockvoso/snapshot writes the stored fields in this order.
STORED: dict[str, Stored] = {
    "campaigns": Stored(
        copy=dict,
        from_seed=lambda seed, _: {int(item["id"]): dict(item) for item in seed.campaigns},
        dump=lambda campaigns: list(campaigns.values()),
        load=_load_records("campaigns", "id", ints=("id",), texts=("name", "status")),
    ),
    "lists": Stored(
        copy=dict,
        from_seed=lambda seed, _: {int(item["id"]): dict(item) for item in seed.lists},
        dump=lambda lists: list(lists.values()),
        load=_load_records("lists", "id", ints=("id", "campaign_id"), texts=("name", "status")),
    ),
    "leads": Stored(
        copy=dict,
        # Records are shared with the seed, never copied: they are immutable here.
        from_seed=lambda seed, _: _rows_by_id(seed.leads),
        dump=_dump_rows(LEAD_STORED, sort_ids=False),
        load=_load_rows(LEAD_STORED, "leads"),
        rows=LEAD_STORED,
    ),
    "custom": Stored(
        copy=dict,
        # Values the generator drew for a seed's custom_fields (none unless declared).
        from_seed=lambda seed, _: {lead_id: dict(f) for lead_id, f in seed.custom.items()},
        dump=lambda custom: {str(lead_id): fields for lead_id, fields in custom.items()},
        load=_load_custom,
    ),
    "call_logs": Stored(
        copy=dict,
        from_seed=lambda seed, _: {_row_id(row): tuple(row) for row in seed.call_logs},
        dump=_dump_rows(CALL_LOG_FIELDS, sort_ids=True),
        load=_load_rows(CALL_LOG_FIELDS, "call_logs"),
        rows=CALL_LOG_FIELDS,
    ),
    "recordings": Stored(
        copy=dict,
        from_seed=lambda seed, _: {int(rec["recording_id"]): rec for rec in seed.recordings},
        dump=lambda recordings: [recordings[rid] for rid in sorted(recordings)],
        load=_load_records(
            "recordings",
            "recording_id",
            ints=("recording_id", "call_log_id", "lead_id"),
            texts=("user_id", "start_time", "url"),
        ),
    ),
    "next_lead_id": _next_id("leads"),
    "next_list_id": _next_id("lists"),
    "callbacks": Stored(
        copy=dict,
        from_seed=lambda seed, _: {int(cb["id"]): dict(cb) for cb in seed.callbacks},
        dump=lambda callbacks: [callbacks[i] for i in sorted(callbacks)],
        load=_load_callbacks,
    ),
    "next_callback_id": Stored(
        copy=_same,
        # The office's own id block (seed.first_callback_id) when nothing was seeded.
        from_seed=lambda seed, built: max(
            max(built["callbacks"], default=0) + 1, seed.first_callback_id
        ),
        dump=_same,
        load=_load_whole,
    ),
    "log_extra": Stored(
        copy=dict,
        from_seed=lambda seed, _: {},
        dump=lambda extra: {str(cid): extra[cid] for cid in sorted(extra)},
        load=_load_log_extra,
    ),
    "deleted_leads": Stored(
        copy=dict,
        from_seed=lambda seed, _: {},
        dump=_dump_gone("deleted_at"),
        load=_load_gone("deleted_at"),
    ),
    # Statuses, DNC and SMS opt-outs (store/phone_lists.py has their codecs).
    "statuses": Stored(
        copy=dict,
        from_seed=lambda seed, _: statuses_from_seed(seed.statuses),
        dump=dump_statuses,
        load=load_statuses,
    ),
    "dnc": Stored(
        copy=dict,
        from_seed=lambda seed, _: {int(e["id"]): dict(e) for e in seed.dnc},
        dump=dump_entries,
        load=lambda rows: load_entries(rows, "dnc"),
    ),
    "next_dnc_id": _next_id("dnc"),
    "sms_opt_outs": Stored(
        copy=dict,
        from_seed=lambda seed, _: {int(e["id"]): dict(e) for e in seed.sms_opt_outs},
        dump=dump_entries,
        load=lambda rows: load_entries(rows, "sms_opt_outs"),
    ),
    "next_sms_opt_out_id": _next_id("sms_opt_outs"),
    "agent_events": Stored(
        copy=list,
        from_seed=lambda seed, _: list(seed.agent_events),
        dump=list,
        load=_load_agent_events,
    ),
}

# Build order: an index may read the ones declared before it (log_index reads log_order).
DERIVED: dict[str, Derived] = {
    "lead_index": Derived(copy=_copy_indexes, derive=lambda s: index_leads(s["leads"])),
    "log_order": Derived(copy=list, derive=lambda s: order_call_logs(s["call_logs"])),
    "log_index": Derived(
        copy=_copy_indexes, derive=lambda s: index_call_logs(s["call_logs"], s["log_order"])
    ),
    "recs_by_call": Derived(
        copy=SortedIndex.copy, derive=lambda s: index_recordings(s["recordings"], "call_log_id")
    ),
    "recs_by_user": Derived(
        copy=SortedIndex.copy, derive=lambda s: index_recordings(s["recordings"], "user_id")
    ),
    "custom_keys": Derived(
        copy=set, derive=lambda s: {key for fields in s["custom"].values() for key in fields}
    ),
    "cb_by_lead": Derived(
        copy=SortedIndex.copy, derive=lambda s: index_callbacks(s["callbacks"], "lead_id")
    ),
    "cb_by_user": Derived(
        copy=SortedIndex.copy, derive=lambda s: index_callbacks(s["callbacks"], "user_id")
    ),
    "recs_by_lead": Derived(
        copy=SortedIndex.copy, derive=lambda s: index_recordings(s["recordings"], "lead_id")
    ),
    "dnc_by_phone": Derived(copy=SortedIndex.copy, derive=lambda s: index_by_phone(s["dnc"])),
    "sms_by_phone": Derived(
        copy=SortedIndex.copy, derive=lambda s: index_by_phone(s["sms_opt_outs"])
    ),
    "agent_latest": Derived(copy=dict, derive=lambda s: index_agent_latest(s["agent_events"])),
    "perf_cells": Derived(
        copy=PerfTotals.copy, derive=lambda s: PerfTotals.build(s["call_logs"].values())
    ),
}

FIELDS: dict[str, Stored | Derived] = {**STORED, **DERIVED}
SNAPSHOT_KEYS: tuple[str, ...] = tuple(STORED)


def check_declared(state_class: type, fields_declared: Iterable[str]) -> None:
    """Raise TypeError unless every dataclass field of state_class is declared, and
    nothing else is: a collection left out would be emptied by every reset."""
    have = {f.name for f in dataclass_fields(state_class)}
    declared = set(fields_declared)
    if have != declared:
        raise TypeError(
            f"{state_class.__name__} fields and their declaration differ: "
            f"undeclared {sorted(have - declared)}, not fields {sorted(declared - have)}"
        )


check_declared(OfficeState, FIELDS)


def _with_derived(stored: dict[str, Any]) -> OfficeState:
    values = dict(stored)
    for name, spec in DERIVED.items():
        values[name] = spec.derive(values)
    return OfficeState(**values)


def build_state(seed: OfficeSeed) -> OfficeState:
    """Turn a generated OfficeSeed into indexed state (done once per office and seed)."""
    stored: dict[str, Any] = {}
    for name, spec in STORED.items():
        stored[name] = spec.from_seed(seed, stored)
    return _with_derived(stored)


def state_to_snapshot(state: OfficeState) -> dict[str, Any]:
    """The state as plain JSON data; indexes are derived, so they are not written."""
    return {name: spec.dump(getattr(state, name)) for name, spec in STORED.items()}


def state_from_snapshot(doc: dict[str, Any]) -> OfficeState:
    """Rebuild a state (indexes included) from state_to_snapshot's output.

    Raises ValueError, KeyError or TypeError on a document of another shape; the
    caller turns those into a 400 and keeps the current state.
    """
    missing = [key for key in SNAPSHOT_KEYS if key not in doc]
    if missing:
        raise ValueError(f"missing keys: {', '.join(missing)}")
    return _with_derived({name: spec.load(doc[name]) for name, spec in STORED.items()})
