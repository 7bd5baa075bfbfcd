"""Open calls: cohort applications and showcase proposals, review and decisions."""
