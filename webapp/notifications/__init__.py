"""In-app notifications (and, later, e-mail) about what happens to a person's requests and responses."""
