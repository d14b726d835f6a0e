"""The city's front door for volunteering: everything that fits a person in one ranked list (help requests,
initiative needs, organisations' vacancies, activities with places), their applications and their agenda, and alerts
when a vacancy that fits them appears."""
