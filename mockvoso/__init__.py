"""mockvoso: a faithful, fault-injecting mock of the Convoso v1 REST API."""

__version__ = "0.1.0"
