"""Pipelines and their stages."""
