"""Value-free shapes of JSON answers: key paths with JSON types and counts, compared key by key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Keys that are really values (ids, phone numbers, e-mails used as map keys) would leak
# data into a report and make two accounts' shapes differ for no reason: one wildcard.
_VALUE_KEY = re.compile(r"^(?:[0-9][0-9._:-]*|[^@\s]+@[^@\s]+|.{65,})$")
WILDCARD_KEY = "{key}"


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def safe_key(key: str) -> str:
    """A map key as it may appear in a shared report: value-like keys become {key}."""
    return WILDCARD_KEY if _VALUE_KEY.match(key) else key


@dataclass
class PathShape:
    """Every JSON type seen at one path, and how many values were seen there."""

    types: set[str]
    count: int = 0


def shape_of(document: Any) -> dict[str, PathShape]:
    """{"$.data.entries[*].id": PathShape({"string"}, 5), ...}; array items are merged."""
    out: dict[str, PathShape] = {}

    def walk(value: Any, path: str) -> None:
        found = out.setdefault(path, PathShape(set()))
        found.types.add(json_type(value))
        found.count += 1
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{safe_key(str(key))}")
        elif isinstance(value, list):
            for item in value:
                walk(item, f"{path}[*]")

    walk(document, "$")
    return out


@dataclass(frozen=True)
class Difference:
    """One key-level difference between the upstream's answer and mockvoso's."""

    path: str
    kind: str  # "key missing" (mockvoso has it, upstream not), "extra key", "type differs"
    upstream: str  # the types seen upstream, "a|b", or "-" when absent
    mock: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "upstream": self.upstream, "mock": self.mock}


def _types(shape: PathShape | None) -> str:
    return "|".join(sorted(shape.types)) if shape else "-"


def _under_unseen_items(path: str, seen_arrays: dict[str, PathShape]) -> bool:
    """True when an array on the path's way held no item on this side: nothing to compare."""
    for i in range(len(path)):
        if path.startswith("[*]", i):
            array = path[:i]
            if array in seen_arrays and f"{array}[*]" not in seen_arrays:
                return True
    return False


def compare(upstream: dict[str, PathShape], mock: dict[str, PathShape]) -> list[Difference]:
    """Key-by-key differences, sorted by path. Paths under an empty array on one side are
    not compared (an empty page proves nothing about its items' keys)."""
    out: list[Difference] = []
    for path in sorted(set(upstream) | set(mock)):
        up, mo = upstream.get(path), mock.get(path)
        if (up is None or mo is None) and path.endswith("[*]"):
            continue  # items of an array one side left empty (or sent as another type)
        if up is None:
            if (
                mo is not None
                and not _under_unseen_items(path, upstream)
                and _parent_present(path, upstream)
            ):
                out.append(Difference(path, "key missing", "-", _types(mo)))
        elif mo is None:
            if not _under_unseen_items(path, mock) and _parent_present(path, mock):
                out.append(Difference(path, "extra key", _types(up), "-"))
        elif _types_differ(up.types, mo.types):
            out.append(Difference(path, "type differs", _types(up), _types(mo)))
    return out


def _types_differ(upstream: set[str], mock: set[str]) -> bool:
    # A side that only ever saw null says the page held empty values, not which type the
    # key has: only two concrete type sets can differ.
    up, mo = upstream - {"null"}, mock - {"null"}
    return bool(up) and bool(mo) and up != mo


def _parent_present(path: str, shapes: dict[str, PathShape]) -> bool:
    """Report only the top of a missing subtree: its parent exists as an object."""
    parent = path[: path.rfind(".")] if "." in path else "$"
    return parent in shapes and "object" in shapes[parent].types


def shape_report(shapes: dict[str, PathShape]) -> list[dict[str, Any]]:
    """The shape as plain JSON: path, types, count. No values."""
    return [
        {"path": path, "types": sorted(s.types), "count": s.count}
        for path, s in sorted(shapes.items())
    ]
