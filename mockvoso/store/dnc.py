"""DNC: the office-wide and per-campaign do-not-call lists, and what leads do with them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.records import OFFICE_WIDE
from mockvoso.store.base import StoreBase, uid
from mockvoso.store.index import SortedIndex
from mockvoso.store.phone_lists import (
    drop_entry,
    find_entry,
    matching_ids,
    put_entry,
)
from mockvoso.store.state import LEAD_POS


@dataclass(frozen=True)
class ListKind:
    """Where one phone list lives in OfficeState: entries, phone index, next id."""

    entries: str
    by_phone: str
    next_id: str


DNC = ListKind("dnc", "dnc_by_phone", "next_dnc_id")
SMS_OPT_OUT = ListKind("sms_opt_outs", "sms_by_phone", "next_sms_opt_out_id")


class PhoneListsBase(StoreBase):
    """Operations both phone lists share; each raises the code its DNC page documents
    (the SMS pages use the same codes) and the action words the text."""

    def _pl(self, kind: ListKind) -> tuple[dict[int, dict[str, Any]], SortedIndex]:
        return getattr(self.state, kind.entries), getattr(self.state, kind.by_phone)

    def _pl_insert(
        self, kind: ListKind, phone: str, code: str, campaign_id: int, reason: str, purpose: str
    ) -> int:
        with self.lock:
            if campaign_id != OFFICE_WIDE and campaign_id not in self.state.campaigns:
                raise ConvosoError(6006)
            entries, by_phone = self._pl(kind)
            if find_entry(entries, by_phone, phone, code, campaign_id) is not None:
                raise ConvosoError(6008)
            return self._pl_add(kind, phone, code, campaign_id, reason, purpose)

    def _pl_add(
        self, kind: ListKind, phone: str, code: str, campaign_id: int, reason: str, purpose: str
    ) -> int:
        """A new entry, inserted now (the caller holds the lock and has checked it)."""
        entries, by_phone = self._pl(kind)
        entry_id = getattr(self.state, kind.next_id)
        setattr(self.state, kind.next_id, entry_id + 1)
        entry = {
            "id": entry_id,
            "phone_number": phone,
            "phone_code": code,
            "campaign_id": campaign_id,
            "reason": reason,
            "purpose": purpose,
            "insert_date": self.now_text(),
        }
        put_entry(entries, by_phone, entry)
        return entry_id

    def _pl_update(self, kind: ListKind, entry_id: int | None, changes: dict[str, Any]) -> int:
        """Change an entry's given fields; its (phone, code, campaign) must stay unique."""
        with self.lock:
            entries, by_phone = self._pl(kind)
            if entry_id is None or entry_id not in entries:
                raise ConvosoError(6056)
            campaign_id = changes.get("campaign_id")
            if campaign_id not in (None, OFFICE_WIDE) and campaign_id not in self.state.campaigns:
                raise ConvosoError(6004)
            entry = {**entries[entry_id], **changes}
            other = find_entry(
                entries, by_phone, entry["phone_number"], entry["phone_code"], entry["campaign_id"]
            )
            if other is not None and other != entry_id:
                raise ConvosoError(6059)
            put_entry(entries, by_phone, entry)
            return entry_id

    def _pl_search(
        self, kind: ListKind, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        with self.lock:
            campaign_id = filters.get("campaign_id")
            if campaign_id not in (None, OFFICE_WIDE) and campaign_id not in self.state.campaigns:
                raise ConvosoError(6006)
            entries, by_phone = self._pl(kind)
            ids = matching_ids(entries, by_phone, filters)
            page = ids[offset : offset + limit] if offset < len(ids) else []
            return len(ids), [self._pl_row(entries[entry_id]) for entry_id in page]

    def _pl_row(self, entry: dict[str, Any]) -> dict[str, str]:
        """An entry as the searches answer it: every value a string."""
        campaign = self.state.campaigns.get(entry["campaign_id"])
        return {
            "id": str(entry["id"]),
            "phone_number": entry["phone_number"],
            "campaign_id": str(entry["campaign_id"]),
            "insert_date": entry["insert_date"],
            "phone_code": entry["phone_code"],
            # Office-wide rows name no campaign (the SMS fixture's empty strings).
            # The same uid leads/search answers for the campaign.
            "campaign_uid": uid(self.acronym, "campaign", str(campaign["id"])) if campaign else "",
            "campaign_name": campaign["name"] if campaign else "",
            "campaign_type": "Normal" if campaign else "",
            "purpose": entry["purpose"],
            "reason": entry["reason"],
        }


class DncMixin(PhoneListsBase):
    """The dnc section of OfficeStore."""

    def insert_dnc(self, phone: str, code: str, campaign_id: int, reason: str, purpose: str) -> int:
        return self._pl_insert(DNC, phone, code, campaign_id, reason, purpose)

    def update_dnc(self, entry_id: int | None, changes: dict[str, Any]) -> int:
        return self._pl_update(DNC, entry_id, changes)

    def search_dnc(
        self, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        return self._pl_search(DNC, filters, offset, limit)

    def delete_dnc(self, phone: str, code: str, campaign_id: int, lead_status: str | None) -> None:
        """dnc/delete: the entry goes; with lead_status, the number's leads (on the
        campaign's lists, or anywhere for the office-wide list) get that status."""
        with self.lock:
            status = None
            if lead_status is not None:
                status = self.state.statuses.get(lead_status.upper())
                if status is None:
                    raise ConvosoError(6004)
            entry_id = find_entry(self.state.dnc, self.state.dnc_by_phone, phone, code, campaign_id)
            if entry_id is None:
                raise ConvosoError(6003)
            drop_entry(self.state.dnc, self.state.dnc_by_phone, entry_id)
            if status is not None:
                self._set_number_status(phone, campaign_id, status["status"])

    def dnc_listed(self, phone: str, code: str, campaign_id: int) -> bool:
        """Is the number on the office-wide list or on this campaign's list?"""
        with self.lock:
            for entry_id in self.state.dnc_by_phone.get(phone):
                entry = self.state.dnc[entry_id]
                if entry["phone_code"] == code and entry["campaign_id"] in (
                    OFFICE_WIDE,
                    campaign_id,
                ):
                    return True
            return False

    def _lead_status_set(self, lead_id: int) -> None:
        """A lead was given a status: one flagged dnc=Y lists its number on its campaign's
        DNC list (reason DNC), as a disposition does in Convoso. Caller holds the lock."""
        lead = self.state.leads[lead_id]
        status = self.state.statuses.get((lead[LEAD_POS["status"]] or "").upper())
        if status is None or status["dnc"] != "Y":
            return
        list_row = self.state.lists.get(int(lead[LEAD_POS["list_id"]] or 0))
        if list_row is None:
            return
        phone, code = lead[LEAD_POS["phone_number"]], lead[LEAD_POS["phone_code"]] or "1"
        campaign_id = list_row["campaign_id"]
        if find_entry(self.state.dnc, self.state.dnc_by_phone, phone, code, campaign_id) is None:
            self._pl_add(DNC, phone, code, campaign_id, "DNC", "")

    def _set_number_status(self, phone: str, campaign_id: int, status: str) -> None:
        """Every lead with this number (on the campaign's lists unless office-wide) gets
        the status; written directly, so a DNC-flagged status does not list it again."""
        now = self.now_text()
        status_pos, modified_pos = LEAD_POS["status"], LEAD_POS["modified_at"]
        for lead_id in list(self.state.lead_index["phone_number"].get(phone)):
            old = self.state.leads[lead_id]
            if campaign_id != OFFICE_WIDE:
                list_row = self.state.lists.get(int(old[LEAD_POS["list_id"]] or 0))
                if list_row is None or list_row["campaign_id"] != campaign_id:
                    continue
            row = list(old)
            row[status_pos], row[modified_pos] = status, now
            self._put_lead(lead_id, tuple(row), old)
            self._emit("lead.updated", partial(self.lead_event, lead_id))
