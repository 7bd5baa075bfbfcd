"""Speakers: global profiles and their roles on sessions."""
