"""Other areas' public pages that list write-ups (the meeting page, a session's page, the showcase
recap, the ideas library) are cached by version; a write-up dated ahead becomes public by the clock
alone, so their cache versions add followup's publish boundary, which they reach through this floor."""
from mipevents.followup.queries import PublishBoundary, publish_boundary

__all__ = ["PublishBoundary", "publish_boundary"]
