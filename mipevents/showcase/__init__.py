"""Innovation Showcase: lightning slots, their timing, and the live run."""
