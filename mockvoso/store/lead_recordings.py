"""Recordings by lead: leads/get-recordings over the recordings-by-lead index."""

from __future__ import annotations

from itertools import islice
from typing import Any

from mockvoso.store.base import StoreBase


class LeadRecordingsMixin(StoreBase):
    """leads/get-recordings of OfficeStore."""

    def lead_recordings(
        self, lead_id: int, start: str | None, end: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, page) of a lead's recordings, ascending recording id; lead 0 = every lead.

        A lead id reads the index (cost follows that lead's recordings, not the office);
        lead 0 walks every recording, as the quirk real clients use asks for.
        """
        with self.lock:
            recs = self.state.recordings
            # Every recording: the dict keeps ascending ids (seeded and restored in id
            # order, only ever removed from), so a page is a slice of its keys.
            ids: Any = recs.keys() if lead_id == 0 else self.state.recs_by_lead.get(lead_id)
            if start or end:
                ids = [
                    rid
                    for rid in ids
                    if (not start or recs[rid]["start_time"] >= start)
                    and (not end or recs[rid]["start_time"] <= end)
                ]
            total = len(ids)
            page = list(islice(ids, offset, offset + limit)) if offset < total else []
            return total, [
                {
                    "recording_id": recs[rid]["recording_id"],
                    "lead_id": recs[rid]["lead_id"],
                    "start_time": recs[rid]["start_time"],
                    "end_time": recs[rid]["end_time"],
                    "seconds": recs[rid]["seconds"],
                    "url": recs[rid]["url"],
                }
                for rid in page
            ]
