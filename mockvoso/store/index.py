"""A secondary index: key -> ids in a fixed order, so a filtered page is a slice, not a scan."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Hashable, Iterable, Sequence
from typing import Self

_EMPTY: tuple[int, ...] = ()
# A key held by one record (a phone, an e-mail: most keys) maps to the bare id, not a
# one-element list: at a million leads that saves ~60 bytes a key, hundreds of MB.
Bucket = int | list[int]


class SortedIndex:
    """Maps a key to the ascending list of ids that carry it.

    Lists (not sets) so that a page of results in id order is a slice, and a count is
    len(): search cost then depends on the page size, not on the office's size.

    Copies share everything until one side writes: the key -> bucket mapping itself
    until that side's first write (then it copies the mapping, O(keys)), and each key's
    list until that side writes to that key (copy-on-write per key). A reset or snapshot
    therefore costs O(1) per index, and the seeded state and the live state (a copy of
    it) hold one mapping between them, not two: measured at 1M leads, the copy made at
    start-up went from +170 MiB to +72 MiB of RSS (the index mappings; what is left is the
    state's own dicts). The first write to a big index after a reset pays its copy
    instead: ~17 ms for a 1M-key mapping (phones, e-mails at 1M leads).
    """

    __slots__ = ("_ids", "_owned", "_shared")

    def __init__(self, ids: dict[Hashable, Bucket] | None = None) -> None:
        self._ids: dict[Hashable, Bucket] = ids if ids is not None else {}
        # Keys whose list this index alone holds (every other list may be shared), or
        # None while it has never been copied and so holds all of them.
        self._owned: set[Hashable] | None = None
        # True while _ids may be another index's mapping too (copied on the first write).
        self._shared = False

    @classmethod
    def build(cls, pairs: Iterable[tuple[Hashable, int]]) -> Self:
        """Index (key, id) pairs given in order (ascending ids: appends stay sorted).

        Tried instead: a stable sort of positions by key, then a slice per run of equal
        keys. Slower on the columns a restore indexes (34 columns of 0.7k-100k keys,
        best of 5: this loop 153 ms, the sort 534 ms): sorting compares strings, this
        loop only hashes them."""
        ids: dict[Hashable, Bucket] = {}
        get = ids.get  # this loop runs ~10M times at a 1M-lead start
        for key, record_id in pairs:
            bucket = get(key)
            if bucket is None:
                ids[key] = record_id
            elif isinstance(bucket, int):
                ids[key] = [bucket, record_id]
            else:
                bucket.append(record_id)
        ids.pop(None, None)  # null values are not indexed
        return cls(ids)

    @classmethod
    def from_columns(cls, keys: Sequence[Hashable], ids: Sequence[int]) -> Self:
        """build(zip(keys, ids)), at C speed when no key repeats (phones, e-mails: then
        every bucket is a bare id and the mapping is dict(zip(...)) itself). Measured at
        100k leads: phone index 15 -> 11 ms, e-mail 25 -> 17 ms (best of 5); a column
        with repeats costs one extra dict(zip(...)) (~3 ms at 100k for statuses)."""
        mapping: dict[Hashable, Bucket] = dict(zip(keys, ids, strict=True))
        if len(mapping) != len(ids):
            return cls.build(zip(keys, ids, strict=True))
        mapping.pop(None, None)  # null values are not indexed
        return cls(mapping)

    def _own_mapping(self) -> dict[Hashable, Bucket]:
        """The key -> bucket mapping, this index's own (copied if it may be shared)."""
        if self._shared:
            self._ids = dict(self._ids)
            self._shared = False
        return self._ids

    def _writable(self, key: Hashable) -> list[int]:
        """The key's list, owned by this index (made from a bare id or a shared list)."""
        self._own_mapping()
        bucket = self._ids[key]
        if isinstance(bucket, int):
            bucket = self._ids[key] = [bucket]
            if self._owned is not None:
                self._owned.add(key)
        elif self._owned is not None and key not in self._owned:
            bucket = self._ids[key] = bucket.copy()
            self._owned.add(key)
        return bucket

    def add(self, key: Hashable, record_id: int) -> None:
        if key is None:
            return
        if key not in self._ids:
            self._own_mapping()[key] = record_id
            return
        bucket = self._writable(key)
        if bucket[-1] < record_id:
            bucket.append(record_id)  # the common case: new ids are the largest
        else:
            insort(bucket, record_id)

    def remove(self, key: Hashable, record_id: int) -> None:
        bucket = self._ids.get(key) if key is not None else None
        if bucket is None:
            return
        if isinstance(bucket, int):
            if bucket == record_id:
                del self._own_mapping()[key]
            return
        bucket = self._writable(key)
        pos = self._position(bucket, record_id)
        if pos is not None:
            del bucket[pos]
            if not bucket:
                del self._ids[key]
                if self._owned is not None:
                    self._owned.discard(key)

    @staticmethod
    def _position(bucket: list[int], record_id: int) -> int | None:
        pos = bisect_left(bucket, record_id)
        return pos if pos < len(bucket) and bucket[pos] == record_id else None

    def get(self, key: Hashable) -> Sequence[int]:
        """The ids for key (possibly shared: callers must not mutate it)."""
        bucket = self._ids.get(key, _EMPTY)
        return (bucket,) if isinstance(bucket, int) else bucket

    def keys(self) -> Iterable[Hashable]:
        return self._ids.keys()

    def copy(self) -> Self:
        """A copy in O(1): both sides now share the mapping and every bucket until they
        write (each side copies what it writes to, so neither sees the other's writes)."""
        clone = type(self).__new__(type(self))
        clone._ids = self._ids
        clone._owned = set()
        clone._shared = self._shared = True
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
        raise TypeError("call-log indexes keep a rank order: use append()")

    def append(self, key: Hashable, record_id: int) -> None:
        """Put record_id last under key: the dialer's new calls come after every other."""
        if key is None:
            return
        if key not in self._ids:
            self._own_mapping()[key] = record_id
            return
        self._writable(key).append(record_id)
