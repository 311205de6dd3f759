"""The public path of the control client: `from mockvoso.client import Control`."""

from mockvoso.testing.client import Control, ControlError, InProcessControl, MockvosoControl

__all__ = ["Control", "ControlError", "InProcessControl", "MockvosoControl"]
