"""Serving the mock: the CLI, granian/waitress servers, the WSGI entry and start-up helpers."""
