"""Work that spans several areas: import and generation, the demo, duplication, the home page, scheduled jobs, erasure."""
