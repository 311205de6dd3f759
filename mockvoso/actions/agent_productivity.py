"""agent-productivity/search (agents' state events, paged): schema, view and declaration."""

from __future__ import annotations

from typing import Any

from mockvoso.actions.action import Action
from mockvoso.actions.agent_performance import DURATION, day_window
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import CommaList, Timestamp, WholeNumber
from mockvoso.schemas.replies import DIGITS, TIMESTAMP, Reply, integer, nested, string, success
from mockvoso.store import OfficeStore

AGENT_PRODUCTIVITY_DEFAULT_LIMIT = 1000
AGENT_PRODUCTIVITY_MAX_LIMIT = 1000

TAG = "Agent reports"

# --------------------------------------------------------------------------- input


class AgentProductivitySearchArgs(ArgsSchema):
    date_start = Timestamp(bound="start")
    date_end = Timestamp(bound="end")
    campaign_id = WholeNumber()
    agent_emails = CommaList()
    offset = WholeNumber()
    limit = WholeNumber()


# --------------------------------------------------------------------------- output


class AgentStateEvent(Reply):
    id = string(pattern=DIGITS)
    user_id = string(pattern=DIGITS)
    state = string("LOGIN, READY, PAUSED or LOGOUT.")
    availability_code = string("A numeric availability id, as a string.", pattern=DIGITS)
    campaign_id = string(pattern=DIGITS)
    event_epoch = string("Unix seconds, as a string.", pattern=DIGITS)
    event_sec = string("How long the state lasted (so far): HH:MM:SS.", pattern=DURATION)
    created_at = string(pattern=TIMESTAMP)
    browser = string()
    ip_address = string()
    user_uid = string()
    user_name = string()
    availability_code_name = string('The pause code\'s name; `""` for other states.')
    campaign_uid = string()
    campaign_name = string()
    campaign_type = string()
    availability_name = string()


AgentStateEvent.OPENAPI = {"description": "One agent state event: every value a string."}


class AgentProductivitySearchData(Reply):
    offset = integer(minimum=0)
    limit = string("The page size, as a **string**.", pattern=DIGITS)
    total = string("How many events match, as a **string**.", pattern=DIGITS)
    entries = nested(AgentStateEvent, many=True)


class AgentProductivitySearchResult(Reply):
    success = success()
    data = nested(AgentProductivitySearchData)


# --------------------------------------------------------------------------- view


def agent_productivity_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    start, end = day_window(store, args)
    offset, limit = take_paging(
        args, AGENT_PRODUCTIVITY_DEFAULT_LIMIT, AGENT_PRODUCTIVITY_MAX_LIMIT
    )
    campaign_id = str(args["campaign_id"]) if "campaign_id" in args else None
    total, entries = store.search_agent_productivity(
        start, end, campaign_id, args.get("agent_emails"), offset, limit
    )
    # Convoso quirk: offset is a number, limit and total are strings.
    return {
        "success": True,
        "data": {"offset": offset, "limit": str(limit), "total": str(total), "entries": entries},
    }


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "agent-productivity/search",
        view=agent_productivity_search,
        args=AgentProductivitySearchArgs,
        result=AgentProductivitySearchResult,
        summary="Agents' state events (login, ready, pause, logout)",
        description="""\
One row per agent state event in `date_start`-`date_end` (default: today on the server's
clock), in time order, one page at a time (default and maximum 1000). `campaign_id` keeps
one campaign's events; `agent_emails` (comma-separated) some agents' — naming no agent of
the office answers 6031. States: `LOGIN` (code 1), `READY` (2), `PAUSED` with a pause code
(3 Break, 4 Lunch, 5 Training, 6 Meeting: `availability_code_name`), `LOGOUT` (0).
`event_sec` is how long the state lasted (a state still going counts up to now).

**Convoso quirk:** every row value is a string (`event_epoch` too); `data.offset` is a
number while `data.limit` and `data.total` are strings.
""",
        errors=(6031, 7230, 7231),
    ),
)
