"""A secondary index: key -> ids in a fixed order, so a filtered page is a slice, not a scan."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Hashable, Iterable

_EMPTY: list[int] = []


class SortedIndex:
    """Maps a key to the ascending list of ids that carry it.

    Lists (not sets) so that a page of results in id order is a slice, and a count
    is len(): search cost then depends on the page size, not on the office's size.
    """

    __slots__ = ("_ids",)

    def __init__(self, ids: dict[Hashable, list[int]] | None = None) -> None:
        self._ids: dict[Hashable, list[int]] = ids if ids is not None else {}

    @classmethod
    def build(cls, pairs: Iterable[tuple[Hashable, int]]) -> SortedIndex:
        """Index (key, id) pairs given in ascending id order (appends stay sorted)."""
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

    def add(self, key: Hashable, record_id: int) -> None:
        if key is None:
            return
        bucket = self._ids.get(key)
        if bucket is None:
            self._ids[key] = [record_id]
        elif not bucket or bucket[-1] < record_id:
            bucket.append(record_id)  # the common case: new ids are the largest
        else:
            insort(bucket, record_id)

    def remove(self, key: Hashable, record_id: int) -> None:
        if key is None:
            return
        bucket = self._ids.get(key)
        if not bucket:
            return
        pos = bisect_left(bucket, record_id)
        if pos < len(bucket) and bucket[pos] == record_id:
            del bucket[pos]
            if not bucket:
                del self._ids[key]

    def get(self, key: Hashable) -> list[int]:
        """The ids for key (a shared list: callers must not mutate it)."""
        return self._ids.get(key, _EMPTY)

    def keys(self) -> Iterable[Hashable]:
        return self._ids.keys()

    def copy(self) -> SortedIndex:
        return SortedIndex({key: bucket.copy() for key, bucket in self._ids.items()})


class OrderedIndex:
    """Maps a key to ids kept in a caller-given rank order (call logs by call date).

    Call-log rows are never edited through the API, only removed with their lead, so
    the rank of each id is fixed once seeded and appends never happen.
    """

    __slots__ = ("_ids",)

    def __init__(self, ids: dict[Hashable, list[int]] | None = None) -> None:
        self._ids: dict[Hashable, list[int]] = ids if ids is not None else {}

    @classmethod
    def build(cls, pairs: Iterable[tuple[Hashable, int]]) -> OrderedIndex:
        """Index (key, id) pairs given in rank order."""
        return cls(SortedIndex.build(pairs)._ids)

    def remove(self, key: Hashable, record_id: int) -> None:
        bucket = self._ids.get(key)
        if bucket and record_id in bucket:
            bucket.remove(record_id)
            if not bucket:
                del self._ids[key]

    def get(self, key: Hashable) -> list[int]:
        return self._ids.get(key, _EMPTY)

    def keys(self) -> Iterable[Hashable]:
        return self._ids.keys()

    def copy(self) -> OrderedIndex:
        return OrderedIndex({key: bucket.copy() for key, bucket in self._ids.items()})
