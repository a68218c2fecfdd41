"""What apps may import from studio: errors, pagination, schema, fields, parsers, memory, the
outbox, jobs, raw SQL helpers (sql), the `id` path converter (converters) and the dashboard
panel type. It imports no app (accounts, programs, bookings)."""
