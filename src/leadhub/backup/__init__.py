"""`leadhub backup` and `leadhub restore`: the database and the data directory's files in one
archive, taken while the node runs, and put back all or nothing."""
