"""agent-performance/search (per-agent figures over a date range): schema, view, declaration."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import CommaList, Timestamp
from mockvoso.schemas.replies import DIGITS, Reply, integer, string, success
from mockvoso.store import OfficeStore

TAG = "Agent reports"  # the contract's group for the agent-* and user-activity resources

# An HH:MM:SS duration whose hours may pass 24 (and 99) over a long range.
DURATION = r"^[0-9]{2,}:[0-5][0-9]:[0-5][0-9]$"


def day_window(store: OfficeStore, args: dict[str, Any]) -> tuple[str, str]:
    """(date_start, date_end): today 00:00:00-23:59:59 on the server's clock by default
    (walmat/convoso-sdk documents that default)."""
    today = store.now_text()[:10]
    return (
        args.get("date_start", f"{today} 00:00:00"),
        args.get("date_end", f"{today} 23:59:59"),
    )


def percentage(description: str | None = None) -> fields.Field:
    return fields.Float(
        required=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": description} if description else {},
    )


# --------------------------------------------------------------------------- input


class AgentPerformanceSearchArgs(ArgsSchema):
    date_start = Timestamp(bound="start")
    date_end = Timestamp(bound="end")
    campaign_ids = CommaList()
    list_ids = CommaList()
    queue_ids = CommaList()
    user_ids = CommaList()
    status_ids = CommaList()


# --------------------------------------------------------------------------- output


class AgentPerformanceRow(Reply):
    name = string("The agent's full name.")
    calls = integer("Call-log rows of the agent in the range.", minimum=0)
    human_answered = integer("Calls whose status is flagged `contact`.", minimum=0)
    talk_sec_pt = percentage("talk_sec as a share of total_time, 2 decimals.")
    wait_sec_pt = percentage()
    pause_sec_pt = percentage()
    wrap_sec_pt = percentage()
    talk_sec = string("Summed call_length of the calls.", pattern=DURATION)
    wait_sec = string("Time in READY state (agent-productivity events).", pattern=DURATION)
    pause_sec = string("Time in PAUSED state (agent-productivity events).", pattern=DURATION)
    wrap_sec = string("Wrap-up after answered calls.", pattern=DURATION)
    total_time = string("talk + wait + pause + wrap.", pattern=DURATION)
    am = integer("Calls whose status is flagged `voicemail` (answering machine).", minimum=0)
    others = integer("calls - am.", minimum=0)
    am_pt = percentage()
    others_pt = percentage()
    call_type = string('Always `""` (as in the official example).')
    user_id = string("The agent's user id again, as a string.", pattern=DIGITS)


AgentPerformanceRow.OPENAPI = {"description": "One agent's figures (agent-performance/search)."}


class AgentPerformanceSearchResult(Reply):
    success = success()
    code = fields.Constant(200, required=True)
    total = integer("How many agents `data` holds.", minimum=0)
    data = fields.Dict(
        keys=fields.String(validate=validate.Regexp(DIGITS)),
        values=fields.Nested(AgentPerformanceRow),
        required=True,
        metadata={"description": "An **object keyed by user id** (not an array); `{}` if none."},
    )


# --------------------------------------------------------------------------- view


def agent_performance_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    start, end = day_window(store, args)
    filters: dict[str, list[str]] = {
        name: args[name]
        for name in ("campaign_ids", "list_ids", "queue_ids", "user_ids", "status_ids")
        if name in args
    }
    data = store.search_agent_performance(start, end, filters)
    return {"success": True, "code": 200, "total": len(data), "data": data}


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "agent-performance/search",
        view=agent_performance_search,
        args=AgentPerformanceSearchArgs,
        result=AgentPerformanceSearchResult,
        summary="Agents' performance over a date range",
        description="""\
Per agent, over `date_start`-`date_end` (default: today on the server's clock): call counts
and talk time summed from the office's own call log (the same rows log/retrieve answers
for that window), wrap-up after answered calls, and waiting (READY) and pause time from the
agents' state events (agent-productivity/search). `campaign_ids`, `list_ids`, `queue_ids`,
`user_ids` and `status_ids` are comma-separated; list, queue and status narrow the call
figures only (waiting and pausing belong to no call). `total_time` = talk + wait + pause +
wrap; each `*_pt` is a share of it (or of `calls` for `am_pt`/`others_pt`), 2 decimals.
`user_ids` naming no agent of the office answers 6031.

**Convoso quirk:** `data` is an **object keyed by user id**, each value repeating `user_id`
as a string; `total` is an integer at the top level, beside `code: 200`.
""",
        errors=(6031,),
    ),
)
