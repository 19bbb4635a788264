"""Exports (Leadsopedia's downloads): files of leads written by a job, paid for in credits."""
