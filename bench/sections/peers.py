"""One-hit leads/search against the bare Flask stack and Prism, interleaved in one run."""

from __future__ import annotations

import statistics
from urllib.parse import urlencode

from bench import api, servers
from bench.bare_app import HEALTH, one_hit_body
from bench.context import Context
from bench.load import LoadResult, Request
from bench.report import Check, Section, ms, rate, ratio

CONNECTIONS = 32
PATH = "/v1/leads/search"
PRISM = 1.2  # mockvoso ≥ 1.2 x Prism (issue #15)
BARE = 0.85  # mockvoso ≥ 85 % of bare Flask on the same server (issue #15)


def _start_peers(ctx: Context, probe: bytes) -> tuple[servers.Server, servers.Server | None]:
    bare = ctx.bare_server()
    health = api.call(bare.url, "GET", "/_mockvoso/health").json()
    if health != HEALTH:
        raise servers.ServerError("MOCKVOSO_APP was ignored: mockvoso answered, not bare_app")
    why = servers.prism_available()
    if why is not None:
        ctx.notes.append(f"Prism not measured: {why}.")
        return bare, None
    ctx.log("starting Prism with npx (the first run downloads it)")
    ctx.prism_version = servers.prism_version()
    try:
        prism = servers.start_prism(probe)
    except servers.ServerError as exc:
        ctx.notes.append(f"Prism not measured: {exc}.")
        return bare, None
    return bare, prism


def _measure(
    ctx: Context, contenders: list[tuple[str, servers.Server, str]]
) -> dict[str, list[LoadResult]]:
    """A long first warm-up each, then interleaved rounds (drifting load hits all alike)."""
    results: dict[str, list[LoadResult]] = {name: [] for name, _, _ in contenders}
    seconds = max(2.0, ctx.options.duration * 0.6)
    for name, server, form in contenders:  # Node's JIT needs seconds of traffic
        ctx.log(f"warming up {name}")
        ctx.load(server.url, Request(PATH, form), CONNECTIONS, max(1.5, 5 * ctx.options.warmup))
    for round_no in range(ctx.options.peer_rounds):
        for name, server, form in contenders:
            ctx.log(f"round {round_no + 1}: {name}")
            results[name].append(ctx.load(server.url, Request(PATH, form), CONNECTIONS, seconds))
    return results


def _ratio_check(
    what: str, mine: list[LoadResult], theirs: list[LoadResult] | None, target: float
) -> Check:
    """Median over rounds of mockvoso's req/s / the other's in the same round."""
    if not theirs:
        return Check(what, "not measured", f"≥ {target:.2f}x", None)
    ratios = [a.rps / b.rps for a, b in zip(mine, theirs, strict=True) if b.rps]
    value = statistics.median(ratios)
    shown = f"{ratio(value)} (rounds {', '.join(f'{r:.2f}' for r in ratios)})"
    return Check(what, shown, f"≥ {target:.2f}x", value >= target)


def run(ctx: Context) -> Section:
    mock = ctx.default_server()
    target = api.discover(mock.url)
    body = f"auth_token={target.token}&phone_number={target.phone}"
    peer_phone = one_hit_body()["data"]["entries"][0]["phone_number"]
    peer_body = urlencode({"auth_token": target.token, "phone_number": peer_phone})
    bare, prism = _start_peers(ctx, peer_body.encode())
    contenders = [("mockvoso", mock, body), ("bare Flask", bare, peer_body)]
    if prism is not None:
        contenders.append(("Prism", prism, peer_body))
    try:
        sizes = {
            name: len(api.call(server.url, "POST", PATH, form, api.FORM).body)
            for name, server, form in contenders
        }
        results = _measure(ctx, contenders)
    finally:
        if prism is not None:
            servers.stop(prism)
    section = Section(
        "peers",
        f"2. One-hit leads/search vs the stack's limit and the fastest peer ({CONNECTIONS} conns)",
        ["server", "body bytes", "req/s (median)", "req/s per round", "p50", "p99", "errors"],
    )
    for name, runs in results.items():
        section.rows.append(
            [
                name,
                str(sizes[name]),
                rate(statistics.median(r.rps for r in runs)),
                " / ".join(rate(r.rps) for r in runs),
                ms(statistics.median(r.p50_ms for r in runs)),
                ms(statistics.median(r.p99_ms for r in runs)),
                str(sum(r.errors for r in runs)),
            ]
        )
    mine = results["mockvoso"]
    section.checks.append(
        _ratio_check("mockvoso / bare Flask, one-hit search", mine, results["bare Flask"], BARE)
    )
    section.checks.append(
        _ratio_check("mockvoso / Prism, one-hit search", mine, results.get("Prism"), PRISM)
    )
    section.notes.append(
        "bare Flask = bench/bare_app.py (dict lookup + jsonify) run by `mockvoso serve` itself "
        "(MOCKVOSO_APP seam): the same granian, options and thread count. Prism = "
        f"`npx {servers.PRISM_PACKAGE} mock bench/prism.yaml -v silent` (Prism "
        f"{ctx.prism_version or 'not run'}, static example). A first warm-up each, then "
        f"{ctx.options.peer_rounds} interleaved rounds; ratios are the median of the "
        "per-round ratios."
    )
    return section
