"""The `mockvoso` command: `serve`, `spec`, and `verify`/`proxy`/`clone-seed` (upstream/)."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import Any

from mockvoso import __version__
from mockvoso.config import Settings, load_settings
from mockvoso.upstream import commands as upstream_commands


def _serve_parser(sub: Any) -> None:
    _serve_options(sub.add_parser("serve", help="run the mock server (granian, many threads)"))


def _serve_options(p: Any) -> None:
    """`serve`'s options; `proxy` takes the same ones."""
    d = Settings()
    p.add_argument("--host", help=f"address to bind (default {d.host})")
    p.add_argument("--port", type=int, help=f"port (default {d.port}; 0 picks a free one)")
    p.add_argument("--seed", type=int, help=f"seed of data and random faults (default {d.seed})")
    p.add_argument("--leads", type=int, help=f"leads per office (default {d.leads})")
    p.add_argument("--data", help="a folder of office YAML files (default: the bundled seed_data)")
    p.add_argument(
        "--token",
        dest="tokens",
        action="append",
        help="an extra full-access token for the first office (repeatable)",
    )
    p.add_argument("--clock", help="anchor of seeded timestamps, e.g. 2026-01-01T00:00:00")
    p.add_argument("--config", help="a YAML or JSON file of settings")
    p.add_argument(
        "--require-office", action="store_const", const=True, help="officeAcronym must be sent"
    )
    p.add_argument(
        "--legacy-auth-status",
        action="store_const",
        const=True,
        help="answer 401/403 auth errors at HTTP 200 (same body)",
    )
    p.add_argument(
        "--log-window",
        choices=["today", "all"],
        help="log/retrieve without start_time/end_time: today (default) or the whole log",
    )
    p.add_argument(
        "--bad-value-status",
        type=int,
        choices=[400, 200],
        help="HTTP status of a wrong-type value (default 400; 200 = Convoso-style success:false)",
    )
    p.add_argument(
        "--max-body-bytes", type=int, help=f"/v1 body limit (default {d.max_body_bytes})"
    )
    p.add_argument(
        "--max-leads",
        type=int,
        help=f"leads one office may hold; leads/insert past it answers HTTP 507 "
        f"(default {d.max_leads:,})",
    )
    p.add_argument("--threads", type=int, help=f"server threads (default {d.threads})")
    p.add_argument(
        "--server", choices=["granian", "waitress"], help="WSGI server (default granian)"
    )
    p.add_argument("--latency", type=int, help="added latency in ms on every /v1 request")
    p.add_argument("--jitter", type=int, help="± jitter in ms on that latency")
    p.add_argument("--error-rate", type=float, help="fraction of /v1 requests answered HTTP 500")
    p.add_argument("--rate-limit", help="per-token limit N/S, e.g. 3/60")
    p.add_argument("--faults", help="a YAML or JSON file of fault rules")
    p.add_argument(
        "--journal-size", type=int, help=f"request journal size (default {d.journal_size})"
    )
    p.add_argument("--admin-token", help="require X-Mockvoso-Admin-Token on /_mockvoso/*")
    p.add_argument(
        "--dial-rate",
        type=float,
        help="simulated dialer: calls per agent per hour when the clock advances with dial",
    )
    p.add_argument(
        "--public-url",
        help="base of recording links (default: the origin each request came to)",
    )
    p.add_argument(
        "--allow-open-control",
        action="store_const",
        const=True,
        help="start on a non-loopback --host without --admin-token (see SECURITY.md)",
    )
    p.add_argument(
        "--state-file",
        help="load the data from PATH at start if it exists; save it there on shutdown",
    )
    p.add_argument(
        "--state-save-interval",
        type=int,
        metavar="SECONDS",
        help="also save the state file every SECONDS (default 0: only on shutdown and on demand)",
    )
    p.add_argument(
        "--no-fault-headers",
        dest="fault_headers",
        action="store_const",
        const=False,
        help="ignore X-Mockvoso-Fault request headers",
    )
    p.add_argument("--quiet", action="store_const", const=True, help="print nothing when ready")


