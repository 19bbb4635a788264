"""Where uploaded bytes live: the local data directory or an S3-compatible bucket."""
