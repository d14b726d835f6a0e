"""Suggestions from the matching engine: "Aanbevolen voor jou" and suggested volunteers."""
