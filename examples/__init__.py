"""Runnable examples of testing Convoso client code with mockvoso (run by the test suite)."""
