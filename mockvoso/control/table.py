"""The control plane's routes as the contract declares them: one row per path and method."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mockvoso.control import schemas as s

if TYPE_CHECKING:
    from marshmallow import Schema


@dataclass(frozen=True)
class Answer:
    """One response: its prose and body schema (None: no body)."""

    description: str
    schema: type[Schema] | None = None


# Shared responses (contract/shared.yaml) every admin route may give.
UNAUTHORIZED = "ControlUnauthorized"
BAD_REQUEST = "ControlBadRequest"


@dataclass(frozen=True)
class ControlRoute:
    """/_mockvoso<path> answering `method`, as the contract documents it.

    `responses` maps a status to an Answer or the name of a shared response. `query` and
    `path_params` are schemas whose fields are the route's parameters; `body` is the JSON
    request body's schema. `admin`: the route needs the admin token when one is set.
    """

    path: str
    method: str
    operation_id: str
    summary: str
    description: str
    responses: dict[str, Answer | str]
    body: type[Schema] | None = None
    body_required: bool = True
    body_description: str = "A JSON object, read whatever the Content-Type says."
    query: type[Schema] | None = None
    path_params: type[Schema] | None = None
    admin: bool = True
    tags: tuple[str, ...] = field(default=("Control plane",))


CONTROL_ROUTES: tuple[ControlRoute, ...] = (
    ControlRoute(
        "/health",
        "get",
        "controlHealth",
        "Health and readiness",
        "200 once the world is built. Never needs the admin token.",
        {"200": Answer("Ready.", s.Health)},
        admin=False,
    ),
    ControlRoute(
        "/offices",
        "get",
        "controlOffices",
        "Offices, tokens and agents",
        "Every office with its tokens (and the sections each opens) and its agents.",
        {"200": Answer("The offices.", s.Offices), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/reset",
        "post",
        "controlReset",
        "Reset to the seed",
        "Data back to the seed (a copy of the seeded state: milliseconds). Without `office`:\n"
        "run-time fault rules and the rate limit are removed (start-up ones come back), the\n"
        "journal is cleared and random draws restart. With `office`: only that office's data.\n",
        {
            "200": Answer("Reset.", s.ResetResult),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
            "404": Answer("No such office (or `office` is not a string).", s.ControlError),
        },
        body=s.ResetRequest,
        body_required=False,
        body_description=(
            "A JSON object, read whatever the Content-Type says. An empty body means no options.\n"
        ),
    ),
    ControlRoute(
        "/faults",
        "get",
        "controlFaultsList",
        "List fault rules",
        "The rules in the order they are checked, with their remaining `times`.",
        {"200": Answer("The rules.", s.FaultList), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/faults",
        "post",
        "controlFaultsAdd",
        "Add a fault rule",
        "Appends a rule. Injected answers carry `X-Mockvoso-Fault: <rule id>`. An invalid rule\n"
        "is a 400 naming the field.\n",
        {
            "201": Answer("The rule, with its id.", s.FaultCreated),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.FaultRuleInput,
    ),
    ControlRoute(
        "/faults",
        "delete",
        "controlFaultsClear",
        "Remove every fault rule",
        "Removes every rule, start-up ones too (a reset brings those back).",
        {"200": Answer("No rules left.", s.FaultsCleared), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/faults/{rule_id}",
        "delete",
        "controlFaultsRemove",
        "Remove one fault rule",
        "Removes the rule with this id.",
        {
            "200": Answer("Removed.", s.FaultDeleted),
            "401": UNAUTHORIZED,
            "404": Answer("No rule has this id (`field` is `id`).", s.ControlError),
        },
        path_params=s.FaultRulePath,
    ),
    ControlRoute(
        "/rate-limit",
        "get",
        "controlRateLimitGet",
        "The rate limit",
        "The limit in force, or null.",
        {"200": Answer("The limit.", s.RateLimitState), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/rate-limit",
        "put",
        "controlRateLimitSet",
        "Set the rate limit",
        "Replaces the limit; every bucket starts full. Over the limit /v1 answers 429 with\n"
        "`Retry-After`; while a limit is set every /v1 answer carries `X-RateLimit-Limit`,\n"
        "`-Remaining` and `-Reset`.\n",
        {
            "200": Answer("The new limit.", s.RateLimitState),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.RateLimitInput,
    ),
    ControlRoute(
        "/rate-limit",
        "delete",
        "controlRateLimitClear",
        "Remove the rate limit",
        "No limit any more (a reset brings back one given at start).",
        {"200": Answer("No limit.", s.RateLimitState), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/requests",
        "get",
        "controlRequestsList",
        "The request journal",
        "Every /v1 request (401s, 404s and injected faults too), oldest first, from a ring\n"
        "buffer of `--journal-size` entries.\n",
        {
            "200": Answer("The journal.", s.Journal),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        query=s.JournalQuery,
    ),
    ControlRoute(
        "/requests",
        "delete",
        "controlRequestsClear",
        "Clear the journal",
        "Empties the journal and its `dropped` counter.",
        {"200": Answer("Cleared.", s.Journal), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/snapshot",
        "get",
        "controlSnapshotGet",
        "Snapshot the data",
        "The whole data state as one JSON document.",
        {"200": Answer("The snapshot.", s.Snapshot), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/snapshot",
        "post",
        "controlSnapshotRestore",
        "Restore a snapshot",
        "Restores a document from GET /_mockvoso/snapshot exactly: every office in it, or none\n"
        "when one is invalid. Not subject to the /v1 body limit.\n",
        {
            "200": Answer("Restored.", s.SnapshotRestored),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.Snapshot,
    ),
)
