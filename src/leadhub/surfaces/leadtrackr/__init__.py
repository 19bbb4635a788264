"""LeadTrackr's API, served under /compat/leadtrackr."""
