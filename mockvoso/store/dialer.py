"""The simulated dialer: active campaigns call their leads, each call written as Convoso would."""

from __future__ import annotations

import calendar
import hashlib
import random
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockvoso.records import CALL_LOG_FIELDS
from mockvoso.store.base import TIMESTAMP, StoreBase
from mockvoso.store.state import LEAD_POS, LOG_INDEXED, LOG_POS

# How a dialled call ends (rough outbound-dialer shares): 45% reach a person, the rest
# split between no answer, an answering machine and a hang-up before an agent speaks.
ANSWERED = 0.45
# Dispositions of answered calls, by the office's status code when it has it, and their
# weights (most calls are "not interested"; sales are rare; some want a callback).
ANSWERED_WEIGHTS: dict[str, int] = {
    "NI": 40, "NQ": 15, "CALLBK": 15, "SALE": 8, "XFER": 6, "DNC": 4, "WRONG": 3,
}  # fmt: skip
UNANSWERED_WEIGHTS: dict[str, int] = {"NA": 55, "AA": 30, "HU": 15}
WRAP_SECONDS = 15  # between two calls of one agent


@dataclass
class CallMade:
    """One simulated call, for the caller: what to announce and count."""

    call_log_id: int
    lead_id: int
    status: str
    recording_id: int | None
    callback_id: int | None
    seconds: int
    row: dict[str, Any] = field(default_factory=dict)


@dataclass
class _NextIds:
    """The last call-log and recording ids handed out during one dial() call."""

    last_call: int
    last_recording: int

    def call(self) -> int:
        self.last_call += 1
        return self.last_call

    def recording(self) -> int:
        self.last_recording += 1
        return self.last_recording


def _pick(rng: random.Random, weights: dict[str, int], known: dict[str, Any]) -> str:
    usable = {code: w for code, w in weights.items() if code in known}
    if not usable:  # an office without these codes: any status of the right kind
        return rng.choice(sorted(known))
    codes = sorted(usable)
    return rng.choices(codes, weights=[usable[c] for c in codes])[0]


