"""The baseline column: an older commit's `mockvoso serve`, run side by side with this one.

The commit is extracted with `git archive REV | tar -x` into a temporary folder (no
worktree is registered) and served by this venv's Python with that folder first on
PYTHONPATH. Before any figure is taken, a child with the very same environment must
import `mockvoso` from that folder: the editable install's finder must not win, or the
"baseline" would silently be today's code.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import servers

DEFAULT_REV = "227825f"  # HEAD when issue 15 was filed: "today's commit" of its page targets


class BaselineError(RuntimeError):
    """The baseline commit cannot be extracted, or its code is not what would run."""


@dataclass(frozen=True)
class Baseline:
    """An extracted commit: its full sha, short name and source tree."""

    rev: str
    sha: str
    root: Path

    @property
    def label(self) -> str:
        return f"baseline {self.sha[:7]}"


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(servers.REPO), *args], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise BaselineError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def extract(rev: str, into: Path | None = None) -> Baseline:
    """`git archive REV | tar -x -C <temp dir>`; raises BaselineError on any failure."""
    sha = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    root = Path(into or tempfile.mkdtemp(prefix=f"mockvoso-baseline-{sha[:7]}-"))
    root.mkdir(parents=True, exist_ok=True)
    archive = subprocess.Popen(
        ["git", "-C", str(servers.REPO), "archive", sha], stdout=subprocess.PIPE
    )
    untar = subprocess.run(["tar", "-x", "-C", str(root)], stdin=archive.stdout, timeout=120)
    if archive.stdout is not None:
        archive.stdout.close()
    if archive.wait(60) != 0 or untar.returncode != 0:
        raise BaselineError(f"git archive {sha[:7]} | tar -x failed")
    baseline = Baseline(rev, sha, root)
    check_runs_its_own_code(baseline)
    return baseline


def imported_from(root: Path) -> Path:
    """Where `import mockvoso` resolves in a child run like the baseline's server."""
    done = subprocess.run(
        [sys.executable, "-c", "import mockvoso; print(mockvoso.__file__)"],
        cwd=root,
        env=servers.mockvoso_env(root),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise BaselineError(f"cannot import mockvoso from {root}: {done.stderr.strip()[-300:]}")
    return Path(done.stdout.strip()).resolve()


def check_runs_its_own_code(baseline: Baseline) -> None:
    """Raise unless the baseline's server would import mockvoso from its own tree."""
    module = imported_from(baseline.root)
    if not module.is_relative_to(baseline.root.resolve()):
        raise BaselineError(
            f"{baseline.label}: `import mockvoso` resolves to {module}, not to the "
            f"extracted tree {baseline.root}: the figures would be today's code"
        )


def start(baseline: Baseline) -> servers.Server:
    """The baseline commit's `python -m mockvoso serve` on its own default data.

    --data names its bundled folder: the editable install maps the package
    mockvoso.seed_data to this checkout's seed_data/, which the old loader would
    otherwise find (and reject, or worse, accept) through importlib.resources.
    """
    data = baseline.root / "seed_data"
    return servers.start_mockvoso(
        "--data", str(data), name=f"mockvoso-{baseline.sha[:7]}", root=baseline.root
    )
