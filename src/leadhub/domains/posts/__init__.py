"""Posts: drafts and scheduled posts with follow-ups, published by a job, and their engagement."""
