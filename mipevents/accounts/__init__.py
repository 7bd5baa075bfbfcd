"""Staff accounts: login, roles, password resets and the audit log."""
