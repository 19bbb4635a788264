"""The account's audit log: who did what."""
