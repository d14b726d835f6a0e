"""Reference data: Haarlem's geography (stadsdelen, wijken, buurten, postcodes) and the category taxonomy."""
