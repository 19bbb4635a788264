"""The `leadhub` command."""
