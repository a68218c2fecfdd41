"""Query-parameter filters shared by the bookings API's staff lists."""

from studio.kernel.fields import query_id


def filter_by_booking(queryset, request):
    """Narrow a queryset of rows with a `booking` to `?booking=<id>`; anything but an id (a
    whole number from 1 to 2**63 - 1) is a 400 naming the parameter."""
    booking = query_id(request, "booking")
    return queryset if booking is None else queryset.filter(booking_id=booking)
