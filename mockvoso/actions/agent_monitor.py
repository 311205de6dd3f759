"""agent-monitor/search (agents' current state) and agent-monitor/logout: schemas and views."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.errors import ConvosoError
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import CommaList
from mockvoso.schemas.replies import DIGITS, TIMESTAMP, Ok, Reply, integer, nested, string, success
from mockvoso.store import OfficeStore

TAG = "Agent reports"

# "" when the agent has made no such call yet.
TIMESTAMP_OR_EMPTY = r"^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2})?$"

# --------------------------------------------------------------------------- input


class AgentFilterArgs(ArgsSchema):
    """The filters agent-monitor/search and user-activity/search share (comma lists)."""

    campaign_id = CommaList()
    queue_id = CommaList()
    user_id = CommaList()
    filter_by_skill_options = CommaList()


class AgentMonitorSearchArgs(AgentFilterArgs):
    pass


class AgentMonitorLogoutArgs(ArgsSchema):
    user_id = fields.String(validate=validate.Length(max=64))


# --------------------------------------------------------------------------- output


class MonitorOption(Reply):
    value = integer()
    name = string()


MonitorOption.OPENAPI = {"description": "A campaign or queue of agent-monitor's filters."}


class MonitorAgent(Reply):
    user_id = string(pattern=DIGITS)
    user_full_name = string()
    campaign_id = string(pattern=DIGITS)
    campaign_name = string()
    queue_id = string()
    queue_name = string()
    queue_assignment = string("The names of the agent's queues, comma-separated.")
    queue_assignment_ids = fields.List(
        fields.String(validate=validate.Regexp(DIGITS)), required=True
    )
    list_id = string('`"0"` while idle.', pattern=DIGITS)
    list_name = string('`"-"` while idle.')
    extension = string()
    channel_type = string()
    call_type = string('`"-"` while idle.')
    lead_id = string('`"0"` while idle.', pattern=DIGITS)
    call_log_id = string('The agent\'s latest call-log row, `"0"` if none.', pattern=DIGITS)
    calls_today = string("The agent's calls today, as a **string**.", pattern=DIGITS)
    total_calls = integer("The same count as an **integer**.", minimum=0)
    since_last_update = integer("Seconds since last_update_time.", minimum=0)
    last_state_change = string(pattern=TIMESTAMP)
    last_call_time = string(pattern=TIMESTAMP_OR_EMPTY)
    last_update_time = string(pattern=TIMESTAMP)
    last_call_finish = string(pattern=TIMESTAMP_OR_EMPTY)
    last_inbound_call_time = string(pattern=TIMESTAMP_OR_EMPTY)
    last_inbound_call_finish = string(pattern=TIMESTAMP_OR_EMPTY)
    availability_id = string(pattern=DIGITS)
    inbound_only = string()
    status = string("READY or PAUSED.")
    status_label = string()


MonitorAgent.OPENAPI = {
    "description": "A logged-in agent: strings, except total_calls, since_last_update and "
    "queue_assignment_ids."
}


class AgentMonitorEntries(Reply):
    success = success()
    code = fields.Constant(200, required=True)
    campaigns = nested(MonitorOption, many=True)
    queues = nested(MonitorOption, many=True)
    agents = nested(MonitorAgent, many=True)


class AgentMonitorSearchData(Reply):
    entries = nested(AgentMonitorEntries)


class AgentMonitorSearchResult(Reply):
    success = success()
    data = nested(AgentMonitorSearchData)


class AgentMonitorLogoutResult(Ok):
    pass


# --------------------------------------------------------------------------- views


def agent_filters(args: dict[str, Any]) -> dict[str, list[str] | None]:
    # filter_by_skill_options is accepted and ignored: mockvoso's agents have no skills.
    return {
        "campaign_ids": args.get("campaign_id"),
        "queue_ids": args.get("queue_id"),
        "user_ids": args.get("user_id"),
    }


def agent_monitor_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    return {"success": True, "data": {"entries": store.monitor_agents(**agent_filters(args))}}


def agent_monitor_logout(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    user_id = args.get("user_id", "").strip()
    if not user_id:
        raise ConvosoError(6012)
    store.logout_agent(user_id)
    return {"success": True}


# --------------------------------------------------------------------------- declarations

ACTIONS = (
    Action(
        "agent-monitor/search",
        view=agent_monitor_search,
        args=AgentMonitorSearchArgs,
        result=AgentMonitorSearchResult,
        summary="Agents logged in now, per campaign and queue",
        description="""\
The agents logged in now (their latest state event is not a LOGOUT), with the campaign
they are logged into, their queues, their calls today and their current state (`READY` or
`PAUSED` with the pause code in `status_label`), plus the office's campaigns and queues as
`{value, name}` options. `campaign_id`, `queue_id` and `user_id` (comma-separated) narrow
all three; `filter_by_skill_options` is accepted and ignored (mockvoso's agents have no
skills).

**Convoso quirk:** the answer is nested twice, `data.entries` holding its own `success`
and `code`; agent values are strings except `total_calls` and `since_last_update`.
""",
    ),
    Action(
        "agent-monitor/logout",
        view=agent_monitor_logout,
        args=AgentMonitorLogoutArgs,
        result=AgentMonitorLogoutResult,
        summary="Log an agent out",
        description="""\
Logs the agent `user_id` out now: their current state ends and a `LOGOUT` event is added,
so agent-monitor/search no longer lists them and user-activity/search counts one agent
less. An agent already logged out is left as is (still `success: true`). `user_id` is
required (6012); an id that is no agent of the office answers 6006.
""",
        errors=(6006, 6012),
    ),
)
