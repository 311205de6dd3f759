"""campaigns/search and campaigns/status: schemas, views and declarations."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from mockvoso.actions.action import Action
from mockvoso.actions.lists import YN
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import ConvosoBool, WholeNumber, about
from mockvoso.schemas.replies import Ok, Reply, integer, nested, string, success
from mockvoso.store import OfficeStore

TAG = "Campaigns"  # the contract's group for this resource

# --------------------------------------------------------------------------- input


class CampaignSearchArgs(ArgsSchema):
    """campaigns/search takes only the token; clients' limit/offset are ignored."""


class CampaignStatusArgs(ArgsSchema):
    campaign_id = WholeNumber(
        metadata=about("The campaign (required; unknown or missing is 6004).", 502)
    )
    # 1/0 per one SDK, true/false per another: both accepted.
    status = ConvosoBool(
        metadata=about(
            "`1`/`true` activates (answered as `Y` by campaigns/search), `0`/`false` pauses\n"
            "(`N`). Required: missing is error 6010.",
            "1",
        )
    )


# --------------------------------------------------------------------------- output


class PhpDateTime(Reply):
    date = string(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}$")
    timezone_type = fields.Constant(3, required=True)
    timezone = string()


PhpDateTime.OPENAPI = {
    "description": "A PHP `DateTime` serialised by `json_encode`, which is what Convoso sends."
}


class Campaign(Reply):
    id = integer()
    name = string()
    status = YN()
    last_call_date = fields.Nested(PhpDateTime, required=True, allow_none=True)


class CampaignSearchResult(Reply):
    success = success()
    data = nested(Campaign, many=True)


# --------------------------------------------------------------------------- views


def campaigns_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    return {"success": True, "data": store.search_campaigns()}


def campaigns_status(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    status = args.get("status")
    store.set_campaign_status(
        args.get("campaign_id"), None if status is None else ("Y" if status else "N")
    )
    return {"success": True}


# --------------------------------------------------------------------------- declarations

ACTIONS = (
    Action(
        "campaigns/search",
        view=campaigns_search,
        args=CampaignSearchArgs,
        result=CampaignSearchResult,
        summary="List campaigns",
        description="""\
Every campaign of the office, ascending id. Takes no parameter but the token
(`limit`/`offset`, which some clients send, are ignored).

**Convoso quirk:** `data` is a **bare array**, and `last_call_date` is a serialised PHP
`DateTime` object — `{"date": "2025-12-31 17:04:09.000000", "timezone_type": 3,
"timezone": "America/Los_Angeles"}` — or null when the campaign was never dialled.
""",
    ),
    Action(
        "campaigns/status",
        view=campaigns_status,
        args=CampaignStatusArgs,
        result=Ok,
        summary="Activate or pause a campaign",
        description="Sets a campaign active (`status=1`/`true`) or paused (`0`/`false`).\n",
        errors=(6004, 6010),
    ),
)
