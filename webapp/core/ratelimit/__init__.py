"""Rate limits and the failed-login back-off, with counters every worker shares (the database by default)."""
