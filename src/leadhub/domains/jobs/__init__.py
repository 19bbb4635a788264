"""Background jobs: the outbox, handlers, retries with backoff."""
