"""Printed documents: a briefing book per person and meeting, and the print pack for the door."""
