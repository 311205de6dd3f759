"""The state file (--state-file): atomic saves of the compact stream, checked before a load."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from mockvoso.store.state import OfficeState
from mockvoso.store.stream import StreamError, dump_stream, load_stream, verify_stream


class StateFile:
    """One path. A save writes a temporary file in the same folder, fsyncs it, renames it
    over the path and fsyncs the folder: a crash at any point leaves the previous file
    whole. `fsync` and `replace` are seams for tests that simulate that crash."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        fsync: Callable[[int], None] = os.fsync,
        replace: Callable[[str, str], None] = os.replace,
    ) -> None:
        self.path = Path(path)
        self._fsync = fsync
        self._replace = replace
        self._lock = threading.Lock()  # one save at a time (interval thread, POST, shutdown)
        self.gzipped = self.path.name.endswith(".gz")

    def exists(self) -> bool:
        return self.path.is_file()

    def _lines(self) -> Iterator[bytes]:
        try:
            with self._open_read() as handle:
                yield from handle
        except (gzip.BadGzipFile, EOFError) as exc:
            raise StreamError(f"damaged: {exc}") from None

    def _open_read(self) -> io.BufferedIOBase:
        if self.gzipped:
            return gzip.GzipFile(self.path, "rb")
        return open(self.path, "rb")

    def verify(self) -> list[str]:
        """Header, checksum and trailer (no records built); the offices it holds.

        Raises StreamError (another version, damaged, truncated) or OSError."""
        return verify_stream(self._lines())

    def load(self, seeded: Mapping[str, OfficeState]) -> dict[str, OfficeState]:
        """Every office's state from the file; raises StreamError, installs nothing."""
        return load_stream(self._lines(), seeded)

    def save(self, states: Mapping[str, OfficeState]) -> int:
        """Write states atomically; the number of bytes written (before gzip)."""
        folder = self.path.parent
        with self._lock:
            fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
            size = 0
            try:
                with os.fdopen(fd, "wb") as raw:
                    out: io.BufferedIOBase = raw
                    if self.gzipped:
                        out = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1)
                    for chunk in dump_stream(states):
                        out.write(chunk)
                        size += len(chunk)
                    if out is not raw:
                        out.close()  # writes the gzip trailer into raw
                    raw.flush()
                    self._fsync(raw.fileno())
                self._replace(temp, str(self.path))
            except BaseException:
                _unlink(temp)
                raise
            _fsync_dir(folder, self._fsync)
            return size


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_dir(folder: Path, fsync: Callable[[int], None]) -> None:
    """The rename itself is durable only once the folder's entry is on disk."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder we just wrote into
        return
    try:
        fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(fd)


def check_state_file(path: str, offices: list[str]) -> None:
    """At start, before any server: a damaged file, one of another version or one naming
    offices this data does not have is refused with one line (ValueError)."""
    state_file = StateFile(path)
    if not state_file.path.parent.is_dir():
        raise ValueError(f"state_file: {state_file.path.parent}: no such folder")
    if not state_file.exists():
        if state_file.path.exists():
            raise ValueError(f"state_file: {path}: not a regular file")
        return  # seeded as usual, written at the first save
    try:
        held = state_file.verify()
    except StreamError as exc:
        raise ValueError(f"state_file: {path}: {exc}") from None
    unknown = sorted(set(held) - {acronym.upper() for acronym in offices})
    if unknown:
        raise ValueError(
            f"state_file: {path}: holds offices this data does not have: {', '.join(unknown)}"
        )


class PeriodicSaver:
    """Saves every `interval` seconds from a daemon thread until stop(); a failed save is
    reported on stderr and retried at the next tick. `wait` is a seam for tests."""

    def __init__(self, save: Callable[[], Any], interval: float) -> None:
        self._save = save
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mockvoso-state-saver", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def tick(self) -> None:
        try:
            self._save()
        except (OSError, ValueError) as exc:
            print(f"mockvoso: periodic state save failed: {exc}", file=sys.stderr, flush=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.tick()
