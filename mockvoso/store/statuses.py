"""Statuses (dispositions): search, insert and update; custom ones only are editable."""

from __future__ import annotations

from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.store.base import StoreBase
from mockvoso.store.phone_lists import STATUS_KEYS


class StatusesMixin(StoreBase):
    """The status section of OfficeStore."""

    def search_statuses(self, query: str | None) -> list[dict[str, Any]]:
        """Statuses whose code or name contains query (any case); all without one."""
        with self.lock:
            rows = list(self.state.statuses.values())
        if query:
            folded = query.casefold()
            rows = [
                row
                for row in rows
                if folded in row["status"].casefold() or folded in row["name"].casefold()
            ]
        return rows

    def insert_status(self, values: dict[str, str]) -> bool:
        """A new custom status; False (nothing changed) when the code exists already."""
        with self.lock:
            key = values["status"].upper()
            if key in self.state.statuses:
                return False
            self.state.statuses[key] = {
                name: values.get(name, "N" if name != "hex_color" else "") for name in STATUS_KEYS
            } | {"custom": "Y"}
            return True

    def update_status(self, code: str, changes: dict[str, str]) -> str:
        """Change a custom status's given fields; system ones answer 6069."""
        with self.lock:
            old = self.state.statuses.get(code.upper())
            if old is None or old["custom"] != "Y":
                raise ConvosoError(6069)
            self.state.statuses[code.upper()] = {**old, **changes}
            return str(old["status"])