class DialerMixin(StoreBase):
    """The dialer section of OfficeStore (driven by POST /_mockvoso/simulate)."""

    def dial(
        self, calls: int, seed: int, start: datetime, until: datetime | None = None
    ) -> list[CallMade]:
        """Make up to `calls` calls from `start` (server-clock UTC), one after another.

        Deterministic: the random stream is seeded by the seed, the office and its call
        log's last id, so the same seed and the same sequence of simulate requests give
        the same calls.
        """
        with self.lock:
            state = self.state
            # Seeded by where the log stands: the same seed and the same sequence of
            # simulate requests give the same calls, and a reset starts them over.
            rng = random.Random(f"{seed}:{self.acronym}:dial:{max(state.call_logs, default=0)}")
            agents = sorted(
                (u for u in self.users if u.get("status", "Y") == "Y"), key=lambda u: u["user_id"]
            )
            queue = self._dial_queue()
            # The next ids, counted here: a max() per call would scan the whole log.
            ids = _NextIds(max(state.call_logs, default=0), max(state.recordings, default=0))
            made: list[CallMade] = []
            at = start
            for _ in range(calls):
                if not queue or not agents or (until is not None and at >= until):
                    break
                lead_id, campaign_id = queue.popleft()
                call = self._one_call(rng, lead_id, campaign_id, rng.choice(agents), at, ids)
                made.append(call)
                at += timedelta(seconds=call.seconds + WRAP_SECONDS)
                if not self._final(call.status):
                    queue.append((lead_id, campaign_id))  # dialled again later
            return made

    # --- which leads ------------------------------------------------------------

    def _final(self, status: str) -> bool:
        return self.statuses.get(status.upper(), {}).get("final") == "Y"

    def _dial_queue(self) -> deque[tuple[int, int]]:
        """(lead id, campaign id) of every dialable lead, fewest calls first, then by id:
        in an active list of an active campaign, not in a final status, not on DNC."""
        state = self.state
        out: list[tuple[int, int, int]] = []
        for list_id, row in state.lists.items():
            campaign = state.campaigns.get(row["campaign_id"])
            if row["status"] != "Y" or campaign is None or campaign["status"] != "Y":
                continue
            for lead_id in state.lead_index["list_id"].get(str(list_id)):
                lead = state.leads[lead_id]
                if self._final(lead[LEAD_POS["status"]] or ""):
                    continue
                phone = lead[LEAD_POS["phone_number"]] or ""
                code = lead[LEAD_POS["phone_code"]] or "1"
                if self.dnc_listed(phone, code, int(campaign["id"])):
                    continue
                out.append((int(lead[LEAD_POS["called_count"]] or 0), lead_id, int(campaign["id"])))
        out.sort()
        return deque((lead_id, campaign_id) for _, lead_id, campaign_id in out)

    # --- one call ---------------------------------------------------------------

    def _one_call(
        self,
        rng: random.Random,
        lead_id: int,
        campaign_id: int,
        agent: dict[str, Any],
        at: datetime,
        ids: _NextIds,
    ) -> CallMade:
        state = self.state
        lead = state.leads[lead_id]
        answered = rng.random() < ANSWERED
        weights = ANSWERED_WEIGHTS if answered else UNANSWERED_WEIGHTS
        status = _pick(rng, weights, self.statuses)
        seconds = rng.randint(30, 900) if answered else rng.randint(3, 40)
        local = self.local_text(at)
        call_id = ids.call()
        called = int(lead[LEAD_POS["called_count"]] or 0) + 1
        campaign = state.campaigns[campaign_id]
        row = dict.fromkeys(CALL_LOG_FIELDS)
        row.update(
            id=str(call_id),
            lead_id=str(lead_id),
            list_id=lead[LEAD_POS["list_id"]],
            campaign_id=str(campaign_id),
            campaign=campaign["name"],
            user=f"{agent['first_name']} {agent['last_name']}" if answered else "System User",
            user_id=str(agent["user_id"]) if answered else "666666",
            phone_number=lead[LEAD_POS["phone_number"]],
            number_dialed=lead[LEAD_POS["phone_number"]],
            first_name=lead[LEAD_POS["first_name"]],
            last_name=lead[LEAD_POS["last_name"]],
            status=status,
            status_name=self.statuses.get(status, {}).get("name"),
            call_length=str(seconds),
            call_date=local,
            called_count=str(called),
            caller_id_displayed=self._caller_id(campaign_id),
            term_reason=rng.choice(("AGENT", "CALLER")) if answered else "NONE",
            call_type="OUTBOUND",
            queue_position="0",
            queue_seconds="0.00",
            session_id=hashlib.md5(f"{self.acronym}:{call_id}".encode()).hexdigest(),
        )
        self._append_call_log(call_id, tuple(row[name] for name in CALL_LOG_FIELDS))
        recording_id = None
        if answered:
            recording_id = ids.recording()
            epoch = calendar.timegm(at.timetuple())  # `at` is naive UTC
            self._add_recording(
                {
                    "recording_id": recording_id,
                    "call_log_id": call_id,
                    "lead_id": lead_id,
                    "user_id": str(agent["user_id"]),
                    "start_time": local,
                    "end_time": self.local_text(at + timedelta(seconds=seconds)),
                    "seconds": seconds,
                    "url": f"convoso_{row['phone_number']}_{recording_id}_{epoch}-all.wav",
                }
            )
        values = {"status": status, "called_count": str(called), "last_called": local}
        self._apply_lead_update(lead_id, values, {})
        self._lead_status_set(lead_id)  # a dnc=Y disposition lists the number
        callback_id = None
        if self.statuses.get(status, {}).get("callback") == "Y":
            due = datetime.strptime(local, TIMESTAMP) + timedelta(days=1)
            callback_id = self.insert_callback(
                {
                    "lead_id": lead_id,
                    "recipient": "USERONLY",
                    "user_id": int(agent["user_id"]),
                    "callback_time_zone": self.zone,
                    "callback_time": due.strftime(TIMESTAMP),
                    "comments": "Set by the dialer",
                }
            )
        return CallMade(call_id, lead_id, status, recording_id, callback_id, seconds, row)

    def _caller_id(self, campaign_id: int) -> str | None:
        """The caller id the campaign's seeded calls showed (else none)."""
        ids = self.state.log_index["campaign_id"].get(str(campaign_id))
        for call_id in ids[-1:]:
            return self.state.call_logs[call_id][LOG_POS["caller_id_displayed"]]
        return None

    def _append_call_log(self, call_id: int, row: tuple[Any, ...]) -> None:
        """A new row at the end of the call-date order (the clock never goes back)."""
        state = self.state
        state.call_logs[call_id] = row
        state.log_order.append(call_id)
        for name in LOG_INDEXED:
            state.log_index[name].append(row[LOG_POS[name]], call_id)
        state.perf_cells.add(row)

    def _add_recording(self, rec: dict[str, Any]) -> None:
        state = self.state
        rid = rec["recording_id"]
        state.recordings[rid] = rec
        state.recs_by_call.add(rec["call_log_id"], rid)
        state.recs_by_user.add(rec["user_id"], rid)
        state.recs_by_lead.add(rec["lead_id"], rid)

    def dial_summary(self, made: list[CallMade]) -> dict[str, Any]:
        return {
            "call_log_ids": [str(c.call_log_id) for c in made],
            "dispositions": dict(sorted(Counter(c.status for c in made).items())),
            "recordings": sum(1 for c in made if c.recording_id is not None),
        }

    if TYPE_CHECKING:

        def insert_callback(self, fields: dict[str, Any]) -> int: ...

        def _apply_lead_update(
            self, lead_id: int, values: dict[str, Any], custom: dict[str, str]
        ) -> None: ...
