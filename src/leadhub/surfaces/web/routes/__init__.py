"""Web app routes, one module per area."""
