"""Hooks through which other apps join a client's export and erasure (accounts imports no app).

- `client_export`: sent with `client=`; each receiver returns a dict of JSON-ready sections
  (e.g. {"bookings": [...]}) that is merged into GET /api/clients/{id}/export/.
- `client_erase`: sent with `client=` and `now=` inside the erasure transaction; each receiver
  scrubs what it stores about the person (free-text notes, comments) but keeps rows needed for
  accounting. Raising aborts the whole erasure.
"""

from django.dispatch import Signal

client_export = Signal()
client_erase = Signal()
