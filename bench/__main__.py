"""`python -m bench`: run the measurements, print a table, write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from types import FrameType

from bench import baseline, machine, report, servers
from bench.context import Context, Options
from bench.sections import SECTIONS

RESULTS = Path(__file__).with_name("RESULTS.md")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: short, small sizes")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(SECTIONS),
        metavar="NAME",
        help=f"run only this section (repeatable): {', '.join(SECTIONS)}",
    )
    parser.add_argument("--duration", type=float, help="seconds measured per load point")
    parser.add_argument(
        "--tool",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator (auto: wrk when installed)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"markdown report path (default: {RESULTS.name} for a full run, none otherwise)",
    )
    parser.add_argument(
        "--baseline",
        default=baseline.DEFAULT_REV,
        metavar="REV",
        help=f"the older commit the page rows are measured against, side by side "
        f"(default {baseline.DEFAULT_REV}, issue 15's 'today'; 'none' skips it)",
    )
    parser.add_argument(
        "--soak",
        type=float,
        nargs="?",
        const=10.0,
        metavar="MINUTES",
        help="instead of the measurements: mixed load on a real server for MINUTES "
        "(default 10), exit 1 on an unintended 5xx, a lost write or RSS growth",
    )
    return parser.parse_args(argv)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.soak is not None:
        from bench import soak

        signal.signal(signal.SIGTERM, _on_signal)
        try:
            return soak.run(args.soak)
        finally:
            servers.stop_all()
    rev = None if args.baseline.lower() == "none" else args.baseline
    options = Options.for_run(args.quick, args.duration, args.tool, rev)
    names = args.only or list(SECTIONS)
    output = args.output or (RESULTS if not args.quick and not args.only else None)
    signal.signal(signal.SIGTERM, _on_signal)
    info = machine.describe()
    ctx = Context(options)
    print(f"bench: {', '.join(names)} with {ctx.tool}; load {info[machine.LOAD_KEY]}", flush=True)
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("bench: the machine is busy (load above its core count): expect noisy figures")
    started = time.perf_counter()
    sections: list[report.Section] = []
    try:
        for name in sorted(names, key=list(SECTIONS).index):
            print(f"bench: {name} …", file=sys.stderr, flush=True)
            load_before = machine.load_average()
            t0 = time.perf_counter()
            try:
                section = SECTIONS[name](ctx)
            except Exception as exc:  # one failed measurement must not lose the others
                traceback.print_exc()
                section = report.Section(name, f"{name}: FAILED", ["error"], [[repr(exc)]])
            section.seconds = time.perf_counter() - t0
            section.load_before = load_before
            sections.append(section)
            print(report.render_section(section), flush=True)
    finally:
        ctx.close()
        servers.stop_all()
    total = time.perf_counter() - started
    load_after = machine.load_average()
    print(report.render_checks(sections))
    print(f"\nbench: {total:.0f} s; load average now {load_after}")
    if output is not None:
        command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
        text = report.render_markdown(sections, info, command.strip(), load_after, total, ctx.notes)
        report.write(output, text)
        print(f"bench: wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
