"""One office's mutable data and its indexes, built from a seed and cheap to copy."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED, OfficeSeed
from mockvoso.store.index import OrderedIndex, SortedIndex

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
    custom_keys: set[str] = field(default_factory=set)
    # --- callbacks, recordings by lead, call-log writes, deleted leads (issue 10) ---
    # Kept together so the "state declared once" rework can move them in one piece.
    callbacks: dict[int, dict[str, Any]] = field(default_factory=dict)
    cb_by_lead: SortedIndex = field(default_factory=SortedIndex)  # str(lead id) -> ids
    cb_by_user: SortedIndex = field(default_factory=SortedIndex)  # user_id -> ids
    next_callback_id: int = 1
    recs_by_lead: SortedIndex = field(default_factory=SortedIndex)  # lead id (int) -> ids
    # call-log id -> what log/update and revenue/update wrote (extra_field_01/02, revenue,
    # return): a side table, so untouched rows stay the immutable seeded tuples.
    log_extra: dict[int, dict[str, str]] = field(default_factory=dict)
    # lead id -> {"lead": tuple, "custom": {...}, "deleted_at"}: leads/delete keeps the
    # lead here, where only leads/search's deleted_at_start/_end filters find it.
    deleted_leads: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Same shape with "archived_at"; nothing archives a lead in mockvoso (see README).
    archived_leads: dict[int, dict[str, Any]] = field(default_factory=dict)

    def clone(self) -> OfficeState:
        return OfficeState(
            campaigns=dict(self.campaigns),
            lists=dict(self.lists),
            leads=dict(self.leads),
            custom=dict(self.custom),
            lead_index={name: index.copy() for name, index in self.lead_index.items()},
            call_logs=dict(self.call_logs),
            log_order=list(self.log_order),
            log_index={name: index.copy() for name, index in self.log_index.items()},
            recordings=dict(self.recordings),
            recs_by_call=self.recs_by_call.copy(),
            recs_by_user=self.recs_by_user.copy(),
            next_lead_id=self.next_lead_id,
            next_list_id=self.next_list_id,
            custom_keys=set(self.custom_keys),
            callbacks=dict(self.callbacks),
            cb_by_lead=self.cb_by_lead.copy(),
            cb_by_user=self.cb_by_user.copy(),
            next_callback_id=self.next_callback_id,
            recs_by_lead=self.recs_by_lead.copy(),
            log_extra=dict(self.log_extra),
            deleted_leads=dict(self.deleted_leads),
            archived_leads=dict(self.archived_leads),
        )


def index_leads(leads: dict[int, Lead]) -> dict[str, SortedIndex]:
    """Build every lead index from leads given in ascending id order."""
    items = list(leads.items())
    out: dict[str, SortedIndex] = {}
    for name in LEAD_INDEXED:
        pos = LEAD_POS[name]
        # Inline expressions, not a lead_key() call per lead: this runs at every start.
        if lead_key(name, "A") == "a":
            pairs = ((lead[pos] and lead[pos].lower(), lead_id) for lead_id, lead in items)
        else:
            pairs = ((lead[pos], lead_id) for lead_id, lead in items)
        out[name] = SortedIndex.build(pairs)
    return out


def order_call_logs(call_logs: dict[int, CallLog]) -> list[int]:
    date = LOG_POS["call_date"]
    return sorted(call_logs, key=lambda cid: (call_logs[cid][date] or "", cid))


def index_call_logs(call_logs: dict[int, CallLog], log_order: list[int]) -> dict[str, OrderedIndex]:
    return {
        name: OrderedIndex.build((call_logs[cid][LOG_POS[name]], cid) for cid in log_order)
        for name in LOG_INDEXED
    }


def index_recordings(recordings: dict[int, dict[str, Any]]) -> tuple[SortedIndex, SortedIndex]:
    """(by call-log id, by agent user_id), recording ids ascending."""
    ordered = sorted(recordings)
    by_call = SortedIndex.build((recordings[rid]["call_log_id"], rid) for rid in ordered)
    by_user = SortedIndex.build((recordings[rid]["user_id"], rid) for rid in ordered)
    return by_call, by_user


def index_callbacks(callbacks: dict[int, dict[str, Any]]) -> tuple[SortedIndex, SortedIndex]:
    """(by str(lead id), by user_id), callback ids ascending; system callbacks have no user."""
    ordered = sorted(callbacks)
    by_lead = SortedIndex.build((str(callbacks[i]["lead_id"]), i) for i in ordered)
    by_user = SortedIndex.build((callbacks[i]["user_id"] or None, i) for i in ordered)
    return by_lead, by_user


def index_recordings_by_lead(recordings: dict[int, dict[str, Any]]) -> SortedIndex:
    return SortedIndex.build((recordings[rid]["lead_id"], rid) for rid in sorted(recordings))


def _add_issue10_state(
    state: OfficeState, callbacks: dict[int, dict[str, Any]], next_callback_id: int
) -> None:
    """Fill the issue-10 collections' derived indexes (build and restore share this)."""
    state.callbacks = callbacks
    state.cb_by_lead, state.cb_by_user = index_callbacks(callbacks)
    state.next_callback_id = max(next_callback_id, max(callbacks, default=0) + 1)
    state.recs_by_lead = index_recordings_by_lead(state.recordings)


