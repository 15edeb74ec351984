"""Behaviour of the quality records (content_types.quality): rights, services with their stage
guards, reminders, exports and the admin views."""
