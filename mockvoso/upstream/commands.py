"""The `verify`, `proxy` and `clone-seed` subcommands (parsers and runners)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from mockvoso.upstream.client import DEFAULT_RATE, DEFAULT_TIMEOUT

TOKEN_ENV = "MOCKVOSO_UPSTREAM_TOKEN"
PROXY_KEYS = ("upstream", "allow_writes", "record", "upstream_timeout")


def _token_help() -> str:
    return f"the upstream's auth_token (or set {TOKEN_ENV}, which keeps it out of `ps`)"


def add_parsers(sub: Any, add_serve_options: Callable[[Any], None]) -> None:
    v = sub.add_parser("verify", help="check a real Convoso (or any upstream) against mockvoso")
    v.add_argument("--upstream", required=True, help="base URL, e.g. https://api.convoso.com")
    v.add_argument("--token", help=_token_help())
    v.add_argument("--report", metavar="FILE", help="write a JSON report with no values in it")
    v.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        help=f"requests/s upstream (default {DEFAULT_RATE:g}; 0: no pacing, local only)",
    )
    v.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds per request (default {DEFAULT_TIMEOUT:g})",
    )

    p = sub.add_parser("proxy", help="serve the control plane and faults in front of an upstream")
    add_serve_options(p)
    p.add_argument("--upstream", required=True, help="base URL every /v1 call is forwarded to")
    p.add_argument(
        "--allow-writes", action="store_true", help="forward writes (refused by default)"
    )
    p.add_argument("--record", metavar="DIR", help="save each exchange, redacted, as a cassette")
    p.add_argument(
        "--upstream-timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per upstream call"
    )

    c = sub.add_parser("clone-seed", help="write a seed folder shaped like a real account")
    source = c.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="source", metavar="DIR", help="a folder of cassettes")
    source.add_argument("--upstream", help="read the account live (needs --token)")
    c.add_argument("--token", help=_token_help())
    c.add_argument("--out", required=True, metavar="SEED_DIR", help="the seed folder to write")
    c.add_argument("--acronym", default="CLONE", help="the cloned office's acronym (CLONE)")
    c.add_argument("--seed", type=int, default=1234, help="Faker seed of the regenerated people")
    c.add_argument("--rate", type=float, default=DEFAULT_RATE, help="requests/s upstream")
    c.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")


def _usage(message: str) -> int:
    print(f"mockvoso: {message}", file=sys.stderr)
    return 2


def _check_url(url: str) -> str | None:
    if not url.startswith(("http://", "https://")):
        return f"--upstream must be an http:// or https:// URL, not {url!r}"
    return None


def verify(args: argparse.Namespace) -> int:
    from mockvoso.upstream.client import Upstream
    from mockvoso.upstream.contract import ContractUnavailable
    from mockvoso.upstream.verify import print_table, run_battery, write_report

    token = args.token or os.environ.get(TOKEN_ENV)
    problem = _check_url(args.upstream) or (
        None if token else f"--token (or {TOKEN_ENV}) is required"
    )
    if problem or args.rate < 0 or args.timeout <= 0:
        return _usage(problem or "--rate must be >= 0 (0: no pacing) and --timeout positive")
    upstream = Upstream(args.upstream, timeout=args.timeout, rate=args.rate)
    try:
        run = run_battery(upstream, str(token))
    except ContractUnavailable as exc:
        return _usage(str(exc))
    print_table(run, sys.stdout)
    if args.report:
        try:
            write_report(run, args.report)
        except OSError as exc:
            return _usage(f"cannot write {args.report}: {exc.strerror}")
    return run.exit_code


def proxy(args: argparse.Namespace) -> int:
    from mockvoso.serving.cli import serve
    from mockvoso.serving.wsgi import APP_ENV
    from mockvoso.upstream.proxy import PROXY_APP, PROXY_ENV, ProxyOptions

    problem = _check_url(args.upstream)
    if problem:
        return _usage(problem)
    from mockvoso.upstream.contract import MISSING_JSONSCHEMA, available

    if not available():  # the journal's contract verdicts need it
        return _usage(MISSING_JSONSCHEMA.removeprefix("mockvoso: "))
    options = ProxyOptions(args.upstream, args.allow_writes, args.record, args.upstream_timeout)
    os.environ[APP_ENV] = PROXY_APP
    os.environ[PROXY_ENV] = options.to_env()
    serve_args = argparse.Namespace(**{k: v for k, v in vars(args).items() if k not in PROXY_KEYS})
    if not args.quiet:
        writes = "forwarded" if args.allow_writes else "refused (--allow-writes to forward)"
        print(
            f"mockvoso proxy: /v1 goes to {args.upstream}; writes {writes}. Send your"
            " upstream token: the proxy does not use the mock tokens listed below.",
            file=sys.stderr,
            flush=True,
        )
    return serve(serve_args)


def clone_seed(args: argparse.Namespace) -> int:
    from mockvoso.upstream.clone_seed import answers_from_cassettes, write_seed

    if args.source:
        if not os.path.isdir(args.source):
            return _usage(f"--from {args.source}: not a folder of cassettes")
        answers = answers_from_cassettes(args.source)
        if not answers:
            return _usage(f"--from {args.source}: no cassettes with a successful answer")
    else:
        from mockvoso.upstream.client import Upstream
        from mockvoso.upstream.verify import run_battery

        token = args.token or os.environ.get(TOKEN_ENV)
        problem = _check_url(args.upstream) or (
            None if token else "--token is required with --upstream"
        )
        if problem:
            return _usage(problem)
        collected: dict[str, Any] = {}

        def keep(action: str, params: dict[str, Any], answer: Any) -> None:
            if answer.status == 200 and isinstance(answer.document, dict):
                collected[action] = answer.document

        run = run_battery(
            Upstream(args.upstream, timeout=args.timeout, rate=args.rate),
            str(token),
            on_answer=keep,
        )
        if run.stopped:
            return _usage(run.stopped)
        answers = collected
    path, warnings = write_seed(answers, args.out, acronym=args.acronym, seed=args.seed)
    for warning in warnings:
        print(f"mockvoso clone-seed: {warning}", file=sys.stderr)
    print(f"mockvoso clone-seed: wrote {path}; serve it with `mockvoso serve --data {args.out}`")
    return 0
