"""Impact reports for the city: figures per period, district, wijk, category and societal goal; map, trend
charts and exports. Small numbers are suppressed everywhere (see suppression.py)."""
