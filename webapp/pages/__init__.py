"""Pages that belong to no feature: the home page, the language switcher, the health check."""
