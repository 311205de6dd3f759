"""Call-log writes: log/update's extra fields and revenue/update's revenue, in a side table."""

from __future__ import annotations

from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.store.base import StoreBase


class CallLogWritesMixin(StoreBase):
    """log/update and revenue/update of OfficeStore.

    Seeded call-log rows are immutable tuples shared with the seed; what these actions
    write goes to state.log_extra (call-log id -> values), which log/retrieve merges.
    """

    def update_call_log(self, call_log_id: int | None, values: dict[str, str]) -> None:
        """log/update: extra_field_01 / extra_field_02 of a row (at least one)."""
        with self.lock:
            self._check_call_log(call_log_id)
            if not values:
                raise ConvosoError(6035)
            self._write_log_extra(call_log_id, values)

    def update_revenue(self, call_log_id: int | None, values: dict[str, str]) -> int:
        """revenue/update: revenue and/or return of a row (at least one)."""
        with self.lock:
            self._check_call_log(call_log_id)
            if not values:
                raise ConvosoError(6036)
            self._write_log_extra(call_log_id, values)
            return int(call_log_id or 0)

    def call_log_extra(self, call_log_id: int) -> dict[str, str]:
        with self.lock:
            return dict(self.state.log_extra.get(call_log_id, {}))

    def _check_call_log(self, call_log_id: int | None) -> None:
        if call_log_id is None:
            raise ConvosoError(6032)
        if call_log_id not in self.state.call_logs:
            raise ConvosoError(6033)

    def _write_log_extra(self, call_log_id: Any, values: dict[str, str]) -> None:
        merged = dict(self.state.log_extra.get(call_log_id, {}))
        merged.update(values)
        self.state.log_extra[call_log_id] = merged  # a new dict: copies share the old one
