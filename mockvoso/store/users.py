"""Agents: users/recordings over the recordings-by-agent index, users/search over the seed."""

from __future__ import annotations

from typing import Any

from mockvoso.errors import ConvosoError
from mockvoso.records import USER_ATTRIBUTES
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

    def search_users(
        self, terms: list[str] | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """users/search: (total, page) of users, seed order; each term matches a user's
        e-mail, first name or last name exactly, in any case (no terms: every user)."""
        with self.lock:
            users = self.users
            if terms is not None:
                wanted = {term.casefold() for term in terms}
                users = [
                    user
                    for user in users
                    if wanted
                    & {
                        user["email"].casefold(),
                        user["first_name"].casefold(),
                        user["last_name"].casefold(),
                    }
                ]
            page = users[offset : offset + limit] if offset < len(users) else []
            return len(users), [_user_out(user) for user in page]


def _user_out(user: dict[str, Any]) -> dict[str, Any]:
    """A users/search entry, keys in the official example's order (ints where it has ints)."""
    out: dict[str, Any] = {"id": int(user["user_id"])}
    for name in ("acl_access_profile", "email", "first_name", "last_name"):
        out[name] = user.get(name)
    for name in USER_ATTRIBUTES:
        if name not in out:
            out[name] = user.get(name)
    out["extension"] = list(user.get("extension") or [])
    return out
