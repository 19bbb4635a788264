"""Apikeys."""
