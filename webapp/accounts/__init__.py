"""People: registration, login, roles, and the volunteer profile."""
