"""The web app: the admin panel people work their leads in."""
