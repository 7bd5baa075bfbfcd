"""iCalendar: building calendars, the feed routes, add-to-calendar links."""
