"""HTML pages of the accounts app, one module per concern."""
