"""Privacy (AVG/GDPR): download your data, delete your account, retention of closed requests, the statement."""