def build_state(seed: OfficeSeed) -> OfficeState:
    """Turn a generated OfficeSeed into indexed state (done once per office and seed)."""
    leads: dict[int, Lead] = {}
    for lead in sorted(seed.leads, key=lambda t: int(t[0])):
        leads[int(lead[0])] = tuple(lead)
    # Records are shared with the seed, never copied: they are immutable here.
    call_logs = {int(row[0]): tuple(row) for row in seed.call_logs}
    log_order = order_call_logs(call_logs)
    recordings = {int(rec["recording_id"]): rec for rec in seed.recordings}
    recs_by_call, recs_by_user = index_recordings(recordings)
    lists = {int(item["id"]): dict(item) for item in seed.lists}
    campaigns = {int(item["id"]): dict(item) for item in seed.campaigns}
    state = OfficeState(
        campaigns=campaigns,
        lists=lists,
        leads=leads,
        custom={},
        lead_index=index_leads(leads),
        call_logs=call_logs,
        log_order=log_order,
        log_index=index_call_logs(call_logs, log_order),
        recordings=recordings,
        recs_by_call=recs_by_call,
        recs_by_user=recs_by_user,
        next_lead_id=max(leads, default=0) + 1,
        next_list_id=max(lists, default=0) + 1,
    )
    callbacks = {int(cb["id"]): dict(cb) for cb in seed.callbacks}
    _add_issue10_state(state, callbacks, seed.first_callback_id)
    return state


SNAPSHOT_KEYS = (
    "campaigns",
    "lists",
    "leads",
    "custom",
    "call_logs",
    "recordings",
    "next_lead_id",
    "next_list_id",
)


def state_to_snapshot(state: OfficeState) -> dict[str, Any]:
    """The state as plain JSON data; indexes are derived, so they are not written."""
    return {
        "campaigns": list(state.campaigns.values()),
        "lists": list(state.lists.values()),
        "leads": {
            "fields": list(LEAD_STORED),
            "rows": [list(lead) for lead in state.leads.values()],
        },
        "custom": {str(lead_id): custom for lead_id, custom in state.custom.items()},
        "call_logs": {
            "fields": list(CALL_LOG_FIELDS),
            "rows": [list(state.call_logs[cid]) for cid in sorted(state.call_logs)],
        },
        "recordings": [state.recordings[rid] for rid in sorted(state.recordings)],
        "next_lead_id": state.next_lead_id,
        "next_list_id": state.next_list_id,
        "callbacks": [state.callbacks[cid] for cid in sorted(state.callbacks)],
        "next_callback_id": state.next_callback_id,
        "log_extra": {str(cid): extra for cid, extra in sorted(state.log_extra.items())},
        "deleted_leads": [
            _gone_out(lid, state.deleted_leads[lid]) for lid in sorted(state.deleted_leads)
        ],
        "archived_leads": [
            _gone_out(lid, state.archived_leads[lid]) for lid in sorted(state.archived_leads)
        ],
    }


# Keys of the issue-10 collections in a snapshot: optional on restore (a snapshot taken
# before they existed restores with them empty), always written.
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


def _gone_out(lead_id: int, gone: dict[str, Any]) -> dict[str, Any]:
    """A deleted or archived lead as a snapshot holds it: the row in LEAD_STORED order."""
    out = {key: value for key, value in gone.items() if key != "lead"}
    return {"lead": list(gone["lead"]), **out}


def _gone_in(raw: Any, stamp: str) -> tuple[int, dict[str, Any]]:
    if not isinstance(raw, dict) or set(raw) != {"lead", "custom", stamp}:
        raise ValueError(f"a {stamp[:-3]} lead must have the keys lead, custom, {stamp}")
    row = raw["lead"]
    if not isinstance(row, list) or len(row) != len(LEAD_STORED) or not _text_or_null(row):
        raise ValueError(f"{stamp[:-3]} lead row of the wrong shape: {row!r:.80}")
    if not isinstance(raw[stamp], str) or not isinstance(raw["custom"], dict):
        raise ValueError(f"{stamp} must be a string and custom an object")
    custom = {str(k): str(v) for k, v in raw["custom"].items()}
    return int(row[0]), {"lead": tuple(row), "custom": custom, stamp: raw[stamp]}


