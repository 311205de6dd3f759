"""Callbacks: insert, update, delete and search, each callback's stage derived from the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from itertools import islice
from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.store.base import TIMESTAMP, StoreBase
from mockvoso.store.state import LEAD_POS, LOG_POS

# A callback past due for longer than this is MISSED rather than PASTDUE (our rule:
# Convoso documents both stages but not how they differ; see README).
MISSED_AFTER = timedelta(days=1)
STAGES: tuple[str, ...] = ("PENDING", "PASTDUE", "MISSED", "COMPLETED", "DISMISSED")
# How a stage reads in a row (the official example answers "Dismissed"), and its `class`.
STAGE_NAMES: dict[str, str] = {
    "PENDING": "Pending",
    "PASTDUE": "Past Due",
    "MISSED": "Missed",
    "COMPLETED": "Completed",
    "DISMISSED": "Dismissed",
}
# callback_time formats accepted, the official 12-hour one first (Convoso's help centre;
# walmat/convoso-sdk sends 24-hour times with seconds).
CALLBACK_TIME_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


def office_time(text: str, zone: tzinfo, office_zone: tzinfo = UTC) -> str:
    """A callback_time given in `zone` as "YYYY-MM-DD HH:MM:SS" in the office's zone (the
    zone every stored timestamp is written in).

    Raises ConvosoError 7237 when the text is in none of CALLBACK_TIME_FORMATS.
    """
    cleaned = " ".join(str(text).split())
    for fmt in CALLBACK_TIME_FORMATS:
        try:
            local = datetime.strptime(cleaned.upper() if "%p" in fmt else cleaned, fmt)
        except ValueError:
            continue
        moment = local.replace(tzinfo=zone).astimezone(office_zone).replace(tzinfo=None)
        return moment.strftime(TIMESTAMP)
    raise ConvosoError(7237)


def callback_stage(callback: dict[str, Any], now: str, missed_before: str) -> str:
    """COMPLETED and DISMISSED follow the callback's status; an ACTIVE callback is
    PENDING until it falls due, then PASTDUE, then MISSED a day after it fell due."""
    status = callback["status"]
    if status in ("COMPLETED", "DISMISSED"):
        return str(status)
    due = callback["callback_time"]
    if due > now:
        return "PENDING"
    return "MISSED" if due < missed_before else "PASTDUE"


class CallbacksMixin(StoreBase):
    """The callbacks section of OfficeStore."""

    # --- writes -----------------------------------------------------------------

    def insert_callback(self, fields: dict[str, Any]) -> int:
        """callbacks/insert: fields are loaded args; everything checked before writing."""
        with self.lock:
            required = ("lead_id", "recipient", "callback_time_zone", "callback_time")
            if any(fields.get(name) is None for name in required):
                raise ConvosoError(6023)
            lead_id = fields["lead_id"]
            if lead_id not in self.state.leads:
                raise ConvosoError(6001)
            user_id = self._callback_user(fields.get("user_id"))
            if fields["recipient"] == "USERONLY" and not user_id:
                raise ConvosoError(6023)  # a personal callback names its agent
            due = office_time(fields["callback_time"], fields["callback_time_zone"], self.zone)
            now = self.now_text()
            callback_id = self.state.next_callback_id
            self.state.next_callback_id = callback_id + 1
            calls = self.state.log_index["lead_id"].get(str(lead_id))
            self._put_callback(
                {
                    "id": callback_id,
                    "lead_id": lead_id,
                    "user_id": user_id,
                    "recipient": fields["recipient"],
                    "status": "ACTIVE",
                    "created_at": now,
                    "modified_at": now,
                    "callback_time": due,
                    "comments": fields.get("comments") or "",
                    "callback_seen": None,
                    # The call it was set on: the lead's latest call-log row, if any.
                    "context": self.state.call_logs[calls[-1]][LOG_POS["id"]] if calls else "0",
                }
            )
            return callback_id

    def update_callback(self, fields: dict[str, Any]) -> int:
        """callbacks/update: change what was sent; `status` dismisses the callback."""
        with self.lock:
            callback_id = fields.get("callback_id")
            if callback_id is None:
                raise ConvosoError(6023)
            old = self.state.callbacks.get(callback_id)
            if old is None:
                raise ConvosoError(6038)
            row = dict(old)
            if "user_id" in fields:
                row["user_id"] = self._callback_user(fields["user_id"])
            if "recipient" in fields:
                row["recipient"] = fields["recipient"]
            if row["recipient"] == "USERONLY" and not row["user_id"]:
                raise ConvosoError(6023)
            if "callback_time" in fields:
                if fields.get("callback_time_zone") is None:
                    raise ConvosoError(6023)  # a time means nothing without its zone
                row["callback_time"] = office_time(
                    fields["callback_time"], fields["callback_time_zone"], self.zone
                )
            if "comments" in fields:
                row["comments"] = fields["comments"]
            now = self.now_text()
            if fields.get("status") == "DISMISSED" and row["status"] != "DISMISSED":
                row["status"] = "DISMISSED"
                row["callback_seen"] = now
            row["modified_at"] = now
            self._put_callback(row, old)
            return int(callback_id)

    def delete_callback(self, callback_id: int | None) -> None:
        """callbacks/delete: the callback is gone (search no longer finds it)."""
        with self.lock:
            if callback_id is None:
                raise ConvosoError(6023)
            if callback_id not in self.state.callbacks:
                raise ConvosoError(6038)
            self._drop_callback(callback_id)

    # --- reads ------------------------------------------------------------------

    def callbacks_coming_due(self, before: datetime, after: datetime) -> list[dict[str, Any]]:
        """Active callbacks whose time lies in (before, after] (server-clock UTC instants):
        the ones a clock move made due. Each as a lead event record plus its callback keys."""
        start = before.replace(tzinfo=UTC).astimezone(self.zone).strftime(TIMESTAMP)
        end = after.replace(tzinfo=UTC).astimezone(self.zone).strftime(TIMESTAMP)
        with self.lock:
            due = [
                cb
                for cb in self.state.callbacks.values()
                if cb["status"] not in ("COMPLETED", "DISMISSED")
                and start < cb["callback_time"] <= end
                and cb["lead_id"] in self.state.leads
            ]
            out = []
            for cb in due:
                record = self.lead_event(cb["lead_id"])
                record.update(
                    callback_id=str(cb["id"]),
                    callback_time=cb["callback_time"],
                    callback_recipient=cb["recipient"],
                    callback_comments=cb["comments"],
                )
                out.append(record)
            return out

    def search_callbacks(
        self, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, page) of callbacks matching every filter, ascending id."""
        with self.lock:
            now = self.now_local()  # stored times are the office's local times
            now_text = now.strftime(TIMESTAMP)
            missed_before = (now - MISSED_AFTER).strftime(TIMESTAMP)
            candidates = self._callback_candidates(filters)
            checks = self._callback_checks(filters, now_text, missed_before)
            callbacks = self.state.callbacks
            if checks:
                candidates = [i for i in candidates if all(ok(callbacks[i]) for ok in checks)]
            # Without checks the page is a slice of the index (or of the id-ordered dict):
            # its cost follows the page, not the office.
            total = len(candidates)
            page = islice(candidates, offset, offset + limit) if offset < total else ()
            return total, [self._callback_out(callbacks[i], now_text, missed_before) for i in page]

    def _callback_candidates(self, filters: dict[str, Any]) -> Any:
        """Ids from the smallest key that applies: callback ids, lead index, user index."""
        state = self.state
        sources: list[list[int]] = []
        if "id" in filters:
            sources.append(sorted({int(v) for v in filters["id"]} & state.callbacks.keys()))
        for name, index in (("lead_id", state.cb_by_lead), ("user_id", state.cb_by_user)):
            if name in filters:
                values = filters[name]
                if len(values) == 1:
                    sources.append(list(index.get(values[0])))  # already ascending
                else:
                    sources.append(sorted({i for value in values for i in index.get(value)}))
        if not sources:
            return state.callbacks.keys()  # insertion order is ascending id order
        sources.sort(key=len)
        others = [set(source) for source in sources[1:]]
        return [i for i in sources[0] if all(i in other for other in others)]

    def _callback_checks(self, filters: dict[str, Any], now: str, missed_before: str) -> list[Any]:
        checks: list[Any] = []
        if "list_id" in filters:
            wanted = set(filters["list_id"])
            checks.append(lambda cb: self._callback_lead_value(cb, "list_id") in wanted)
        if "campaign_id" in filters:
            wanted_campaigns = set(filters["campaign_id"])
            checks.append(lambda cb: self._callback_campaign_id(cb) in wanted_campaigns)
        if "recipient" in filters:
            recipient = filters["recipient"]
            checks.append(lambda cb: cb["recipient"] == recipient)
        if "stage" in filters:
            stage = filters["stage"]
            checks.append(lambda cb: callback_stage(cb, now, missed_before) == stage)
        if "comments" in filters:  # a partial match, as the official page documents
            needle = filters["comments"].casefold()
            checks.append(lambda cb: needle in cb["comments"].casefold())
        if "start_date" in filters:
            start = filters["start_date"]
            checks.append(lambda cb: cb["callback_time"] >= start)
        if "end_date" in filters:
            end = filters["end_date"]
            checks.append(lambda cb: cb["callback_time"] <= end)
        return checks

    def _callback_lead_value(self, callback: dict[str, Any], name: str) -> str:
        lead = self.state.leads.get(callback["lead_id"])
        return (lead[LEAD_POS[name]] or "") if lead is not None else ""

    def _callback_campaign_id(self, callback: dict[str, Any]) -> str:
        list_id = self._callback_lead_value(callback, "list_id")
        row = self.state.lists.get(int(list_id)) if list_id else None
        return str(row["campaign_id"]) if row else ""

    def _callback_out(self, cb: dict[str, Any], now: str, missed_before: str) -> dict[str, Any]:
        """A callbacks/search row: every value a string (callback_seen null until seen)."""
        lead = self.state.leads.get(cb["lead_id"])
        list_id = (lead[LEAD_POS["list_id"]] or "") if lead is not None else ""
        list_row = self.state.lists.get(int(list_id)) if list_id else None
        campaign = self.state.campaigns.get(list_row["campaign_id"]) if list_row else None
        lead_status = (lead[LEAD_POS["status"]] or "") if lead is not None else ""
        status = self.statuses.get(lead_status.upper())
        user = self.users_by_id.get(cb["user_id"]) if cb["user_id"] else None
        stage = callback_stage(cb, now, missed_before)
        return {
            "id": str(cb["id"]),
            "lead_id": str(cb["lead_id"]),
            "list_id": list_id,
            "campaign_id": str(campaign["id"]) if campaign else "",
            "status": cb["status"],
            "created_at": cb["created_at"],
            "callback_time": cb["callback_time"],
            "modified_at": cb["modified_at"],
            "user": cb["user_id"],
            "recipient": cb["recipient"],
            "comments": cb["comments"],
            "context": cb["context"],
            "callback_seen": cb["callback_seen"],
            "stage": STAGE_NAMES[stage],
            "class": stage.lower(),
            "user_name": f"{user['first_name']} {user['last_name']}" if user else "",
            "directory_name": list_row["name"] if list_row else "",
            "campaign_name": campaign["name"] if campaign else "",
            "campaign_type": "OUTBOUND",
            "status_name": status["name"] if status else "",
            "phone_number": (lead[LEAD_POS["phone_number"]] or "") if lead is not None else "",
        }

    # --- helpers ----------------------------------------------------------------

    def _callback_user(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if str(user_id) not in self.users_by_id:
            raise ConvosoError(6006)
        return str(user_id)

    def _put_callback(self, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
        if old is not None and old["user_id"] != row["user_id"]:
            self.state.cb_by_user.remove(old["user_id"] or None, row["id"])
        if old is None or old["user_id"] != row["user_id"]:
            self.state.cb_by_user.add(row["user_id"] or None, row["id"])
        if old is None:
            self.state.cb_by_lead.add(str(row["lead_id"]), row["id"])
        self.state.callbacks[row["id"]] = row

    def _drop_callback(self, callback_id: int) -> None:
        row = self.state.callbacks.pop(callback_id)
        self.state.cb_by_lead.remove(str(row["lead_id"]), callback_id)
        self.state.cb_by_user.remove(row["user_id"] or None, callback_id)

    def _drop_lead_callbacks(self, lead_id: int) -> None:
        """A deleted lead takes its callbacks with it: none points at a missing lead."""
        for callback_id in list(self.state.cb_by_lead.get(str(lead_id))):
            self._drop_callback(callback_id)
