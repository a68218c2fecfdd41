"""Reminders: kinds, offsets, scheduling and sending (services), what they say (messages), the
specialist's daily agenda, practice nudges, the staff page and API."""
