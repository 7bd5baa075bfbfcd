"""Email: the persistent outbox, message building and SMTP delivery."""
