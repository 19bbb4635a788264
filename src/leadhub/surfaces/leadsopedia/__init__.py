"""Leadsopedia's API (lists, contacts, downloads, account) served at /compat/leadsopedia/v1."""
