"""Seeded callbacks: every stage present, each on a real lead and (if personal) a real agent."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED

HOUR = 3600
DAY = 86400
# The stages the seed covers, in the order the first callbacks take them (so even the
# smallest office has one of each); later ones draw with these weights.
SEED_STAGES: tuple[tuple[str, int], ...] = (
    ("PENDING", 40),
    ("PASTDUE", 15),
    ("MISSED", 15),
    ("COMPLETED", 20),
    ("DISMISSED", 10),
)
_COMMENTS: tuple[str, ...] = (
    "",
    "",
    "Call back after 5pm",
    "Wants the spouse on the call",
    "Asked for a quote by e-mail first",
    "Busy at work, call tomorrow morning",
    "Reviewing the documents we sent",
    "Prefers the agent who took the first call",
)
_POS = {name: i for i, name in enumerate(LEAD_STORED)}
_LOG = {name: i for i, name in enumerate(CALL_LOG_FIELDS)}


def callback_count(leads: int) -> int:
    """One callback per 25 leads, at least one per stage (none without leads)."""
    return 0 if leads == 0 else max(len(SEED_STAGES), leads // 25)


def make_callbacks(
    lead_rows: list[tuple[str | None, ...]],
    created: list[int],
    call_logs: list[tuple[str | None, ...]],
    rng: random.Random,
    end: int,
    first_id: int,
    users: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
    zone: str = "UTC",
) -> list[dict[str, Any]]:
    """Callbacks on seeded leads, timed around the anchor `end` (epoch seconds).

    PENDING ones are due up to a week after the anchor; PASTDUE ones fell due in the day
    before it, MISSED ones earlier; COMPLETED and DISMISSED ones carry that status.
    mockvoso derives the stage when it answers (store/callbacks.py), so a clock that
    moves on turns PENDING into PASTDUE and PASTDUE into MISSED. Timestamps are written
    in the office's `zone`, like every other seeded timestamp.
    """
    tz = ZoneInfo(zone)

    def _text(epoch: int) -> str:
        return datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%d %H:%M:%S")

    count = callback_count(len(lead_rows))
    if count == 0:
        return []
    flagged = {s["status"].upper() for s in statuses if s.get("callback") == "Y"}
    status_pos = _POS["status"]
    pool = [i for i, row in enumerate(lead_rows) if (row[status_pos] or "").upper() in flagged]
    if len(pool) < count:
        pool += [i for i, row in enumerate(lead_rows) if row[status_pos] != "NEW"]
    if not pool:
        pool = list(range(len(lead_rows)))
    last_call: dict[str, tuple[str, str]] = {}
    log_id, log_lead, log_date = _LOG["id"], _LOG["lead_id"], _LOG["call_date"]
    for row in call_logs:  # the lead's latest call: the context a callback came from
        key = row[log_lead] or ""
        date = row[log_date] or ""
        if key not in last_call or date > last_call[key][0]:
            last_call[key] = (date, row[log_id] or "0")
    agents = [u["user_id"] for u in users]
    stage_table = [name for name, weight in SEED_STAGES for _ in range(weight)]
    out: list[dict[str, Any]] = []
    for n in range(count):
        stage = SEED_STAGES[n][0] if n < len(SEED_STAGES) else rng.choice(stage_table)
        lead_index = pool[rng.randrange(len(pool))]
        lead_created = created[lead_index]
        due = _due_time(stage, rng, end, lead_created)
        if due is None:  # a lead too recent for a callback that long overdue
            stage, due = "PENDING", end + HOUR + rng.randrange(7 * DAY)
        made = max(lead_created, min(due, end) - 14 * DAY)
        made += rng.randrange(max(1, min(due, end) - made))
        personal = rng.random() < 0.6
        user_id = agents[rng.randrange(len(agents))] if personal else ""
        status = stage if stage in ("COMPLETED", "DISMISSED") else "ACTIVE"
        modified, seen = made, None
        if status == "COMPLETED":
            modified = min(end, due + rng.randrange(2 * HOUR))
            seen = _text(modified)
        elif status == "DISMISSED":
            modified = made + rng.randrange(max(1, end - made))
            seen = _text(modified)
        lead_id = lead_rows[lead_index][0] or "0"
        out.append(
            {
                "id": first_id + n,
                "lead_id": int(lead_id),
                "user_id": user_id,
                "recipient": "USERONLY" if personal else "ANYONE",
                "status": status,
                "created_at": _text(made),
                "modified_at": _text(modified),
                "callback_time": _text(due - due % 60),  # callbacks are set to the minute
                "comments": rng.choice(_COMMENTS),
                "callback_seen": seen,
                "context": last_call.get(lead_id, ("", "0"))[1],
            }
        )
    return out


def _due_time(stage: str, rng: random.Random, end: int, lead_created: int) -> int | None:
    """When a seeded callback of `stage` falls due, after its lead was created."""
    if stage == "PENDING":
        low, high = end + 10 * 60, end + 7 * DAY
    elif stage == "PASTDUE":
        low, high = end - 23 * HOUR, end - 60
    elif stage == "DISMISSED":
        low, high = end - 20 * DAY, end + 3 * DAY
    else:  # MISSED, COMPLETED: more than a day overdue
        low, high = end - 20 * DAY, end - 25 * HOUR
    low = max(low, lead_created + HOUR)
    if low > high:
        return None
    return low + rng.randrange(high - low + 1)
