"""A bounded, token-masked summary of a /v1 response body, kept in its journal entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response

from mockvoso.faults.journal import MASK

# Enough of a body to see what a client got (an envelope, an error, the first rows),
# small enough that a full journal stays a few MiB and a poll of it stays quick.
SUMMARY_CHARS = 1024
# Tokens are masked before the cut, so a token straddling the cut cannot leak a prefix.
_TOKEN_SLACK = 256


# A UTF-8 character is at most 4 bytes: this many bytes always hold SUMMARY_CHARS.
HEAD_BYTES = SUMMARY_CHARS * 4 + _TOKEN_SLACK


def response_head(response: Response) -> tuple[bytes, int | None]:
    """The first HEAD_BYTES of a response body and its length: all a summary needs
    (kept instead of the body, which may be a page of megabytes)."""
    if response.is_streamed:  # never for /v1 answers; reading it would consume the stream
        return b"", None
    raw = response.get_data()
    return raw[:HEAD_BYTES], len(raw)


def summarise(head: bytes, size: int | None, tokens: Iterable[str]) -> dict[str, Any]:
    """{"bytes": body length, "body": its first SUMMARY_CHARS characters, "truncated"}."""
    if size is None:
        return {"bytes": None, "body": "", "truncated": False}
    text = head.decode("utf-8", "replace")
    for token in tokens:
        if token in text:
            text = text.replace(token, token[:4] + MASK)
    truncated = len(text) > SUMMARY_CHARS or size > len(head)
    return {"bytes": size, "body": text[:SUMMARY_CHARS], "truncated": truncated}
