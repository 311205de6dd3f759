"""Lists: insert, update, delete and search an office's lists."""

from __future__ import annotations

from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.records import LIST_NAME_MIN
from mockvoso.store.base import StoreBase


class ListsMixin(StoreBase):
    """The lists section of OfficeStore."""

    def list_out(self, list_id: int) -> dict[str, Any]:
        row = self.state.lists[list_id]
        return {
            "id": row["id"],
            "name": row["name"],
            "status": row["status"],
            "campaign_id": row["campaign_id"],
            "last_called_at": row.get("last_called_at"),
        }

    def search_lists(
        self, ids: list[int] | None, campaign_id: int | None, status: str | None
    ) -> list[dict[str, Any]]:
        with self.lock:
            if ids is not None:
                if not any(list_id in self.state.lists for list_id in ids):
                    raise ConvosoError(6002)
                candidates = sorted(i for i in set(ids) if i in self.state.lists)
            else:
                candidates = sorted(self.state.lists)
            return [
                self.list_out(list_id)
                for list_id in candidates
                if (campaign_id is None or self.state.lists[list_id]["campaign_id"] == campaign_id)
                and (status is None or self.state.lists[list_id]["status"] == status)
            ]

    def insert_list(self, fields: dict[str, Any]) -> int:
        with self.lock:
            name = fields.get("name")
            if not name:
                raise ConvosoError(6003)
            self._check_list_name(name, None)
            campaign_id = fields.get("campaign_id")
            if campaign_id is None or campaign_id not in self.state.campaigns:
                raise ConvosoError(6004)
            list_id = self.state.next_list_id
            self.state.next_list_id = list_id + 1
            self.state.lists[list_id] = {
                "id": list_id,
                "name": name,
                "campaign_id": campaign_id,
                "description": fields.get("description") or "",
                "status": fields.get("status", "Y"),
                "last_called_at": None,
            }
            return list_id

    def update_list(self, list_id: int | None, fields: dict[str, Any]) -> int:
        with self.lock:
            if list_id is None or list_id not in self.state.lists:
                raise ConvosoError(6002)
            if "name" in fields:
                self._check_list_name(fields["name"], list_id)
            if "campaign_id" in fields and fields["campaign_id"] not in self.state.campaigns:
                raise ConvosoError(6004)
            row = dict(self.state.lists[list_id])
            row.update(fields)
            self.state.lists[list_id] = row
            return list_id

    def delete_list(self, list_id: int | None) -> None:
        """lists/delete: the list and every lead in it (with their call history)."""
        with self.lock:
            if list_id is None or list_id not in self.state.lists:
                raise ConvosoError(6002)
            for lead_id in list(self.state.lead_index["list_id"].get(str(list_id))):
                self._drop_lead(lead_id)
            del self.state.lists[list_id]

    def _check_list_name(self, name: str, own_id: int | None) -> None:
        if len(name) < LIST_NAME_MIN:
            raise ConvosoError(6046)
        folded = name.casefold()
        for list_id, row in self.state.lists.items():
            if list_id != own_id and row["name"].casefold() == folded:
                raise ConvosoError(6081)
