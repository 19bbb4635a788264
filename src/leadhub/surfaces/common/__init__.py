"""What every surface shares: runtime, request context, principal, rate limits, error boundary."""
