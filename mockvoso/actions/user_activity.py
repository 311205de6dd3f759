"""user-activity/search (available and logged-in agent counts): schema, view and declaration."""

from __future__ import annotations

from typing import Any

from mockvoso.actions.action import Action
from mockvoso.actions.agent_monitor import AgentFilterArgs, agent_filters
from mockvoso.schemas.replies import Reply, integer, nested, success
from mockvoso.store import OfficeStore

TAG = "Agent reports"

# --------------------------------------------------------------------------- input


class UserActivitySearchArgs(AgentFilterArgs):
    pass


# --------------------------------------------------------------------------- output


class UserActivitySearchData(Reply):
    available_agents = integer("Logged-in agents in READY state.", minimum=0)
    logged_in_agents = integer("Agents logged in now.", minimum=0)


class UserActivitySearchResult(Reply):
    success = success()
    data = nested(UserActivitySearchData)


# --------------------------------------------------------------------------- view


def user_activity_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    available, logged_in = store.user_activity(**agent_filters(args))
    return {
        "success": True,
        "data": {"available_agents": available, "logged_in_agents": logged_in},
    }


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "user-activity/search",
        view=user_activity_search,
        args=UserActivitySearchArgs,
        result=UserActivitySearchResult,
        summary="How many agents are logged in and available",
        description="""\
`logged_in_agents`: the agents agent-monitor/search lists for the same filters;
`available_agents`: those of them in READY state (so never more than `logged_in_agents`).
Filters as agent-monitor/search: `campaign_id`, `queue_id`, `user_id` (comma-separated),
`filter_by_skill_options` accepted and ignored.
""",
    ),
)
