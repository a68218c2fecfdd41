"""The owner's reports: utilisation, revenue, no-shows and late cancellations, new and returning
clients, for any date range, week by week. Money comes from bookings/money.py only."""
