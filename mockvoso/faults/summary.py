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


def response_summary(response: Response, tokens: Iterable[str]) -> dict[str, Any]:
    """{"bytes": body length, "body": its first SUMMARY_CHARS characters, "truncated"}."""
    if response.is_streamed:  # never for /v1 answers; reading it would consume the stream
        return {"bytes": None, "body": "", "truncated": False}
    raw = response.get_data()
    # A UTF-8 character is at most 4 bytes: this many bytes always hold SUMMARY_CHARS.
    read = SUMMARY_CHARS * 4 + _TOKEN_SLACK
    text = raw[:read].decode("utf-8", "replace")
    for token in tokens:
        if token in text:
            text = text.replace(token, token[:4] + MASK)
    truncated = len(text) > SUMMARY_CHARS or len(raw) > read
    return {"bytes": len(raw), "body": text[:SUMMARY_CHARS], "truncated": truncated}
