"""Forms, their submissions, and the public pages that collect them."""
