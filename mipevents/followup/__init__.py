"""After the event: materials, write-ups (/stories/), surveys and the follow-up email."""
