"""The action table: every Convoso action declared once; routes, sections, fault and journal
names, the control client and the contract all derive from it."""

from __future__ import annotations

import importlib
from functools import cache

from mockvoso.actions.action import Action

# One line per Convoso resource: its module in mockvoso.actions -> the token section
# that opens it (Convoso's per-section token permissions). Nothing registers itself by
# being imported: an action exists because its module is listed here and declares it.
RESOURCES: dict[str, str] = {
    "leads": "leads",
    "lists": "lists",
    "campaigns": "campaigns",
    "log": "log",
    "users": "users",
    "callbacks": "callbacks",
    "revenue": "revenue",
    "dnc": "dnc",
    "sms_opt_out": "sms-opt-out",
    "status": "status",
    "agent_performance": "agent-performance",
    "agent_productivity": "agent-productivity",
    "agent_monitor": "agent-monitor",
    "user_activity": "user-activity",
    "lead_validation": "lead-validation",
    "lead_post_validation": "lead-post-validation",
}

# Every section a token may be granted, in table order. A plain constant of the names
# above, so the seed loader and the CLI read it without importing marshmallow.
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(RESOURCES.values()))


@cache
def action_table() -> dict[str, Action]:
    """ "resource/action" -> its Action, in table order (each resource's own order)."""
    table: dict[str, Action] = {}
    for module_name, section in RESOURCES.items():
        module = importlib.import_module(f"mockvoso.actions.{module_name}")
        for action in module.ACTIONS:
            if action.name in table:
                raise ValueError(f"action {action.name} declared twice")
            table[action.name] = action.in_resource(section, module.TAG)
    return table


__all__ = ["RESOURCES", "SECTIONS", "Action", "action_table"]
