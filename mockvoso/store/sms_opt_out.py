"""SMS opt-out: a phone list like DNC's (same model and checks), kept apart from it."""

from __future__ import annotations

from typing import Any

from mockvoso.store.dnc import SMS_OPT_OUT, PhoneListsBase


class SmsOptOutMixin(PhoneListsBase):
    """The sms-opt-out section of OfficeStore."""

    def insert_sms_opt_out(
        self, phone: str, code: str, campaign_id: int, reason: str, purpose: str
    ) -> int:
        return self._pl_insert(SMS_OPT_OUT, phone, code, campaign_id, reason, purpose)

    def update_sms_opt_out(self, entry_id: int | None, changes: dict[str, Any]) -> int:
        return self._pl_update(SMS_OPT_OUT, entry_id, changes)

    def search_sms_opt_outs(
        self, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        total, rows = self._pl_search(SMS_OPT_OUT, filters, offset, limit)
        return total, [_sms_row(row) for row in rows]


def _sms_row(row: dict[str, str]) -> dict[str, str]:
    """The DNC row in the SMS search's own shape: no campaign_type, and `Purpose`
    capitalised (walmat/convoso-sdk's fixture, convoso-api-more.md §13.3)."""
    return {
        "id": row["id"],
        "phone_number": row["phone_number"],
        "campaign_id": row["campaign_id"],
        "reason": row["reason"],
        "Purpose": row["purpose"],
        "insert_date": row["insert_date"],
        "phone_code": row["phone_code"],
        "campaign_uid": row["campaign_uid"],
        "campaign_name": row["campaign_name"],
    }