def _print_ready(url: str, settings: Settings) -> None:
    import urllib.request  # here, not at the top: ~60 ms off every start

    from mockvoso.wire import ADMIN_HEADER, CONTROL_PREFIX

    request = urllib.request.Request(f"{url}{CONTROL_PREFIX}/offices")
    if settings.admin_token:
        request.add_header(ADMIN_HEADER, settings.admin_token)
    with urllib.request.urlopen(request, timeout=5) as response:
        offices = json.load(response)["offices"]
    lines = [f"mockvoso {__version__} serving the Convoso API at {url}/v1"]
    for office in offices:
        lines.append(f"  office {office['acronym']} ({office['name']})")
        for token in office["tokens"]:
            lines.append(f"    auth_token={token['token']}  sections={','.join(token['sections'])}")
    lines.append(f"dashboard: {url}{CONTROL_PREFIX}/ui")
    lines.append(f"control plane: {url}{CONTROL_PREFIX}  (Ctrl-C to stop)")
    print("\n".join(lines), flush=True)


def _stop_while_starting(signum: int, frame: Any) -> None:
    # Until a server installs its own handlers, SIGTERM would kill the process with no
    # clean-up (exit -15); as KeyboardInterrupt, serve() unwinds and answers 0. The flag
    # stops the server anyway should that exception be swallowed on its way up.
    from mockvoso.serving.server import STOP_REQUESTED

    STOP_REQUESTED.set()
    raise KeyboardInterrupt


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve(args: argparse.Namespace) -> int:
    """Run the server; a stop at any moment of start-up is quiet and answers 0."""
    from mockvoso.serving.server import STOP_REQUESTED

    STOP_REQUESTED.clear()
    previous = {sig: signal.signal(sig, _stop_while_starting) for sig in _STOP_SIGNALS}
    try:
        return _serve(args)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM before a server had its own handlers
        return 0
    finally:
        for sig, handler in previous.items():  # main() may be called in-process (tests)
            signal.signal(sig, handler)


def _serve(args: argparse.Namespace) -> int:
    from mockvoso.serving.server import CannotListen
    from mockvoso.serving.server import serve as run_server
    from mockvoso.serving.validate import validate_settings

    cli = {k: v for k, v in vars(args).items() if k not in ("command", "config")}
    try:
        settings = load_settings(cli, config_file=args.config)
        validate_settings(settings)
    except (OSError, ValueError) as exc:
        print(f"mockvoso: {exc}", file=sys.stderr)
        return 2

    from mockvoso.serving.validate import is_loopback

    if not is_loopback(settings.host) and not settings.admin_token:
        # Only with --allow-open-control (validate_settings refuses otherwise).
        print(
            f"mockvoso: warning: the control plane /_mockvoso is open to anyone who can reach "
            f"{settings.host}:{settings.port} (no --admin-token)",
            file=sys.stderr,
        )

    def on_ready(url: str) -> None:
        if settings.quiet:
            return
        # OSError: the server went away between its health answer and the banner's
        # request, i.e. a stop (SIGTERM, Ctrl-C) during start-up. Nothing to announce.
        with contextlib.suppress(OSError):
            _print_ready(url, settings)

    try:
        return run_server(settings, on_ready=on_ready)
    except CannotListen as exc:
        print(f"mockvoso: {exc}", file=sys.stderr)
        return 2


def spec(args: argparse.Namespace) -> int:
    """Print openapi.yaml, write it (--write), or check a file against the code (--check)."""
    from mockvoso.spec import spec_text

    text = spec_text()
    if args.write is None and args.check is None:
        sys.stdout.write(text)
        return 0
    path = Path(args.write or args.check)
    if args.write is not None:
        path.write_text(text, encoding="utf-8")
        print(f"mockvoso: wrote {path}", file=sys.stderr)
        return 0
    try:
        committed = path.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"mockvoso: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    if committed != text:
        print(
            f"mockvoso: {path} differs from the contract the code generates; "
            "run `mockvoso spec --write` and commit it",
            file=sys.stderr,
        )
        return 1
    print(f"mockvoso: {path} is what the code generates", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mockvoso", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mockvoso {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve_parser(sub)
    upstream_commands.add_parsers(sub, _serve_options)
    spec_parser = sub.add_parser("spec", help="print, write or check openapi.yaml")
    mode = spec_parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--write", nargs="?", const="openapi.yaml", metavar="PATH", help="write it (openapi.yaml)"
    )
    mode.add_argument(
        "--check",
        nargs="?",
        const="openapi.yaml",
        metavar="PATH",
        help="exit 1 when PATH (openapi.yaml) differs from what the code generates",
    )
    args = parser.parse_args(argv)
    return {
        "serve": serve,
        "spec": spec,
        "verify": upstream_commands.verify,
        "proxy": upstream_commands.proxy,
        "clone-seed": upstream_commands.clone_seed,
    }[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
