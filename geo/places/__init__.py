"""Places: the admin units of China and their names (`gazetteer`), and the places and slogans a text names (`mentions`)."""
