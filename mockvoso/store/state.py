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
    # --- agent reports (store/agent_reports.py) ---
    # Agent state events in time order (dicts replaced, never edited, when they change).
    agent_events: list[dict[str, Any]] = field(default_factory=list)
    # user_id -> position in agent_events of the agent's latest event (derived).
    agent_latest: dict[str, int] = field(default_factory=dict)
    # Call-log totals for agent-performance/search (derived, kept up to date on delete):
    # day -> (user_id, campaign_id, list_id, queue_id, status) -> (calls, talk s, wrap s).
    perf_cells: dict[str, dict[PerfKey, PerfCell]] = field(default_factory=dict)

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
            agent_events=list(self.agent_events),
            agent_latest=dict(self.agent_latest),
            perf_cells={day: dict(cells) for day, cells in self.perf_cells.items()},
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


# --- agent reports: derived indexes -----------------------------------------------------

PerfKey = tuple[str | None, str | None, str | None, str | None, str | None]
PerfCell = tuple[int, int, int]
# An answered call (the agent or the caller ended it) is followed by a wrap-up; its
# length is derived from the call's id so it is the same in every process.
WRAP_MIN_SECONDS = 15
WRAP_SPREAD_SECONDS = 41
_ANSWERED_TERMS = frozenset({"AGENT", "CALLER"})
_PERF_POS = tuple(LOG_POS[name] for name in ("user_id", "campaign_id", "list_id", "queue_id"))


def call_perf(row: CallLog) -> tuple[PerfKey, PerfCell]:
    """A call-log row's agent-performance cell key and its (calls, talk, wrap) seconds."""
    user, campaign, list_id, queue = (row[pos] for pos in _PERF_POS)
    talk = int(row[LOG_POS["call_length"]] or 0)
    answered = row[LOG_POS["term_reason"]] in _ANSWERED_TERMS
    wrap = WRAP_MIN_SECONDS + int(row[0]) % WRAP_SPREAD_SECONDS if answered else 0
    return (user, campaign, list_id, queue, row[LOG_POS["status"]]), (1, talk, wrap)


def perf_add(cells: dict[str, dict[PerfKey, PerfCell]], row: CallLog, sign: int = 1) -> None:
    """Count a call-log row into (sign=-1: out of) the per-day agent-performance cells."""
    day = (row[LOG_POS["call_date"]] or "")[:10]
    key, (calls, talk, wrap) = call_perf(row)
    by_key = cells.setdefault(day, {})
    old = by_key.get(key, (0, 0, 0))
    new = (old[0] + sign * calls, old[1] + sign * talk, old[2] + sign * wrap)
    if new[0] > 0:
        by_key[key] = new
    else:
        by_key.pop(key, None)


def index_perf(call_logs: dict[int, CallLog]) -> dict[str, dict[PerfKey, PerfCell]]:
    cells: dict[str, dict[PerfKey, PerfCell]] = {}
    for row in call_logs.values():
        perf_add(cells, row)
    return cells


def index_agent_latest(events: list[dict[str, Any]]) -> dict[str, int]:
    return {event["user_id"]: pos for pos, event in enumerate(events)}


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
        agent_events=list(seed.agent_events),
        agent_latest=index_agent_latest(seed.agent_events),
        perf_cells=index_perf(call_logs),
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
    "agent_events",
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
        "agent_events": state.agent_events,
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
    agent_events = agent_events_from_snapshot(doc["agent_events"])
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
        agent_events=agent_events,
        agent_latest=index_agent_latest(agent_events),
        perf_cells=index_perf(call_logs),
    )
    for row in state.lists.values():
        row["id"] = int(row["id"])
        row["campaign_id"] = int(row["campaign_id"])
    for row in state.campaigns.values():
        row["id"] = int(row["id"])
    return state


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


def agent_events_from_snapshot(rows: Any) -> list[dict[str, Any]]:
    """Agent events from a snapshot, checked key by key and put back in time order."""
    if not isinstance(rows, list):
        raise ValueError("agent_events must be a list")
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
