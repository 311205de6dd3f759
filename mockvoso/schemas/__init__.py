"""Shared input fields, argument loading and output building blocks (each action's own schemas
live with it in mockvoso/actions/<resource>.py)."""
