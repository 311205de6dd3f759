"""mockvoso: a faithful, fault-injecting mock of the Convoso v1 REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from mockvoso.testing.intercept import intercept as intercept


def __getattr__(name: str) -> Any:
    # Lazy: `import mockvoso` must not pull in requests/httpx/responses/respx (or
    # Flask); only touching mockvoso.intercept imports that module. The module is
    # callable (see mockvoso/testing/intercept.py), so mockvoso.intercept(...) calls intercept().
    if name == "intercept":
        import importlib

        return importlib.import_module("mockvoso.testing.intercept")
    raise AttributeError(f"module 'mockvoso' has no attribute {name!r}")
