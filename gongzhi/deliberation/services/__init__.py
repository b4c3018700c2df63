"""Writes of deliberation. Every write names its actor; the API, pages, tasks and seeding call these."""
