"""Cassettes: one JSON file per proxied exchange, redacted before it is written."""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path
from typing import Any

from mockvoso.upstream.redact import redact, scrub

CASSETTE_VERSION = 1


class Recorder:
    """Writes cassettes into a folder: NNNNNN-<action>.json, in arrival order."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        start = len(list(self.folder.glob("*.json")))
        self._numbers = itertools.count(start + 1)
        self._lock = threading.Lock()

    def save(
        self,
        action: str,
        method: str,
        params: dict[str, Any],
        status: int,
        content_type: str,
        body: bytes,
        tokens: tuple[str, ...],
    ) -> Path:
        """Redact and write one exchange. Tokens never reach the file."""
        try:
            document: Any = json.loads(body)
            response: dict[str, Any] = {"json": redact(document, action, tokens)}
        except (ValueError, UnicodeDecodeError):
            # A non-JSON page (an HTML error) is kept only as its size: it may quote anything.
            response = {"bytes": len(body)}
        cassette = {
            "cassette": CASSETTE_VERSION,
            "action": action,
            "method": method,
            "params": redact(params, action, tokens),
            "status": status,
            "content_type": scrub(content_type, tokens),
            **response,
        }
        with self._lock:
            number = next(self._numbers)
        path = self.folder / f"{number:06d}-{action.replace('/', '_')}.json"
        text = json.dumps(cassette, indent=1, ensure_ascii=False) + "\n"
        for token in tokens:  # belt and braces: a token echoed under an unexpected key
            if token:
                text = text.replace(token, "[token]")
        path.write_text(text, encoding="utf-8")
        return path


def read_cassettes(folder: str | Path) -> list[dict[str, Any]]:
    """Every cassette of a folder, in file-name (arrival) order."""
    out: list[dict[str, Any]] = []
    for path in sorted(Path(folder).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("cassette") == CASSETTE_VERSION:
            out.append(doc)
    return out
