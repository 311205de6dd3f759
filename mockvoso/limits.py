"""Bounds on what clients can grow or send, each refused with a precise error (no Flask)."""

from __future__ import annotations

from mockvoso.errors import HTTPError

V1_PREFIX = "/v1/"

# Leads one office may hold (--max-leads). Generous: two million leads is ~1.5 GB of RSS,
# far past what a CI fixture needs, yet it stops a runaway insert loop before the host's
# memory does.
DEFAULT_MAX_LEADS = 2_000_000
# Longest query string mockvoso answers. granian refuses a request line over 64 KiB itself
# (414, empty body) before the app sees it; below that this limit answers the JSON
# envelope instead. 32 KiB holds ~3,000 lead ids of a leads/search GET.
MAX_QUERY_BYTES = 32 * 1024
TEXT_QUERY_TOO_LONG = "Query string too long"
TEXT_TOO_MANY_LEADS = "Insufficient Storage"


class LeadLimitReached(HTTPError):
    """HTTP 507 Insufficient Storage: the office already holds --max-leads leads.

    Not a Convoso domain error (HTTP 200, success false): Convoso documents no such limit,
    and a client's domain-error handling would read it as a bad lead. Not 429 either: a
    client would back off and retry for ever. 507 says the server cannot store more, and
    the text says what to do.
    """

    def __init__(self, office: str, limit: int) -> None:
        super().__init__(
            507,
            f"{TEXT_TOO_MANY_LEADS}: office {office} holds {limit} leads, the --max-leads "
            "limit; delete leads or reset the office",
        )


def check_query_length(path: str, size: int) -> None:
    """A /v1 query string over MAX_QUERY_BYTES answers 414 with Convoso's envelope.

    Only /v1: the control plane's few query parameters are short, and its routes are left
    to the server's own limit (granian: 414 with no body past a 64 KiB request line).
    """
    if size > MAX_QUERY_BYTES and path.startswith(V1_PREFIX):
        raise HTTPError(
            414,
            f"{TEXT_QUERY_TOO_LONG} ({size} bytes; limit {MAX_QUERY_BYTES} bytes); "
            "send the parameters in a POST body",
        )
