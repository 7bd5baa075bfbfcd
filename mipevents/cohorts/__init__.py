"""Cohorts: programmes (e.g. Women Mayors' Network), their cohorts and members."""
