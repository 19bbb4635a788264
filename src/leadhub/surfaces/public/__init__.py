"""Public pages: hosted forms at /f (and, later, lead-magnet pages)."""
