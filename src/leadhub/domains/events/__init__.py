"""What happened to leads: recorded with their changes, read as a timeline."""
