"""Deleted leads: out of leads/search, except by its deleted_at filters (and archived_at)."""

from __future__ import annotations

from typing import Any

from mockvoso.store.base import StoreBase
from mockvoso.store.leads import (
    LEAD_DATE_FILTERS,
    LEAD_TEXT_FILTERS,
    _custom_predicate,
    _date_predicate,
    _text_predicate,
)
from mockvoso.store.state import LEAD_INDEXED, LEAD_POS, lead_key

# leads/search filters that search the deleted or archived leads instead of the live
# ones: (parameter, table, stamp key, bound). Nothing archives a lead in mockvoso (no
# API does; Convoso archives by account settings), so the archived table is always
# empty and is no part of the office state.
GONE_FILTERS: tuple[tuple[str, str, str, str], ...] = (
    ("deleted_at_start", "deleted_leads", "deleted_at", "start"),
    ("deleted_at_end", "deleted_leads", "deleted_at", "end"),
    ("archived_at_start", "archived", "archived_at", "start"),
    ("archived_at_end", "archived", "archived_at", "end"),
)
GONE_PARAMS = frozenset(param for param, *_ in GONE_FILTERS)


class LeadHistoryMixin(StoreBase):
    """Deleted (and archived) leads of OfficeStore: what leads/delete leaves behind."""

    def _bury_lead(self, lead_id: int, lead: tuple[Any, ...], custom: dict[str, str]) -> None:
        """Keep a deleted lead (with its custom fields) and when it was deleted."""
        self.state.deleted_leads[lead_id] = {
            "lead": lead,
            "custom": dict(custom),
            "deleted_at": self.now_text(),
        }

    def search_gone_leads(
        self, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """leads/search with a deleted_at or archived_at filter: (total, page) of those
        leads only, ascending id, every other filter applied as on live leads."""
        with self.lock:
            tables = {table for param, table, _s, _b in GONE_FILTERS if param in filters}
            checks: list[Any] = []
            for param, _table, stamp, bound in GONE_FILTERS:
                if param in filters:
                    checks.append(_stamp_check(stamp, filters[param], bound))
            predicates = self._gone_predicates(filters)
            matched: list[tuple[int, dict[str, Any]]] = []
            # A lead is either deleted or archived: both kinds of filter find nothing.
            table: dict[int, dict[str, Any]] = (
                self.state.deleted_leads if tables == {"deleted_leads"} else {}
            )
            for lead_id in sorted(table):
                gone = table[lead_id]
                if all(check(gone) for check in checks) and all(
                    p(gone["lead"], gone["custom"]) for p in predicates
                ):
                    matched.append((lead_id, gone))
            page = matched[offset : offset + limit] if offset < len(matched) else []
            return len(matched), [
                self.lead_row_out(gone["lead"], gone["custom"]) for _, gone in page
            ]

    def _gone_predicates(self, filters: dict[str, Any]) -> list[Any]:
        predicates: list[Any] = []
        if "lead_id" in filters:
            ids = set(filters["lead_id"])
            predicates.append(lambda lead, _custom: lead[0] in ids)
        for name in LEAD_INDEXED:
            if name in filters:
                values = filters[name]
                if isinstance(values, str):
                    values = [values]
                keys = {lead_key(name, v) for v in values}
                predicates.append(_key_predicate(name, keys))
        for name in LEAD_TEXT_FILTERS:
            if name in filters:
                predicates.append(_text_predicate(LEAD_POS[name], filters[name]))
        for param, field_name, bound in LEAD_DATE_FILTERS:
            if param in filters:
                predicates.append(_date_predicate(LEAD_POS[field_name], filters[param], bound))
        for key, value in filters.get("custom", {}).items():
            if key in self.state.custom_keys:  # as on live leads: unknown keys are ignored
                predicates.append(_custom_predicate(key, value))
        return predicates


def _stamp_check(stamp: str, value: str, bound: str) -> Any:
    if bound == "start":
        return lambda gone: gone[stamp] >= value
    return lambda gone: gone[stamp] <= value


def _key_predicate(name: str, keys: set[Any]) -> Any:
    pos = LEAD_POS[name]
    return lambda lead, _custom: lead_key(name, lead[pos]) in keys
