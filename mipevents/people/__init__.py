"""People: one human by case-folded email, and the private tokens that stand for them."""
