"""Query-parameter filters shared by the bookings API's staff lists."""

from rest_framework import serializers


def filter_by_booking(queryset, request):
    """Narrow a queryset of rows with a `booking` to `?booking=<id>`; a non-number is a 400."""
    booking = request.query_params.get("booking", "")
    if not booking:
        return queryset
    if not booking.isdigit():
        raise serializers.ValidationError({"booking": ["A booking id is a number."]})
    return queryset.filter(booking_id=int(booking))
