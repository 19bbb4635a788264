"""Domain services: the rules, with no knowledge of HTTP."""
