"""Privacy: export and erase everything held about one person."""
