"""The contract as served: openapi.yaml's text, its JSON and a dict, each generated once."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

# There is no copy of openapi.yaml in the package: the server serves what its own action
# table generates (mockvoso.contract.build), which CI proves equal to the committed file.


@cache
def spec_bytes() -> bytes:
    """openapi.yaml exactly as `mockvoso spec --write` writes it."""
    from mockvoso.contract.build import document_text  # lazy: apispec only when asked

    return document_text().encode("utf-8")


def spec_text() -> str:
    """openapi.yaml as text (what `mockvoso spec` prints)."""
    return spec_bytes().decode("utf-8")


@cache
def spec_json() -> bytes:
    """The document as compact JSON, converted once per process."""
    from mockvoso.contract.build import build_document

    return json.dumps(build_document(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def spec_dict() -> dict[str, Any]:
    """A fresh copy of the document as plain JSON data (callers may change it)."""
    document: dict[str, Any] = json.loads(spec_json())
    return document
