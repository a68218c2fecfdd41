"""Group classes: series and occurrences, places as bookings, waitlists, shared resources.

A class place is a `Booking` linked to a `ClassOccurrence` (`Booking.occurrence`), so manage
links, feeds, invites, reminders and the cancel policy work for it as for a private session.
models (the rows), series (wall-clock dates of a weekly series), services (writes), selectors
(reads), waitlist (offers and claims), resources (units of rooms and equipment), tasks, api,
views, urls.
"""
