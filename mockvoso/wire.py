"""Names the server, its clients and users' tests agree on: headers, prefixes, boolean words."""

# Standard library only, and nothing imported: the control client
# (mockvoso.testing.client) reads these without Flask or marshmallow installed.

from __future__ import annotations

# A /v1 request may carry it to inject a fault; every injected answer carries it back
# with the id of the rule that decided it.
FAULT_HEADER = "X-Mockvoso-Fault"
# With --admin-token, every control route but health needs it.
ADMIN_HEADER = "X-Mockvoso-Admin-Token"
CONTROL_PREFIX = "/_mockvoso"

# How Convoso clients (and environment variables, and seed files) spell a boolean,
# compared lower-cased: 1/0, true/false, yes/no, Y/N, on/off.
TRUE_WORDS: frozenset[str] = frozenset({"1", "true", "yes", "y", "on"})
FALSE_WORDS: frozenset[str] = frozenset({"0", "false", "no", "n", "off"})


def endpoint_name(value: str) -> str:
    """The action name a path or a user's spelling of it means: `/v1/leads/search`,
    `v1/Leads/Search/` and `leads/search` all name `leads/search` (fault rules, the
    journal filter and the pipeline all key on this name)."""
    text = value.strip().strip("/").lower()
    return text[3:] if text.startswith("v1/") else text


__all__ = [
    "ADMIN_HEADER",
    "CONTROL_PREFIX",
    "FALSE_WORDS",
    "FAULT_HEADER",
    "TRUE_WORDS",
    "endpoint_name",
]
