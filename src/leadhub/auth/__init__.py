"""Who is calling: principals, API keys, scopes, passwords."""
