"""Accounts nobody can take over: two-factor login, API tokens that end, sessions that end, security events."""
