"""Pages of the booking engine: the public flow (public) and the staff pages (staff)."""
