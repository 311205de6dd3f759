"""Views of campaigns/search and campaigns/status."""

from __future__ import annotations

from typing import Any

from mockvoso.api.pipeline import action
from mockvoso.schemas.common import load_args
from mockvoso.schemas.lists import CampaignSearchArgs, CampaignStatusArgs
from mockvoso.store import OfficeStore

_search_args = CampaignSearchArgs()
_status_args = CampaignStatusArgs()


@action("campaigns/search")
def campaigns_search(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    load_args(_search_args, {})  # takes only the token; clients' limit/offset are ignored
    return {"success": True, "data": store.search_campaigns()}


@action("campaigns/status")
def campaigns_status(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_status_args, params)
    status = args.get("status")
    store.set_campaign_status(
        args.get("campaign_id"), None if status is None else ("Y" if status else "N")
    )
    return {"success": True}
