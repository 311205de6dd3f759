"""Lead criteria: lead-validation/search (a verdict), lead-post-validation/insert (then insert)."""

from __future__ import annotations

import calendar
import time
from typing import TYPE_CHECKING, Any

from mockvoso.errors import ConvosoError
from mockvoso.store.base import StoreBase
from mockvoso.store.leads import normalize_phone
from mockvoso.store.state import LEAD_POS

# Why a lead is Denied: lead-post-validation/insert's `error_description` texts, taken
# from the examples in thornebridge/convoso-js docs/lead-post.md.
DENIED_KEY = "Invalid criteria key"
DENIED_PHONE = "Invalid phone number"
DENIED_CRITERIA = "Lead does not meet criteria"
DENIED_DNC = "Number in DNC list"
DENIED_AGE = "Lead does not meet age criteria"


def _epoch(text: str) -> int:
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


class LeadValidationMixin(StoreBase):
    """The lead-validation and lead-post-validation sections of OfficeStore."""

    def validate_lead(
        self, criteria_key: str, phone: str, state: str | None, postal_code: str | None
    ) -> str | None:
        """None when the lead is Accepted, else why it is Denied (an error_description).

        Help centre "Lead Validation": Accepted when the number meets the criteria and is
        either new to the account or its lead has reached the criteria's lead age;
        Denied when it fails the criteria or is on the DNC list. Nothing is written.
        """
        with self.lock:
            criteria = self.lead_criteria.get(criteria_key)
            if criteria is None:
                return DENIED_KEY
            try:
                digits = normalize_phone(phone)
            except ConvosoError:
                return DENIED_PHONE
            leads = self.state.lead_index["phone_number"].get(digits)
            # The newest lead with this number stands for it in the account.
            newest = self.state.leads[max(leads)] if leads else None
            if newest is not None:
                state = state or newest[LEAD_POS["state"]]
                postal_code = postal_code or newest[LEAD_POS["postal_code"]]
            if not _meets(criteria, digits, state, postal_code):
                return DENIED_CRITERIA
            if criteria["check_dnc"] and self._on_dnc(digits, criteria["list_id"]):
                return DENIED_DNC
            if newest is not None and criteria["min_lead_age_days"]:
                age = _epoch(self.now_text()) - _epoch(newest[LEAD_POS["created_at"]])
                if age < criteria["min_lead_age_days"] * 86400:
                    return DENIED_AGE
            return None

    def post_validated_lead(
        self, criteria_key: str, fields: dict[str, Any]
    ) -> tuple[int | None, str | None]:
        """(lead_id, None) when Accepted and inserted into the criteria's list, else
        (None, why). The check and the insert hold the lock together, so no other
        request changes the verdict in between; a bad field raises before any write."""
        with self.lock:
            denied = self.validate_lead(
                criteria_key,
                str(fields["phone_number"]),
                fields.get("state"),
                fields.get("postal_code"),
            )
            if denied is not None:
                return None, denied
            list_id = self.lead_criteria[criteria_key]["list_id"]
            return self.insert_lead({**fields, "list_id": list_id}, {}), None

    def _on_dnc(self, phone: str, list_id: int) -> bool:
        """Whether the number (code 1, as criteria are US-shaped) is on the office-wide DNC
        list or on the DNC list of the criteria list's campaign (store/dnc.py)."""
        row = self.state.lists.get(list_id)
        campaign_id = int(row["campaign_id"]) if row else 0
        return self.dnc_listed(phone, "1", campaign_id)

    if TYPE_CHECKING:  # a seam: insert_lead comes from LeadsMixin (leads.py)

        def insert_lead(self, fields: dict[str, Any], options: dict[str, Any]) -> int: ...


def _meets(
    criteria: dict[str, Any], phone: str, state: str | None, postal_code: str | None
) -> bool:
    """The criteria's state, postal-code and area-code rules (an empty rule passes)."""
    if criteria["states"] and (state or "").strip().upper() not in criteria["states"]:
        return False
    if criteria["postal_prefixes"] and not (postal_code or "").strip().startswith(
        tuple(criteria["postal_prefixes"])
    ):
        return False
    if criteria["area_codes"]:
        national = phone[1:] if len(phone) == 11 and phone.startswith("1") else phone
        if national[:3] not in criteria["area_codes"]:
            return False
    return True
