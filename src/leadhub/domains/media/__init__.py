"""Media: files uploaded through signed, expiring URLs and served publicly once stored."""