def _callback_in(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(CALLBACK_KEYS):
        raise ValueError(f"a callback must have exactly the keys {', '.join(CALLBACK_KEYS)}")
    out = dict(raw)
    out["id"], out["lead_id"] = int(raw["id"]), int(raw["lead_id"])
    for key in CALLBACK_KEYS[2:]:
        value = out[key]
        if not isinstance(value, str) and not (key == "callback_seen" and value is None):
            raise ValueError(f"callback {out['id']}: {key} must be a string")
    return out


def _issue10_from_snapshot(doc: dict[str, Any], state: OfficeState) -> None:
    callbacks = {}
    for raw in doc.get("callbacks", []):
        callback = _callback_in(raw)
        callbacks[callback["id"]] = callback
    _add_issue10_state(state, callbacks, int(doc.get("next_callback_id", 1)))
    for cid, extra in doc.get("log_extra", {}).items():
        if not isinstance(extra, dict) or not set(extra) <= LOG_EXTRA_KEYS:
            raise ValueError(f"log_extra of {cid} must be an object of {sorted(LOG_EXTRA_KEYS)}")
        state.log_extra[int(cid)] = {str(k): str(v) for k, v in extra.items()}
    for name, stamp in (("deleted_leads", "deleted_at"), ("archived_leads", "archived_at")):
        table = getattr(state, name)
        for raw in doc.get(name, []):
            lead_id, gone = _gone_in(raw, stamp)
            table[lead_id] = gone


_TEXT_OR_NULL = frozenset({str, type(None)})


def _text_or_null(row: list[Any]) -> bool:
    """Every value a string or null (set of types: C speed, this runs per row)."""
    return set(map(type, row)) <= _TEXT_OR_NULL


def state_from_snapshot(doc: dict[str, Any]) -> OfficeState:
    """Rebuild a state (indexes included) from state_to_snapshot's output.

    Raises ValueError, KeyError or TypeError on a document of another shape; the
    caller turns those into a 400 and keeps the current state.
    """
    missing = [key for key in SNAPSHOT_KEYS if key not in doc]
    if missing:
        raise ValueError(f"missing keys: {', '.join(missing)}")
    if doc["leads"]["fields"] != list(LEAD_STORED):
        raise ValueError("leads.fields do not match this version's lead fields")
    leads: dict[int, Lead] = {}
    for row in doc["leads"]["rows"]:
        if len(row) != len(LEAD_STORED) or not _text_or_null(row):
            raise ValueError(f"lead row of the wrong shape: {row!r:.80}")
        leads[int(row[0])] = tuple(row)
    leads = dict(sorted(leads.items()))
    if doc["call_logs"]["fields"] != list(CALL_LOG_FIELDS):
        raise ValueError("call_logs.fields do not match this version's call-log fields")
    call_logs: dict[int, CallLog] = {}
    for row in doc["call_logs"]["rows"]:
        if len(row) != len(CALL_LOG_FIELDS) or not _text_or_null(row):
            raise ValueError(f"call-log row of the wrong shape: {row!r:.80}")
        call_logs[int(row[0])] = tuple(row)
    log_order = order_call_logs(call_logs)
    recordings = {int(rec["recording_id"]): dict(rec) for rec in doc["recordings"]}
    recs_by_call, recs_by_user = index_recordings(recordings)
    custom = {
        int(lead_id): {str(k): str(v) for k, v in fields.items()}
        for lead_id, fields in doc["custom"].items()
    }
    state = OfficeState(
        campaigns={int(row["id"]): dict(row) for row in doc["campaigns"]},
        lists={int(row["id"]): dict(row) for row in doc["lists"]},
        leads=leads,
        custom=custom,
        lead_index=index_leads(leads),
        call_logs=call_logs,
        log_order=log_order,
        log_index=index_call_logs(call_logs, log_order),
        recordings=recordings,
        recs_by_call=recs_by_call,
        recs_by_user=recs_by_user,
        next_lead_id=int(doc["next_lead_id"]),
        next_list_id=int(doc["next_list_id"]),
        custom_keys={key for fields in custom.values() for key in fields},
    )
    for row in state.lists.values():
        row["id"] = int(row["id"])
        row["campaign_id"] = int(row["campaign_id"])
    for row in state.campaigns.values():
        row["id"] = int(row["id"])
    _issue10_from_snapshot(doc, state)
    return state
