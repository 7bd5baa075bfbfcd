"""Webinars: one-hour online sessions with registration and a private join link."""
