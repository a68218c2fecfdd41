"""Payments for bookings through Stripe: checkout hooks (services), the refund policy (refunds),
following PaymentIntents (sync, transitions, webhooks), reports (selectors, panels), pages and API."""
