"""A small Convoso client and its tests, written against the production URL."""
