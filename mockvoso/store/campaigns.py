"""Campaigns: search them, activate or pause one."""

from __future__ import annotations

from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.store.base import StoreBase


class CampaignsMixin(StoreBase):
    """The campaigns section of OfficeStore."""

    def search_campaigns(self) -> list[dict[str, Any]]:
        with self.lock:
            return [self.campaign_out(cid) for cid in sorted(self.state.campaigns)]

    def campaign_out(self, campaign_id: int) -> dict[str, Any]:
        row = self.state.campaigns[campaign_id]
        last = row.get("last_call_date")
        return {
            "id": row["id"],
            "name": row["name"],
            "status": row["status"],
            # PHP's DateTime serialised as JSON, which is what Convoso sends; the date is
            # stored in the office's zone, so that is the zone it names.
            "last_call_date": (
                {"date": f"{last}.000000", "timezone_type": 3, "timezone": self.timezone}
                if last
                else None
            ),
        }

    def set_campaign_status(self, campaign_id: int | None, status: str | None) -> None:
        with self.lock:
            if campaign_id is None or campaign_id not in self.state.campaigns:
                raise ConvosoError(6004)
            if status is None:
                raise ConvosoError(6010)
            row = dict(self.state.campaigns[campaign_id])
            row["status"] = status
            self.state.campaigns[campaign_id] = row
