"""The control plane's routes as the contract declares them: one row per path and method."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockvoso.control import schemas as s

if TYPE_CHECKING:
    from marshmallow import Schema


@dataclass(frozen=True)
class Answer:
    """One response: its prose and JSON body schema (None: no body), or one of several
    schemas (`one_of`), or a body that is not JSON (`content`: media type → schema, written
    out), and its headers (written out)."""

    description: str
    schema: type[Schema] | None = None
    one_of: tuple[type[Schema], ...] = ()
    content: dict[str, Any] | None = None
    headers: dict[str, Any] | None = None


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
    # One schema, or several the body may be one of (oneOf).
    body: type[Schema] | tuple[type[Schema], ...] | None = None
    body_required: bool = True
    body_description: str = "A JSON object, read whatever the Content-Type says."
    query: type[Schema] | None = None
    path_params: type[Schema] | None = None
    admin: bool = True
    tags: tuple[str, ...] = field(default=("Control plane",))
    # Other media types the body may come as (media type → schema, written out).
    body_content: dict[str, Any] | None = None
    # Parameters marshmallow cannot declare (a free-form set of filters), written out.
    extra_parameters: tuple[dict[str, Any], ...] = ()


# GET /_mockvoso/snapshot?format=jsonl answers the compact stream.
_NDJSON_ANSWER = {
    "application/x-ndjson": {
        "schema": {"type": "string", "description": "The compact stream (JSON lines)."}
    }
}

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
            "404": Answer("No such office.", s.ControlError),
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
        "The whole data state as one JSON document (`format=json`, the default), or as the\n"
        "compact stream (`format=jsonl`): JSON lines, a header, one line per small collection,\n"
        "one line per chunk of lead and call-log rows, and an end line with the line count and\n"
        "a sha256 of the lines before it. The stream is what `--state-file` holds; it is\n"
        "written from copies of the states, so a large office is never one document in memory.\n",
        {
            "200": Answer("The snapshot.", s.Snapshot, content=_NDJSON_ANSWER),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        query=s.SnapshotQuery,
    ),
    ControlRoute(
        "/snapshot",
        "post",
        "controlSnapshotRestore",
        "Restore a snapshot, or save the state file",
        "Restores a document from GET /_mockvoso/snapshot exactly: every office in it, or none\n"
        "when one is invalid. Not subject to the /v1 body limit. With `Content-Type:\n"
        "application/x-ndjson` the body is the compact stream (`?format=jsonl`), read line by\n"
        "line; a stream of another mockvoso version, damaged (its checksum) or truncated is\n"
        'refused and nothing is restored. The body `{"save": true}` instead writes the state\n'
        "file (`--state-file`) now, atomically.\n",
        {
            "200": Answer("Restored, or saved.", one_of=(s.SnapshotRestored, s.SnapshotSaved)),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
            "409": Answer('`{"save": true}` but the server has no state file.', s.ControlError),
            "500": Answer(
                "The state file could not be written (the previous one is intact).",
                s.ControlError,
            ),
        },
        body=(s.Snapshot, s.SnapshotSave),
        body_description=(
            "A JSON object, read whatever the Content-Type says (but application/x-ndjson)."
        ),
        body_content={
            "application/x-ndjson": {
                "schema": {
                    "type": "string",
                    "description": (
                        "The compact stream from `GET /_mockvoso/snapshot?format=jsonl`."
                    ),
                }
            }
        },
    ),
    ControlRoute(
        "/clock",
        "get",
        "controlClockGet",
        "Read the virtual clock",
        'The mock\'s one "now": every timestamp it writes (inserts, updates, callback stages,\n'
        "webhook `sent_at`) reads it. It runs in real time from its anchor (`--clock`, else the\n"
        "start time) unless frozen. Fault latency, hangs and the rate limiter keep real time.\n",
        {"200": Answer("The clock.", s.Clock), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/clock",
        "post",
        "controlClockMove",
        "Set, advance or freeze the virtual clock",
        "Any of `set` (jump to a time), `advance` (seconds forward) and `freeze` (stop or restart\n"
        "it), applied in that order; all are checked before the clock moves. Moving it backwards\n"
        "is refused (400). `POST /_mockvoso/reset` puts it back to its anchor.\n",
        {
            "200": Answer("The clock after the move.", s.Clock),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.ClockMove,
        body_required=False,
    ),
    ControlRoute(
        "/simulate",
        "post",
        "controlSimulate",
        "Simulate dialer calls",
        "The simulated dialer makes `calls` calls for an office, one after another from now, and\n"
        "the clock advances by their durations. Active campaigns dial the leads of their active\n"
        "lists, fewest calls first, skipping numbers on DNC (office-wide or the campaign's) and\n"
        "leads in a final status. Each call writes a call-log row, a recording when answered,\n"
        "updates the lead (status, called_count, last_called), lists the number on DNC for a\n"
        "`dnc` disposition, sets a callback for a `callback` one, and fires `call.completed`.\n"
        "The same seed and the same sequence of requests give the same calls.\n",
        {
            "200": Answer("What the calls did.", s.SimulateResult),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.SimulateInput,
        body_required=False,
    ),
    ControlRoute(
        "/webhooks",
        "get",
        "controlWebhooksList",
        "List Convoso Connect receivers",
        "Every registered receiver.",
        {"200": Answer("Every registered receiver.", s.WebhookList), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/webhooks",
        "post",
        "controlWebhooksAdd",
        "Register a Convoso Connect receiver",
        "A receiver the way a Convoso Connect entry is configured: the URL posted to, the\n"
        "events that fire it, RAW (`form`) or `json`, an adaptor mapping (`fields`: sent name →\n"
        "catalogue field, `custom.<name>` for a lead's own custom field) with `defaults` for\n"
        "empty values, headers, a query string appended to the URL, retries, a timeout, and\n"
        "delivery faults. Only `url` is required.\n",
        {
            "201": Answer("Registered.", s.WebhookCreated),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.WebhookInput,
    ),
    ControlRoute(
        "/webhooks",
        "delete",
        "controlWebhooksClear",
        "Delete every receiver",
        "Removes every receiver and drops their pending deliveries.",
        {"200": Answer("None left.", s.WebhookList), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/webhooks/{webhook_id}",
        "delete",
        "controlWebhooksRemove",
        "Delete one receiver",
        "Its pending deliveries are dropped.",
        {
            "200": Answer("Deleted.", s.WebhookDeleted),
            "401": UNAUTHORIZED,
            "404": Answer("No such receiver.", s.ControlError),
        },
        path_params=s.WebhookPath,
    ),
    ControlRoute(
        "/webhooks/deliveries",
        "get",
        "controlWebhooksDeliveries",
        "The delivery journal",
        "Every delivery, oldest first, bounded like the request journal.",
        {"200": Answer("The deliveries.", s.DeliveryList), "401": UNAUTHORIZED},
        query=s.DeliveryQuery,
    ),
    ControlRoute(
        "/webhooks/flush",
        "post",
        "controlWebhooksFlush",
        "Wait until no delivery is pending",
        "Blocks until every queued delivery has been sent (or dropped, or has failed), at most\n"
        "`timeout` seconds (default 10), and answers how many are still pending: a test asserts\n"
        "on deliveries without sleeping.\n",
        {
            "200": Answer("Pending deliveries left.", s.FlushResult),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
        },
        body=s.FlushInput,
        body_required=False,
    ),
    ControlRoute(
        "/webhooks/received",
        "get",
        "controlWebhooksReceived",
        "What POST /convoso-webhook received",
        "The posts the local receiver (`POST /convoso-webhook`) got, oldest first (bounded).",
        {"200": Answer("The posts, oldest first (bounded).", s.ReceivedList), "401": UNAUTHORIZED},
    ),
    ControlRoute(
        "/offices/{office}/data",
        "get",
        "controlDataCounts",
        "How many records an office holds",
        "The number of leads, lists, campaigns, call-log rows and recordings of one office.",
        {
            "200": Answer("The counts.", s.DataCounts),
            "401": UNAUTHORIZED,
            "404": Answer("No such office.", s.ControlError),
        },
        path_params=s.DataOfficePath,
        tags=("Dashboard",),
    ),
    ControlRoute(
        "/offices/{office}/data/{resource}",
        "get",
        "controlDataSearch",
        "Browse an office's data",
        "One page of a resource, read-only, filtered by the same code as its `/v1` search\n"
        "action (`leads` → leads/search, `lists` → lists/search, `campaigns` → campaigns/search,\n"
        "`log` → log/retrieve, `recordings` → users/recordings, every agent of the office unless\n"
        "`user` is given): the same filter names and meanings. Needs no `auth_token`, is never\n"
        "faulted, rate-limited or journalled. A filter the action refuses answers 400 naming the\n"
        "field.\n",
        {
            "200": Answer(
                "The page: `entries` are the records exactly as the resource's `/v1` action\n"
                "answers them, `total` how many match, `filters` the filters applied.\n",
                one_of=tuple(s.DATA_PAGES.values()),
            ),
            "400": BAD_REQUEST,
            "401": UNAUTHORIZED,
            "404": Answer("No such office or resource (`field` says which).", s.ControlError),
        },
        path_params=s.DataPath,
        query=s.DataQuery,
        tags=("Dashboard",),
        extra_parameters=(
            {
                "name": "filters",
                "in": "query",
                "description": (
                    "Any filter parameter of the resource's `/v1` search action, e.g.\n"
                    "`list_id=2701`, `status=SALE`, a custom field by name. An empty value means\n"
                    "not supplied. (Not a parameter of its own: its keys are sent as query\n"
                    "parameters.)\n"
                ),
                "style": "form",
                "explode": True,
                "schema": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        ),
    ),
    ControlRoute(
        "/ui",
        "get",
        "dashboardPage",
        "The browser dashboard",
        "Offices and tokens, a data browser, the live request journal with a chart, fault rules,\n"
        "the rate limit, reset and snapshots. Every asset is served by mockvoso itself: it works\n"
        "offline. The page itself needs no admin token; with `--admin-token` it asks for it.\n",
        {"200": Answer("The HTML page.", content={"text/html": {"schema": {"type": "string"}}})},
        admin=False,
        tags=("Dashboard",),
    ),
    ControlRoute(
        "/ui/static/{asset}",
        "get",
        "dashboardAsset",
        "A static asset of the dashboard",
        "Its script and stylesheet, and the vendored uPlot chart library (MIT).",
        {
            "200": Answer(
                "The file.",
                content={
                    "text/css": {"schema": {"type": "string"}},
                    "text/javascript": {"schema": {"type": "string"}},
                },
            ),
            "304": Answer("Not modified since the copy the client holds."),
            "404": Answer("No such asset.", s.ControlError),
        },
        path_params=s.DashboardAsset,
        admin=False,
        tags=("Dashboard",),
    ),
)
