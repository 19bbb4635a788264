"""Database plumbing: declarative base, engine, unit of work, migrations."""
