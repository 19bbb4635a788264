"""The surfaces LeadHub serves: the native API, the product dialects, public pages, the web app."""
