"""`mockvoso proxy`: the mock's control plane, faults and rate limits in front of a real API.

Every /v1 call is forwarded unchanged (method, query, body, auth) and answered with the
upstream's status, content type and body bytes; the journal records it with the contract's
verdict. Writes are refused unless allowed. Built by create_proxy_app(settings), the app
factory `mockvoso serve`'s machinery loads (MOCKVOSO_APP), so granian and waitress both work.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from mockvoso.config import Settings
from mockvoso.errors import HTTPError
from mockvoso.upstream import contract
from mockvoso.upstream.battery import is_read
from mockvoso.upstream.client import DEFAULT_TIMEOUT, Upstream, UpstreamError

if TYPE_CHECKING:
    from flask import Flask, Response

# The proxy's own options travel to granian's worker process in this variable, next to
# the MOCKVOSO_* settings (which serve() exports itself).
PROXY_ENV = "MOCKVOSO_PROXY"
PROXY_APP = "mockvoso.upstream.proxy:create_proxy_app"
# Request headers passed on as they are; hop-by-hop ones (Host, Connection, ...) are not.
FORWARD_HEADERS: tuple[str, ...] = ("Content-Type", "Authorization", "Accept", "X-Office-Acronym")
WRITE_REFUSED = (
    "mockvoso proxy: {action} writes to the upstream; refused (start the proxy with"
    " --allow-writes to forward writes)"
)


@dataclass(frozen=True)
class ProxyOptions:
    upstream: str
    allow_writes: bool = False
    record: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ProxyOptions:
        raw = os.environ.get(PROXY_ENV)
        if not raw:
            raise RuntimeError(f"{PROXY_ENV} is not set: start the proxy with `mockvoso proxy`")
        return cls(**json.loads(raw))


def create_proxy_app(
    settings: Settings, *, options: ProxyOptions | None = None, upstream: Upstream | None = None
) -> Flask:
    """The mock's app with every /v1 route forwarding to the upstream."""
    from flask import current_app, g, request

    from mockvoso.api.params import read_params
    from mockvoso.app import create_app
    from mockvoso.upstream.cassettes import Recorder
    from mockvoso.wire import endpoint_name
    from mockvoso.world import TokenGrant

    options = options or ProxyOptions.from_env()
    # The mock still seeds a world (the control plane and dashboard need one); keep it small.
    app = create_app(settings)
    client = upstream or Upstream(options.upstream, timeout=options.timeout, rate=0)
    recorder = Recorder(options.record) if options.record else None
    state = app.extensions["mockvoso"]
    first_office = next(iter(state.world.offices))
    seen_tokens: set[str] = set()

    def pipeline() -> None:
        """In front of the upstream: write refusal, then the mock's rate limit and faults."""
        from time import perf_counter

        from mockvoso.api.auth import token_from

        ctx = g._get_current_object()
        req = request._get_current_object()  # type: ignore[attr-defined]
        ctx.started = perf_counter()
        # The body is forwarded as received, so read it once here (under the mock's body
        # limit) and let the parameter reader parse a copy.
        req.max_content_length = state.settings.max_body_bytes
        ctx.raw_body = req.get_data(cache=True)
        req.environ["wsgi.input"] = io.BytesIO(ctx.raw_body)
        req.environ["CONTENT_LENGTH"] = str(len(ctx.raw_body))
        params = ctx.params = read_params(req, state.settings.max_body_bytes)
        name = endpoint_name(req.path)
        token = token_from(params, req.headers) or ""
        if token:
            seen_tokens.add(token)
        # Any token goes through (the upstream judges it); the grant only keys the mock's
        # per-token rate limit and office-scoped fault rules.
        ctx.grant = TokenGrant(token=token, office=first_office, sections=frozenset())
        if not options.allow_writes and not is_read(name):
            raise HTTPError(403, WRITE_REFUSED.format(action=name))
        state.police(name, req.method, ctx.grant, req.headers, ctx)

    def forward(**_: Any) -> Response:
        req = request._get_current_object()  # type: ignore[attr-defined]
        name = endpoint_name(req.path)
        headers = {h: req.headers[h] for h in FORWARD_HEADERS if h in req.headers}
        try:
            answer = client.send(
                req.method,
                req.path,
                query=req.environ.get("QUERY_STRING", ""),
                body=g.raw_body or None,
                headers=headers,
            )
        except UpstreamError as exc:
            raise HTTPError(502, f"mockvoso proxy: {exc}") from None
        g.upstream = _verdict(name, answer.status, answer.document, answer.is_json)
        if recorder is not None:
            recorder.save(
                name,
                req.method,
                dict(g.params),
                answer.status,
                answer.content_type,
                answer.body,
                tuple(seen_tokens),
            )
        response: Response = current_app.response_class(answer.body, status=answer.status)
        response.headers["Content-Type"] = answer.content_type or "application/octet-stream"
        for name_ in ("Retry-After",):
            if name_.lower() in answer.headers:
                response.headers[name_] = answer.headers[name_.lower()]
        return response

    # Each action's view becomes the forwarder; unknown actions (ones mockvoso does not
    # implement yet) reach the upstream through the catch-all, under the same pipeline
    # (an endpoint named "v1.*" belongs to the v1 blueprint and runs its hooks).
    for endpoint in list(app.view_functions):
        if endpoint.startswith("v1."):
            app.view_functions[endpoint] = forward
    app.add_url_rule(
        "/v1/<path:action>",
        endpoint="v1.proxy_any",
        view_func=forward,
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    )
    app.before_request_funcs["v1"] = [pipeline]
    _journal_verdicts(state, seen_tokens)
    app.extensions["mockvoso_proxy"] = options
    return app


def _verdict(action: str, status: int, document: Any, is_json: bool) -> dict[str, Any]:
    """The contract's verdict on one upstream answer, as the journal shows it."""
    if not is_json:
        return {"verdict": "differs", "problems": ["$: not JSON"]}
    if not contract.has_action(action):
        return {"verdict": "not in contract", "problems": []}
    found = contract.check(action, status, document)
    if found is None:
        return {"verdict": "differs", "problems": [f"$: no answer at HTTP {status}"]}
    problems = [f"{v.path}: {v.problem}" for v in found]
    return {"verdict": "differs" if problems else "match", "problems": problems}


def _journal_verdicts(state: Any, tokens: set[str]) -> None:
    """Journal entries gain `upstream` (the verdict); the upstream's tokens are masked."""
    from flask import g, has_request_context

    from mockvoso.faults.journal import mask_params

    journal = state.journal
    record = journal.record

    def record_with_verdict(entry: dict[str, Any]) -> dict[str, Any]:
        if has_request_context():
            verdict = g.get("upstream")
            if verdict is not None:
                entry = {**entry, "upstream": verdict}
            entry["params"] = mask_params(entry.get("params") or {})
            body = entry.get("response", {}).get("body")
            if isinstance(body, str):
                for token in tuple(tokens):  # a copy: other threads add to the set
                    if token and token in body:
                        body = body.replace(token, token[:4] + "****")
                entry["response"] = {**entry["response"], "body": body}
        return record(entry)

    journal.record = record_with_verdict
