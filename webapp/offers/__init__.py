"""Offers (aanbod): a volunteer offers help; residents browse and ask."""
