"""Agents' recordings: users/recordings over the recordings-by-agent index."""

from __future__ import annotations

from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.store.base import StoreBase


class UsersMixin(StoreBase):
    """The users section of OfficeStore."""

    def user_recordings(
        self, emails: list[str], start: str | None, end: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """users/recordings: the recordings of the agents with these e-mails."""
        with self.lock:
            user_ids = []
            for email in emails:
                user = self.users_by_email.get(email.casefold())
                if user is None:
                    raise ConvosoError(6006)
                user_ids.append(user["user_id"])
            rec_ids: list[int] = sorted(
                {rid for uid in user_ids for rid in self.state.recs_by_user.get(uid)}
            )
            recs = self.state.recordings
            matched = [
                rid
                for rid in rec_ids
                if (not start or recs[rid]["start_time"] >= start)
                and (not end or recs[rid]["start_time"] <= end)
            ]
            page = [
                {
                    "recording_id": recs[rid]["recording_id"],
                    "lead_id": recs[rid]["lead_id"],
                    "start_time": recs[rid]["start_time"],
                    "end_time": recs[rid]["end_time"],
                    "seconds": recs[rid]["seconds"],
                    "url": recs[rid]["url"],
                }
                for rid in matched[offset : offset + limit]
            ]
            return len(matched), page
