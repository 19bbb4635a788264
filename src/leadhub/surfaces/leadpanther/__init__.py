"""The LeadPanther API v1 dialect, mounted at /compat/leadpanther."""
