"""The owner's /studio/settings/ pages: studio details and policies, services, staff, payment
status. They gather several apps, so they live in studio/; the rules live in the apps' services
(accounts/studio_settings.py, bookings/catalog/services.py, accounts/staff.py)."""
