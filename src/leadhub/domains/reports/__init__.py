"""Reports: counts of leads, stages and submissions for the dashboard."""
