"""Give freed heap memory back to the system after a restore replaced a large state."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from typing import Any


@functools.cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:  # pragma: no cover - no C library to load
        return None
    return libc if hasattr(libc, "malloc_trim") else None  # glibc only (not musl)


def release_free_memory() -> None:
    """glibc keeps a freed state's pages in each thread's malloc arena; after a restore
    that replaced a large state, malloc_trim(0) hands them back, so the process does not
    grow by the size of a state with every restore served by another thread."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
