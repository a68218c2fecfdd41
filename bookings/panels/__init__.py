"""Dashboard panels of the bookings app, one module per concern (see studio/views.py)."""
