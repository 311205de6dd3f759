"""Leads: insert, update, delete and search over one office's indexed leads."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

from mockvoso.encoding import Encoded, encoded
from mockvoso.errors import ConvosoError
from mockvoso.limits import LeadLimitReached
from mockvoso.records import LEAD_DERIVED, LEAD_STORED
from mockvoso.store.base import StoreBase, uid
from mockvoso.store.state import LEAD_INDEXED, LEAD_POS, Lead, lead_key

_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
# Phone numbers are kept as digits only: clients send "(555) 123-4567" or "555.123.4567".
_PHONE_JUNK = re.compile(r"[\s().+-]")

# Text filters of leads/search that match a stored field exactly (case-insensitively).
LEAD_TEXT_FILTERS: tuple[str, ...] = tuple(
    name
    for name in LEAD_STORED
    if name not in LEAD_INDEXED and name not in ("id", "created_at", "modified_at")
)
# leads/search date-range filters: (parameter, stored field, bound).
LEAD_DATE_FILTERS: tuple[tuple[str, str, str], ...] = (
    ("created_at_start_date", "created_at", "start"),
    ("created_at_end_date", "created_at", "end"),
    ("updated_at_start_date", "modified_at", "start"),
    ("updated_at_end_date", "modified_at", "end"),
    ("last_call_start_date", "last_called", "start"),
    ("last_call_end_date", "last_called", "end"),
    # thornebridge/convoso-js sends these; mockvoso reads them as the modification time.
    ("changed_at_start_date", "modified_at", "start"),
    ("changed_at_end_date", "modified_at", "end"),
)


_LIST_POS, _STATUS_POS = LEAD_POS["list_id"], LEAD_POS["status"]
_USER_POS, _SOURCE_POS = LEAD_POS["user_id"], LEAD_POS["source_id"]
_UNSEEN = object()
LEAD_ROW_CACHE = 10_000  # encoded page rows an office keeps (LeadsMixin._page_rows)
# Every key of a lead row, in Convoso's order: the stored fields, then what _lead_row adds.
_ROW_TEMPLATE: dict[str, Any] = dict.fromkeys((*LEAD_STORED, *LEAD_DERIVED))


def _lead_row(
    lead: Lead,
    custom: dict[str, str] | None,
    lists: tuple[Any, ...],
    status_name: str | None,
    users: tuple[Any, ...],
    sources: tuple[Any, ...],
) -> dict[str, Any]:
    """A lead as leads/search answers it: its stored fields, then its relations."""
    # A copy of the template has every key in place, so filling it never grows the
    # dict (dict(zip()) resizes four times on the way to 45 keys). Measured in-process
    # (best of 40 x 2000, one default lead): 2.18 µs -> 1.60 µs a row.
    out = _ROW_TEMPLATE.copy()
    out.update(zip(LEAD_STORED, lead, strict=True))
    out["lead_id"] = lead[0]
    (
        out["directory_uid"],
        out["directory_name"],
        out["campaign_id"],
        out["campaign_uid"],
        out["campaign_name"],
    ) = lists
    out["status_name"] = status_name
    out["user_uid"], out["user_name"] = users
    out["source_uid"], out["source_name"] = sources
    if custom:
        # A custom field never hides a lead field: a client that sent `id` or
        # `created_at` to leads/insert still reads the real ones back.
        for key, value in custom.items():
            out.setdefault(key, value)
    return out


def normalize_phone(raw: str) -> str:
    """Digits of a phone number, or ConvosoError 6008 when it cannot be one."""
    digits = _PHONE_JUNK.sub("", raw)
    if not (digits.isascii() and digits.isdigit()) or not 7 <= len(digits) <= 15:
        raise ConvosoError(6008)
    return digits


# A national number is 10 digits in the +1 plan Convoso dials; anything before them in a
# longer number is the country code (filter_phone_code, convoso-api.md §2).
NATIONAL_DIGITS = 10


def split_country_code(raw: str) -> dict[str, str]:
    """filter_phone_code: {phone_code, phone_number} when a country code leads the number.

    Only digits count ("+1 (555) 123-4567" → 1 / 5551234567); a number of 10 digits or
    fewer, or one that is not a phone at all, is left for the usual checks (6008).
    """
    digits = _PHONE_JUNK.sub("", raw)
    if not (digits.isascii() and digits.isdigit()) or not 10 < len(digits) <= 15:
        return {}
    cut = len(digits) - NATIONAL_DIGITS
    return {"phone_code": digits[:cut], "phone_number": digits[cut:]}


def check_email(raw: str) -> str:
    if not _EMAIL.match(raw):
        raise ConvosoError(6079)
    return raw


class LeadsMixin(StoreBase):
    """The leads section of OfficeStore (see office.py for the state and the lock)."""

    # --- reads -----------------------------------------------------------------

    def lead_out(self, lead_id: int) -> dict[str, Any]:
        """A lead as leads/search answers it: every value a string or None."""
        return self.lead_row_out(self.state.leads[lead_id], self.state.custom.get(lead_id))

    def lead_row_out(self, lead: Lead, custom: dict[str, str] | None) -> dict[str, Any]:
        """lead_out for a lead tuple and its custom fields (live, deleted or archived)."""
        return _lead_row(
            lead,
            custom,
            self._list_part(lead[_LIST_POS]),
            self._status_name(lead[_STATUS_POS]),
            self._user_part(lead[_USER_POS]),
            self._source_part(lead[_SOURCE_POS]),
        )

    def lead_rows(self) -> Callable[[Lead, dict[str, str] | None], dict[str, Any]]:
        """lead_row_out for the rows of one answer, relations looked up once (_relations)."""
        relations = self._relations()

        def row(lead: Lead, custom: dict[str, str] | None) -> dict[str, Any]:
            return _lead_row(lead, custom, *relations(lead))

        return row

    def _relations(self) -> Callable[[Lead], tuple[Any, Any, Any, Any]]:
        """The relations of the rows of one answer: each one a row names (list +
        campaign, status, user, source) is looked up once per answer, not per row. Per
        answer, not longer, so a renamed list or campaign shows at once.

        Measured (in-process, store.search_leads of 100 default leads, best of 60 x 10,
        both under the same load): 367 µs a page with each row's relations looked up
        and hashed anew, ~255 µs this way.
        """
        by_list: dict[str, tuple[Any, ...]] = {}
        by_status: dict[str, Any] = {}
        by_user: dict[str, tuple[Any, ...]] = {}
        by_source: dict[str, tuple[Any, ...]] = {}

        def relations(lead: Lead) -> tuple[Any, Any, Any, Any]:
            list_id, status = lead[_LIST_POS], lead[_STATUS_POS]
            user_id, source_id = lead[_USER_POS], lead[_SOURCE_POS]
            if (lists := by_list.get(list_id)) is None:
                lists = by_list[list_id] = self._list_part(list_id)
            name = by_status.get(status, _UNSEEN)
            if name is _UNSEEN:
                name = by_status[status] = self._status_name(status)
            if (users := by_user.get(user_id)) is None:
                users = by_user[user_id] = self._user_part(user_id)
            if (sources := by_source.get(source_id)) is None:
                sources = by_source[source_id] = self._source_part(source_id)
            return lists, name, users, sources

        return relations

    # lead id -> (lead tuple, its custom fields, its relations, its row with its JSON):
    # the rows leads/search pages answered lately. A row is worked out from exactly
    # those three, so while the lead tuple and the custom dict are the same objects
    # (writes replace them, never edit them) and the relations (looked up anew for every
    # answer) are equal, the row and its bytes are too: an answer then shares the
    # read-only row and splices its bytes into the page (encoding.Encoded) instead of
    # building and encoding it. Measured in-process (one WSGI call of a page of 100,
    # best of 5 x 300, default data): ~680 us -> ~215 us. Dropped whole past
    # LEAD_ROW_CACHE rows (~2.5 KB a row).
    _lead_row_cache: dict[int, tuple[Lead, Any, tuple[Any, ...], Encoded]] | None = None

    def _page_rows(self, page_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The rows of a page as leads/search answers them (read-only, with their bytes)."""
        cache = self._lead_row_cache
        if cache is None or len(cache) > LEAD_ROW_CACHE:
            cache = self._lead_row_cache = {}
        relations = self._relations()
        leads, customs = self.state.leads, self.state.custom
        out: list[dict[str, Any]] = []
        for lead_id in page_ids:
            lead, custom = leads[lead_id], customs.get(lead_id)
            parts = relations(lead)
            hit = cache.get(lead_id)
            if hit is None or hit[0] is not lead or hit[1] is not custom or hit[2] != parts:
                row = encoded(_lead_row(lead, custom, *parts))
                hit = cache[lead_id] = (lead, custom, parts, row)
            out.append(hit[3])  # read-only: shared by every answer that holds it
        return out

    # The relations of a lead row, in LEAD_DERIVED order.

    def _list_part(self, list_id: str | None) -> tuple[Any, ...]:
        """directory_uid, directory_name, campaign_id, campaign_uid, campaign_name."""
        list_row = self.state.lists.get(int(list_id or 0))
        if list_row is None:
            return (None,) * 5
        campaign = self.state.campaigns.get(list_row["campaign_id"])
        directory = (uid(self.acronym, "list", str(list_row["id"])), list_row["name"])
        if campaign is None:
            return (*directory, None, None, None)
        cid = str(campaign["id"])
        return (*directory, cid, uid(self.acronym, "campaign", cid), campaign["name"])

    def _status_name(self, code: str | None) -> str | None:
        status = self.statuses.get((code or "").upper())
        return status["name"] if status else None

    def _user_part(self, user_id: str | None) -> tuple[Any, ...]:
        """user_uid, user_name."""
        user = self.users_by_id.get(user_id or "")
        if user is None:
            return (None, None)
        name = f"{user['first_name']} {user['last_name']}"
        return (uid(self.acronym, "user", user["user_id"]), name)

    def _source_part(self, source_id: str | None) -> tuple[Any, ...]:
        """source_uid, source_name. API inserts carry source_id "0", which names no
        source: both null then."""
        name = self.sources.get(source_id or "")
        return (uid(self.acronym, "source", source_id or ""), name) if name else (None, name)

    def lead_event(self, lead_id: int) -> dict[str, Any]:
        """A lead as write events carry it: as leads/search answers it, plus its agent's
        e-mail (Convoso Connect's `agent_email`)."""
        out = self.lead_out(lead_id)
        user = self.users_by_id.get(out.get("user_id") or "")
        out["agent_email"] = user["email"] if user else None
        return out

    def search_leads(
        self, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, page) of leads matching every filter, ascending id."""
        with self.lock:
            candidates, predicates = self._lead_plan(filters)
            if not predicates:
                total = len(candidates)
                # islice refuses indexes past sys.maxsize; a client may send offset=10**30.
                page_ids = (
                    list(islice(candidates, offset, offset + limit)) if offset < total else []
                )
            else:
                leads = self.state.leads
                custom = self.state.custom
                matched = [
                    lid
                    for lid in candidates
                    if all(p(leads[lid], custom.get(lid)) for p in predicates)
                ]
                total = len(matched)
                page_ids = matched[offset : offset + limit]
            if len(page_ids) > 1:
                return total, self._page_rows(page_ids)
            # One hit (the common search) skips the lookup tables and the cache.
            leads, custom = self.state.leads, self.state.custom
            return total, [self.lead_row_out(leads[lid], custom.get(lid)) for lid in page_ids]

    def _lead_plan(self, filters: dict[str, Any]) -> tuple[Any, list[Any]]:
        """Pick the smallest index that serves a filter; the rest become predicates."""
        state = self.state
        sources: list[Sequence[int]] = []
        predicates: list[Any] = []
        if "lead_id" in filters:
            wanted = sorted({int(v) for v in filters["lead_id"] if v.isdigit()})
            sources.append([lid for lid in wanted if lid in state.leads])
        for name in LEAD_INDEXED:
            if name not in filters:
                continue
            values = filters[name]
            if isinstance(values, str):
                values = [values]
            keys = {lead_key(name, v) for v in values}
            if len(keys) == 1:
                sources.append(state.lead_index[name].get(next(iter(keys))))
            else:
                merged: set[int] = set()
                for key in keys:
                    merged.update(state.lead_index[name].get(key))
                sources.append(sorted(merged))
        for name in LEAD_TEXT_FILTERS:
            if name in filters:
                predicates.append(_text_predicate(LEAD_POS[name], filters[name]))
        for param, field_name, _bound in LEAD_DATE_FILTERS:
            if param in filters:
                predicates.append(_date_predicate(LEAD_POS[field_name], filters[param], _bound))
        for key, value in filters.get("custom", {}).items():
            if key in state.custom_keys:
                predicates.append(_custom_predicate(key, value))
        if not sources:
            return state.leads.keys(), predicates
        sources.sort(key=len)
        smallest, others = sources[0], sources[1:]
        for other in others:  # an index that is not the smallest still filters cheaply
            members = set(other)
            predicates.insert(0, _member_predicate(members))
        return smallest, predicates

    # --- writes (each under the office lock, all checks before any change) ------

    def insert_lead(self, fields: dict[str, Any], options: dict[str, Any]) -> int:
        """leads/insert: a new lead (or, with update_if_found, the found one updated)."""
        with self.lock:
            if not fields.get("list_id") or not fields.get("phone_number"):
                raise ConvosoError(6007)
            values = self._checked_lead_values(fields)
            list_id = int(values["list_id"])
            phone = values["phone_number"]
            if options.get("check_dnc") and self.dnc_listed(
                phone, values.get("phone_code") or "1", self.state.lists[list_id]["campaign_id"]
            ):
                raise ConvosoError(6011)
            if options.get("update_if_found"):
                found = self._find_for_upsert(options, phone)
                if found is not None:
                    self._apply_lead_update(found, values, fields.get("custom", {}))
                    self._emit("lead.updated", lambda: self.lead_event(found))
                    return found
            check_dup = options.get("check_dup", 0)
            if check_dup and self._duplicates(phone, check_dup, list_id):
                raise ConvosoError(6009)
            if len(self.state.leads) >= self.max_leads:
                raise LeadLimitReached(self.acronym, self.max_leads)
            now = self.now_text()
            lead_id = self.state.next_lead_id
            row: dict[str, Any] = dict.fromkeys(LEAD_STORED)
            row.update(
                id=str(lead_id),
                created_at=now,
                modified_at=now,
                phone_code="1",
                called_since_last_reset="N",
                called_count="0",
                called_count_inbound="0",
                object_type="lead",
                status="NEW",
                source_id="0",
                created_by="API",
            )
            row.update(values)
            lead = tuple(row[name] for name in LEAD_STORED)
            self.state.next_lead_id = lead_id + 1
            self._put_lead(lead_id, lead)
            custom = fields.get("custom", {})
            if custom:
                self.state.custom[lead_id] = dict(custom)
                self.state.custom_keys.update(custom)
            if "status" in values:
                self._lead_status_set(lead_id)
            self._emit("lead.inserted", lambda: self.lead_event(lead_id))
            return lead_id

    def update_lead(self, lead_id: int | None, fields: dict[str, Any]) -> int:
        """leads/update: change the given fields of an existing lead."""
        with self.lock:
            if lead_id is None or lead_id not in self.state.leads:
                raise ConvosoError(6001)
            values = self._checked_lead_values(fields)
            self._apply_lead_update(lead_id, values, fields.get("custom", {}))
            self._emit("lead.updated", lambda: self.lead_event(lead_id))
            return lead_id

    def delete_lead(self, lead_id: int | None) -> None:
        """leads/delete: the lead goes, and with it its call-log rows and recordings."""
        with self.lock:
            if lead_id is None or lead_id not in self.state.leads:
                raise ConvosoError(6001)
            self._emit("lead.deleted", lambda: self.lead_event(lead_id))  # as it was
            self._drop_lead(lead_id)

    # --- helpers ----------------------------------------------------------------

    def _checked_lead_values(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Validate references and formats; raise before anything is written."""
        values = {k: v for k, v in fields.items() if k != "custom"}
        if "list_id" in values:
            if int(values["list_id"]) not in self.state.lists:
                raise ConvosoError(6002)
            values["list_id"] = str(int(values["list_id"]))
        for key in ("phone_number", "alt_phone_1", "alt_phone_2"):
            if key in values:
                values[key] = normalize_phone(str(values[key]))
        if "email" in values:
            check_email(values["email"])
        for key in ("user_id", "owner_id"):
            if key in values and str(values[key]) not in self.users_by_id:
                raise ConvosoError(6006)
        return {k: (None if v is None else str(v)) for k, v in values.items()}

    def _apply_lead_update(
        self, lead_id: int, values: dict[str, Any], custom: dict[str, str]
    ) -> None:
        old = self.state.leads[lead_id]
        row = dict(zip(LEAD_STORED, old, strict=True))
        row.update(values)
        row["modified_at"] = self.now_text()
        self._put_lead(lead_id, tuple(row[name] for name in LEAD_STORED), old)
        if custom:
            merged = dict(self.state.custom.get(lead_id, {}))
            merged.update(custom)
            self.state.custom[lead_id] = merged
            self.state.custom_keys.update(custom)
        if "status" in values:
            self._lead_status_set(lead_id)

    def _put_lead(self, lead_id: int, lead: Lead, old: Lead | None = None) -> None:
        for name in LEAD_INDEXED:
            pos = LEAD_POS[name]
            new_key = lead_key(name, lead[pos])
            old_key = lead_key(name, old[pos]) if old is not None else None
            if old is not None and old_key == new_key:
                continue
            index = self.state.lead_index[name]
            if old is not None:
                index.remove(old_key, lead_id)
            index.add(new_key, lead_id)
        self.state.leads[lead_id] = lead

    def _drop_lead(self, lead_id: int) -> None:
        lead = self.state.leads.pop(lead_id)
        for name in LEAD_INDEXED:
            self.state.lead_index[name].remove(lead_key(name, lead[LEAD_POS[name]]), lead_id)
        self._bury_lead(lead_id, lead, self.state.custom.pop(lead_id, {}))
        self._drop_lead_callbacks(lead_id)
        for call_id in list(self.state.log_index["lead_id"].get(str(lead_id))):
            self._drop_call_log(call_id)

    def _find_for_upsert(self, options: dict[str, Any], phone: str) -> int | None:
        lead_id = options.get("lead_id")
        if lead_id is not None and lead_id in self.state.leads:
            return lead_id
        for lid in self.state.lead_index["phone_number"].get(phone):
            if self._lead_in_scope(
                lid, options.get("search_list_id"), options.get("search_campaign_id")
            ):
                return lid
        return None

    def _lead_in_scope(self, lead_id: int, list_id: int | None, campaign_id: int | None) -> bool:
        lead_list = int(self.state.leads[lead_id][LEAD_POS["list_id"]] or 0)
        if list_id is not None:  # search_list_id takes priority over search_campaign_id
            return lead_list == list_id
        if campaign_id is not None:
            row = self.state.lists.get(lead_list)
            return row is not None and row["campaign_id"] == campaign_id
        return True

    def _duplicates(self, phone: str, check_dup: int, list_id: int) -> bool:
        """check_dup: 1 (and 4) whole office, 2 the target list, 3 its campaign."""
        same_phone = self.state.lead_index["phone_number"].get(phone)
        if not same_phone:
            return False
        if check_dup in (1, 4):
            return True
        if check_dup == 2:
            return any(self._lead_in_scope(lid, list_id, None) for lid in same_phone)
        campaign_id = self.state.lists[list_id]["campaign_id"]
        return any(self._lead_in_scope(lid, None, campaign_id) for lid in same_phone)


def _text_predicate(pos: int, wanted: str) -> Any:
    folded = wanted.casefold()
    return lambda lead, _custom: (lead[pos] or "").casefold() == folded


def _date_predicate(pos: int, bound: str, kind: str) -> Any:
    # Timestamps are "YYYY-MM-DD HH:MM:SS", so string order is time order.
    if kind == "start":
        return lambda lead, _custom: lead[pos] is not None and lead[pos] >= bound
    return lambda lead, _custom: lead[pos] is not None and lead[pos] <= bound


def _custom_predicate(key: str, wanted: str) -> Any:
    folded = wanted.casefold()
    return lambda _lead, custom: (
        custom is not None and str(custom.get(key, "")).casefold() == folded
    )


def _member_predicate(members: set[int]) -> Any:
    return lambda lead, _custom: int(lead[0]) in members
