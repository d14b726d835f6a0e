"""Resident initiatives and volunteering organisations: needs, sign-ups, backing, activities and staff support."""
