"""A plan's text: a file decoded and normalised (`decode`, `textnorm`), its clause tree (`clauses`), bundled plans (`plans`)."""
