"""Results: per-section tables and target checks, printed and written as bench/RESULTS.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Check:
    """One figure against its target; met is None when it could not be measured."""

    what: str
    value: str
    target: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: "n/a"}[self.met]


@dataclass
class Section:
    """One measurement's table, its target checks and notes."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load_before: str = ""
    seconds: float = 0.0


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 100 else f"{value:.0f} ms"


def secs(value: float) -> str:
    return f"{value:.2f} s"


def rate(value: float) -> str:
    return f"{value:,.0f}"


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def ratio(value: float) -> str:
    return f"{value:.2f}x"


def _md_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _text_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(columns, *rows, strict=False)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for row in rows:
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return out


CHECK_COLUMNS = ["section", "figure", "value", "target", "verdict"]


def _check_rows(sections: list[Section]) -> list[list[str]]:
    return [[s.name, c.what, c.value, c.target, c.verdict] for s in sections for c in s.checks]


def render_section(section: Section) -> str:
    """One section for the console: title, table, notes."""
    out = ["", f"== {section.title}  [{section.seconds:.0f} s, load {section.load_before}]"]
    out += _text_table(section.columns, section.rows)
    out += [f"   note: {n}" for n in section.notes]
    return "\n".join(out)


def render_checks(sections: list[Section]) -> str:
    """Every target of the run for the console."""
    return "\n".join(["", "== Targets", *_text_table(CHECK_COLUMNS, _check_rows(sections))])


def render_markdown(
    sections: list[Section],
    machine: dict[str, str],
    command: str,
    load_after: str,
    total_seconds: float,
    notes: list[str],
) -> str:
    """bench/RESULTS.md: machine, targets summary, then each section's figures."""
    checks = [c for s in sections for c in s.checks]
    met = sum(c.met is True for c in checks)
    missed = sum(c.met is False for c in checks)
    out = [
        "# mockvoso benchmark results",
        "",
        f"Written by `{command}` in {total_seconds:.0f} s. Re-run it to refresh this file.",
        "Figures from a shared 2-core machine are noisy: compare within one run, and read",
        "the load average (other jobs' tests ran at the same time) next to each section.",
        "",
        "## Machine",
        "",
        *_md_table(["", ""], [[k, v] for k, v in machine.items()]),
        f"| load average at end | {load_after} |",
        "",
        f"## Targets ({met} met, {missed} missed, {len(checks) - met - missed} n/a)",
        "",
        *_md_table(CHECK_COLUMNS, _check_rows(sections)),
    ]
    for section in sections:
        out += [
            "",
            f"## {section.title}",
            "",
            f"`--only {section.name}` · {section.seconds:.0f} s · load average before: "
            f"{section.load_before}",
            "",
            *_md_table(section.columns, section.rows),
        ]
        if section.notes:
            out += ["", *[f"- {n}" for n in section.notes]]
    if notes:
        out += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(out) + "\n"


def write(path: Path, text: str) -> None:
    path.write_text(text)
