"""Agenda: sessions (AgendaItem), their placement, conflicts and published releases."""
