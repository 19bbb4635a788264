"""The job queue: huey from the settings, the runner, the embedded consumer, the sweeper."""
