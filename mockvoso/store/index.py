"""A secondary index: key -> ids in a fixed order, so a filtered page is a slice, not a scan."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Hashable, Iterable
from typing import Self

_EMPTY: list[int] = []


class SortedIndex:
    """Maps a key to the ascending list of ids that carry it.

    Lists (not sets) so that a page of results in id order is a slice, and a count is
    len(): search cost then depends on the page size, not on the office's size.

    Copies share their buckets until one side writes (copy-on-write per key): a reset
    or snapshot copies only the key -> list mapping, which keeps a reset of a 100k-lead
    office in milliseconds and the seeded and live states from doubling memory.
    """

    __slots__ = ("_ids", "_owned")

    def __init__(self, ids: dict[Hashable, list[int]] | None = None) -> None:
        self._ids: dict[Hashable, list[int]] = ids if ids is not None else {}
        # Keys whose list this index alone holds; every other list may be shared.
        self._owned: set[Hashable] = set(self._ids)

    @classmethod
    def build(cls, pairs: Iterable[tuple[Hashable, int]]) -> SortedIndex:
        """Index (key, id) pairs given in order (ascending ids: appends stay sorted)."""
        ids: dict[Hashable, list[int]] = {}
        for key, record_id in pairs:
            if key is None:
                continue
            bucket = ids.get(key)
            if bucket is None:
                ids[key] = [record_id]
            else:
                bucket.append(record_id)
        return cls(ids)

    def _writable(self, key: Hashable) -> list[int] | None:
        bucket = self._ids.get(key)
        if bucket is not None and key not in self._owned:
            bucket = self._ids[key] = bucket.copy()
            self._owned.add(key)
        return bucket

    def add(self, key: Hashable, record_id: int) -> None:
        if key is None:
            return
        bucket = self._writable(key)
        if bucket is None:
            self._ids[key] = [record_id]
            self._owned.add(key)
        elif not bucket or bucket[-1] < record_id:
            bucket.append(record_id)  # the common case: new ids are the largest
        else:
            insort(bucket, record_id)

    def remove(self, key: Hashable, record_id: int) -> None:
        if key is None or not self._ids.get(key):
            return
        bucket = self._writable(key)
        assert bucket is not None
        pos = self._position(bucket, record_id)
        if pos is not None:
            del bucket[pos]
            if not bucket:
                del self._ids[key]
                self._owned.discard(key)

    @staticmethod
    def _position(bucket: list[int], record_id: int) -> int | None:
        pos = bisect_left(bucket, record_id)
        return pos if pos < len(bucket) and bucket[pos] == record_id else None

    def get(self, key: Hashable) -> list[int]:
        """The ids for key (possibly shared: callers must not mutate it)."""
        return self._ids.get(key, _EMPTY)

    def keys(self) -> Iterable[Hashable]:
        return self._ids.keys()

    def copy(self) -> Self:
        """A copy in O(keys): both sides now share every bucket until they write."""
        clone = type(self).__new__(type(self))
        clone._ids = dict(self._ids)
        clone._owned = set()
        self._owned = set()
        return clone


class OrderedIndex(SortedIndex):
    """Maps a key to ids kept in a caller-given rank order (call logs by call date).

    Call-log rows are never edited through the API, only removed with their lead, so
    ids are only ever removed (by a scan: the order is not the id order).
    """

    __slots__ = ()

    @staticmethod
    def _position(bucket: list[int], record_id: int) -> int | None:
        try:
            return bucket.index(record_id)
        except ValueError:
            return None

    def add(self, key: Hashable, record_id: int) -> None:  # pragma: no cover - guard
        raise TypeError("call-log indexes are built once, never appended to")
