"""Calendars: bookings as iCalendar events (events, ics), subscribable feeds (feeds, program_feed),
a specialist's own calendars (connections, caldav, busy_import, outbound guard), pages and API."""
