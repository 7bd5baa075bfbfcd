"""The JSON API (read-only for the public, plus registration) and schedule interchange."""
