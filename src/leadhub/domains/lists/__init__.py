"""Lists of leads (Leadsopedia's contact lists)."""
