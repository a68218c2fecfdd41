"""Passes: class packs, memberships and intro offers, paid through Stripe, spent as credits.

models (Pass, Purchase, CreditEntry), ledger (every credit movement, under the client's lock),
selectors (balances, history, what a client may buy), stripe (the Stripe calls), services
(buying, Stripe's news applied once), webhooks (the events the Stripe endpoint hands over),
tasks (the expiry job), api, views, urls.
"""
