"""What a user's test suite imports: the pytest plugin, interception, the control client."""
