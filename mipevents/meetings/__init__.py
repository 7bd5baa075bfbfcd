"""Meetings: the convening itself, its venue and rooms, its time zone, and publishing."""
