"""Automations: a trigger, conditions on the lead, and actions to run in order."""
