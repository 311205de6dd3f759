"""One office's mutable data and its indexes, built from a seed and cheap to copy."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED, OfficeSeed
from mockvoso.store.index import OrderedIndex, SortedIndex
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
    # Statuses, DNC and SMS opt-out lists (store/statuses.py, dnc.py, sms_opt_out.py):
    # entries are dicts replaced on update; the phone indexes are derived.
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)  # upper-case code ->
    dnc: dict[int, dict[str, Any]] = field(default_factory=dict)
    dnc_by_phone: SortedIndex = field(default_factory=SortedIndex)
    next_dnc_id: int = 1
    sms_opt_outs: dict[int, dict[str, Any]] = field(default_factory=dict)
    sms_by_phone: SortedIndex = field(default_factory=SortedIndex)
    next_sms_opt_out_id: int = 1

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
            statuses=dict(self.statuses),
            dnc=dict(self.dnc),
            dnc_by_phone=self.dnc_by_phone.copy(),
            next_dnc_id=self.next_dnc_id,
            sms_opt_outs=dict(self.sms_opt_outs),
            sms_by_phone=self.sms_by_phone.copy(),
            next_sms_opt_out_id=self.next_sms_opt_out_id,
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
    dnc = {int(entry["id"]): dict(entry) for entry in seed.dnc}
    sms_opt_outs = {int(entry["id"]): dict(entry) for entry in seed.sms_opt_outs}
    return OfficeState(
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
        statuses=statuses_from_seed(seed.statuses),
        dnc=dnc,
        dnc_by_phone=index_by_phone(dnc),
        next_dnc_id=max(dnc, default=0) + 1,
        sms_opt_outs=sms_opt_outs,
        sms_by_phone=index_by_phone(sms_opt_outs),
        next_sms_opt_out_id=max(sms_opt_outs, default=0) + 1,
    )


SNAPSHOT_KEYS = (
    "campaigns",
    "lists",
    "leads",
    "custom",
    "call_logs",
    "recordings",
    "next_lead_id",
    "next_list_id",
    "statuses",
    "dnc",
    "next_dnc_id",
    "sms_opt_outs",
    "next_sms_opt_out_id",
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
        "statuses": dump_statuses(state.statuses),
        "dnc": dump_entries(state.dnc),
        "next_dnc_id": state.next_dnc_id,
        "sms_opt_outs": dump_entries(state.sms_opt_outs),
        "next_sms_opt_out_id": state.next_sms_opt_out_id,
    }


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
        statuses=load_statuses(doc["statuses"]),
        dnc=(dnc := load_entries(doc["dnc"], "dnc")),
        dnc_by_phone=index_by_phone(dnc),
        next_dnc_id=int(doc["next_dnc_id"]),
        sms_opt_outs=(sms := load_entries(doc["sms_opt_outs"], "sms_opt_outs")),
        sms_by_phone=index_by_phone(sms),
        next_sms_opt_out_id=int(doc["next_sms_opt_out_id"]),
    )
    for row in state.lists.values():
        row["id"] = int(row["id"])
        row["campaign_id"] = int(row["campaign_id"])
    for row in state.campaigns.values():
        row["id"] = int(row["id"])
    return state
