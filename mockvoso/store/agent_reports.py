"""Agent reports: performance from the call log, productivity and monitor from agent events."""

from __future__ import annotations

import base64
import calendar
import hashlib
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.records import AVAILABILITY
from mockvoso.store.base import TIMESTAMP, StoreBase
from mockvoso.store.perf import ROLLUP, PerfCell, PerfKey, call_perf
from mockvoso.store.state import LOG_POS

# The `browser` of an event: Convoso joins host and user agent with "----" (§9 example).
BROWSER = (
    "agent-dt.convoso.com ---- ---- agent-dt.convoso.com ---- Mozilla/5.0 (Windows NT 10.0; "
    "Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36"
)
CAMPAIGN_TYPE = "Normal"
_DATE_POS = LOG_POS["call_date"]
_LENGTH_POS = LOG_POS["call_length"]
_TYPE_POS = LOG_POS["call_type"]
_HOURS = [f"{hour:02d}" for hour in range(24)]


def hms(seconds: int) -> str:
    """Seconds as HH:MM:SS; hours go past 24 (and 99) over long ranges."""
    hours, rest = divmod(max(seconds, 0), 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0


def _uid(*parts: object) -> str:
    """A 32-character lower-case id that is the same for the same record in every process."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:32]


def _event_created_at(event: dict[str, Any]) -> str:
    return str(event["created_at"])


class AgentReportsMixin(StoreBase):
    """agent-performance, agent-productivity, agent-monitor and user-activity."""

    def _now_epoch(self) -> int:
        return calendar.timegm(self._now().timetuple())

    def _user_name(self, user_id: str) -> str:
        user = self.users_by_id.get(user_id)
        return f"{user['first_name']} {user['last_name']}" if user else ""

    def _events_between(self, start: str, end: str) -> list[dict[str, Any]]:
        events = self.state.agent_events
        lo = bisect_left(events, start, key=_event_created_at)
        hi = bisect_right(events, end, key=_event_created_at)
        return events[lo:hi]

    def _event_seconds(self, event: dict[str, Any], now: int) -> int:
        """How long the state lasted (so far, while it lasts)."""
        ends = event["ends"] if event["ends"] is not None else max(now, event["epoch"])
        return int(ends - event["epoch"])

    # --- agent-performance/search ---------------------------------------------------

    def search_agent_performance(
        self, start: str, end: str, filters: dict[str, list[str]]
    ) -> dict[str, dict[str, Any]]:
        """Per agent: call counts and talk/wrap from the call log, wait/pause from events."""
        with self.lock:
            users = set(filters["user_ids"]) if "user_ids" in filters else None
            if users is not None and not users & self.users_by_id.keys():
                raise ConvosoError(6031)
            wanted: list[set[str] | None] = [
                users,
                set(filters["campaign_ids"]) if "campaign_ids" in filters else None,
                set(filters["list_ids"]) if "list_ids" in filters else None,
                set(filters["queue_ids"]) if "queue_ids" in filters else None,
                {s.upper() for s in filters["status_ids"]} if "status_ids" in filters else None,
            ]
            checks = [(i, values) for i, values in enumerate(wanted) if values is not None]

            def matches(key: PerfKey) -> bool:
                for i, values in checks:
                    value = key[i]
                    if value is None or (value.upper() if i == 4 else value) not in values:
                        return False
                return True

            calls: dict[str, list[int]] = {}  # user -> [calls, talk, wrap, human, am]
            contact = {c for c, s in self.statuses.items() if s.get("contact") == "Y"}
            voicemail = {c for c, s in self.statuses.items() if s.get("voicemail") == "Y"}

            def count(key: PerfKey, cell: PerfCell) -> None:
                totals = calls.setdefault(key[0] or "", [0, 0, 0, 0, 0])
                totals[0] += cell[0]
                totals[1] += cell[1]
                totals[2] += cell[2]
                status = (key[4] or "").upper()
                if status in contact:
                    totals[3] += cell[0]
                if status in voicemail:
                    totals[4] += cell[0]

            # Without a campaign, list or queue filter a whole day's rollup by agent and
            # status says all there is to say.
            rollup = wanted[1] is None and wanted[2] is None and wanted[3] is None
            for key, cell in self._perf_cells(start, end, rollup):
                if matches(key):
                    count(key, cell)
            # Waiting and pausing are the agent's own time, not a call's: only the user
            # and campaign filters narrow them.
            times: dict[str, list[int]] = {}  # user -> [wait, pause]
            now = self._now_epoch()
            for event in self._events_between(start, end):
                if users is not None and event["user_id"] not in users:
                    continue
                if wanted[1] is not None and str(event["campaign_id"]) not in wanted[1]:
                    continue
                if event["state"] in ("READY", "PAUSED"):
                    slot = 0 if event["state"] == "READY" else 1
                    times.setdefault(event["user_id"], [0, 0])[slot] += self._event_seconds(
                        event, now
                    )
            out: dict[str, dict[str, Any]] = {}
            # Agents only: the System User's rows (abandoned and dropped calls no agent
            # took, records.SYSTEM_USER_IDS) are left out, as reporting code does.
            agents = (calls.keys() | times.keys()) & self.users_by_id.keys()
            for user_id in sorted(agents, key=_id_order):
                n, talk, wrap, human, am = calls.get(user_id, [0, 0, 0, 0, 0])
                wait, pause = times.get(user_id, [0, 0])
                total = talk + wait + pause + wrap
                out[user_id] = {
                    "name": self._user_name(user_id),
                    "calls": n,
                    "human_answered": human,
                    "talk_sec_pt": percent(talk, total),
                    "wait_sec_pt": percent(wait, total),
                    "pause_sec_pt": percent(pause, total),
                    "wrap_sec_pt": percent(wrap, total),
                    "talk_sec": hms(talk),
                    "wait_sec": hms(wait),
                    "pause_sec": hms(pause),
                    "wrap_sec": hms(wrap),
                    "total_time": hms(total),
                    "am": am,
                    "others": n - am,
                    "am_pt": percent(am, n),
                    "others_pt": percent(n - am, n),
                    "call_type": "",
                    "user_id": user_id,
                }
            return out

    def _perf_cells(self, start: str, end: str, rollup: bool) -> Iterable[tuple[PerfKey, PerfCell]]:
        """The call-log cells inside [start, end]: whole days (their rollups if `rollup`)
        and whole hours from the totals kept with the log, the part of an hour at either
        edge from its rows."""
        cells = self.state.perf_cells
        first, last = start[:10], end[:10]
        for day in cells.days():
            if day < first or day > last:
                continue
            if start <= f"{day} 00:00:00" and f"{day} 23:59:59" <= end:
                yield from cells.get(day + ROLLUP if rollup else day).items()
                continue
            for hour in _HOURS:
                bucket = f"{day} {hour}"
                hour_start, hour_end = f"{bucket}:00:00", f"{bucket}:59:59"
                if hour_end < start or hour_start > end:
                    continue
                if start <= hour_start and hour_end <= end:
                    yield from cells.get(bucket).items()
                else:
                    yield from self._perf_rows(max(start, hour_start), min(end, hour_end))

    def _perf_rows(self, start: str, end: str) -> Iterable[tuple[PerfKey, PerfCell]]:
        """Each call-log row in [start, end] as a cell (a slice of the call-date order)."""
        order = self.state.log_order
        lo = bisect_left(order, start, key=self._perf_date)
        hi = bisect_right(order, end, key=self._perf_date)
        for call_id in order[lo:hi]:
            yield call_perf(self.state.call_logs[call_id])

    def _perf_date(self, call_id: int) -> str:
        return self.state.call_logs[call_id][_DATE_POS] or ""

    # --- agent-productivity/search --------------------------------------------------

    def search_agent_productivity(
        self,
        start: str,
        end: str,
        campaign_id: str | None,
        emails: list[str] | None,
        offset: int,
        limit: int,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, page) of agent state events in [start, end], in time order."""
        with self.lock:
            users: set[str] | None = None
            if emails is not None:
                found = (self.users_by_email.get(e.casefold()) for e in emails)
                users = {u["user_id"] for u in found if u is not None}
                if not users:
                    raise ConvosoError(6031)
            matched = [
                event
                for event in self._events_between(start, end)
                if (users is None or event["user_id"] in users)
                and (campaign_id is None or str(event["campaign_id"]) == campaign_id)
            ]
            now = self._now_epoch()
            page = [self._event_out(e, now) for e in matched[offset : offset + limit]]
            return len(matched), page

    def _event_out(self, event: dict[str, Any], now: int) -> dict[str, Any]:
        """An event as agent-productivity/search answers it: every value a string."""
        _, availability_name, code_name = AVAILABILITY.get(
            event["availability_code"], (event["state"], event["state"].title(), "")
        )
        campaign = self.state.campaigns.get(event["campaign_id"])
        return {
            "id": str(event["id"]),
            "user_id": event["user_id"],
            "state": event["state"],
            "availability_code": event["availability_code"],
            "campaign_id": str(event["campaign_id"]),
            "event_epoch": str(event["epoch"]),
            "event_sec": hms(self._event_seconds(event, now)),
            "created_at": event["created_at"],
            "browser": BROWSER,
            "ip_address": event["ip_address"],
            "user_uid": _uid(self.acronym, "user", event["user_id"]),
            "user_name": self._user_name(event["user_id"]),
            "availability_code_name": code_name,
            "campaign_uid": _uid(self.acronym, "campaign", event["campaign_id"]),
            "campaign_name": campaign["name"] if campaign else "",
            "campaign_type": CAMPAIGN_TYPE,
            "availability_name": availability_name,
        }

    # --- agent-monitor/search, user-activity/search -----------------------------------

    def _queues(self) -> list[str]:
        """The office's queue ids (named in its seed, or seen in its call log), in order."""
        return sorted({q for q in self.queue_ids if q} | self.queues.keys(), key=_id_order)

    def _queue_name(self, queue_id: str) -> str:
        return self.queues.get(queue_id) or f"Queue {queue_id}"

    def _logged_in(
        self,
        campaign_ids: list[str] | None,
        queue_ids: list[str] | None,
        user_ids: list[str] | None,
    ) -> list[dict[str, Any]]:
        """The latest event of every logged-in agent who passes the filters."""
        events = self.state.agent_events
        queues = set(self._queues())
        out = []
        for user_id in sorted(self.state.agent_latest, key=_id_order):
            event = events[self.state.agent_latest[user_id]]
            if event["state"] == "LOGOUT":
                continue
            if user_ids is not None and user_id not in user_ids:
                continue
            if campaign_ids is not None and str(event["campaign_id"]) not in campaign_ids:
                continue
            # Every agent is assigned to every queue of the office.
            if queue_ids is not None and not queues.intersection(queue_ids):
                continue
            out.append(event)
        return out

    def monitor_agents(
        self,
        campaign_ids: list[str] | None,
        queue_ids: list[str] | None,
        user_ids: list[str] | None,
    ) -> dict[str, Any]:
        """agent-monitor/search's `entries`: campaign and queue options, logged-in agents."""
        with self.lock:
            campaigns = [
                {"value": cid, "name": row["name"]}
                for cid, row in sorted(self.state.campaigns.items())
                if campaign_ids is None or str(cid) in campaign_ids
            ]
            queues = [
                {"value": int(qid), "name": self._queue_name(qid)}
                for qid in self._queues()
                if queue_ids is None or qid in queue_ids
            ]
            now = self._now_epoch()
            agents = [
                self._monitor_row(event, now)
                for event in self._logged_in(campaign_ids, queue_ids, user_ids)
            ]
            return {
                "success": True,
                "code": 200,
                "campaigns": campaigns,
                "queues": queues,
                "agents": agents,
            }

    def _monitor_row(self, event: dict[str, Any], now: int) -> dict[str, Any]:
        user_id = event["user_id"]
        campaign = self.state.campaigns.get(event["campaign_id"])
        queues = self._queues()
        calls = self.state.log_index["user_id"].get(user_id)  # in call-date order
        rows = self.state.call_logs
        today = self.now_text()[:10]
        first_today = bisect_left(calls, f"{today} 00:00:00", key=self._perf_date)
        last = rows[calls[-1]] if calls else None
        inbound = next(
            (rows[cid] for cid in reversed(calls) if rows[cid][_TYPE_POS] == "INBOUND"), None
        )
        _, _, code_name = AVAILABILITY.get(event["availability_code"], ("", "", ""))
        status = "PAUSED" if event["state"] == "PAUSED" else "READY"
        return {
            "user_id": user_id,
            "user_full_name": self._user_name(user_id),
            "campaign_id": str(event["campaign_id"]),
            "campaign_name": campaign["name"] if campaign else "",
            "queue_id": "",
            "queue_name": "",
            "queue_assignment": ", ".join(self._queue_name(q) for q in queues),
            "queue_assignment_ids": queues,
            "list_id": "0",
            "list_name": "-",
            "extension": f"SIP-{user_id}",
            "channel_type": "VOICE",
            "call_type": "-",
            "lead_id": "0",
            "call_log_id": last[0] if last else "0",
            "calls_today": str(len(calls) - first_today),
            "total_calls": len(calls) - first_today,
            "since_last_update": max(now - event["epoch"], 0),
            "last_state_change": event["created_at"],
            "last_call_time": _call_time(last),
            "last_update_time": event["created_at"],
            "last_call_finish": _call_finish(last),
            "last_inbound_call_time": _call_time(inbound),
            "last_inbound_call_finish": _call_finish(inbound),
            "availability_id": event["availability_code"],
            "inbound_only": "0",
            "status": status,
            "status_label": f"Paused: {code_name}" if status == "PAUSED" else "Ready",
        }

    def user_activity(
        self,
        campaign_ids: list[str] | None,
        queue_ids: list[str] | None,
        user_ids: list[str] | None,
    ) -> tuple[int, int]:
        """(available, logged in): agents READY now, and agents logged in at all."""
        with self.lock:
            logged_in = self._logged_in(campaign_ids, queue_ids, user_ids)
            available = sum(1 for event in logged_in if event["state"] != "PAUSED")
            return available, len(logged_in)

    # --- agent-monitor/logout ---------------------------------------------------------

    def logout_agent(self, user_id: str) -> bool:
        """Log an agent out now: their open state ends and a LOGOUT event is added.

        False (nothing written) when the agent is not logged in.
        """
        with self.lock:
            if user_id not in self.users_by_id:
                raise ConvosoError(6006)
            state = self.state
            pos = state.agent_latest.get(user_id)
            if pos is None or state.agent_events[pos]["state"] == "LOGOUT":
                return False
            events = state.agent_events
            # Never before the latest event: the list stays in time order.
            epoch = max(self._now_epoch(), events[-1]["epoch"])
            current = events[pos]
            logout = {
                **current,
                "id": events[-1]["id"] + 1,
                "state": "LOGOUT",
                "availability_code": "0",
                "epoch": epoch,
                "created_at": datetime.fromtimestamp(epoch, self.zone).strftime(TIMESTAMP),
                "ends": epoch,
            }
            events[pos] = {**current, "ends": epoch}
            events.append(logout)
            state.agent_latest[user_id] = len(events) - 1
            return True


def _id_order(value: str) -> tuple[int, str]:
    """Ids in numeric order (they are digits), anything else after them."""
    return (int(value), "") if value.isdigit() else (1 << 64, value)


def _call_time(row: tuple[Any, ...] | None) -> str:
    return (row[_DATE_POS] or "") if row is not None else ""


def _call_finish(row: tuple[Any, ...] | None) -> str:
    if row is None or not row[_DATE_POS]:
        return ""
    start = calendar.timegm(_parse(row[_DATE_POS]))
    return _text(start + int(row[_LENGTH_POS] or 0))


def _parse(text: str) -> time.struct_time:
    return time.strptime(text, "%Y-%m-%d %H:%M:%S")


def _text(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
