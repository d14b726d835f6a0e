"""Help requests (vraag), responses (reactie) and matches: the heart of the marketplace."""
