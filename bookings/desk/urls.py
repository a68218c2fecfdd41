"""Pages of the desk (included at the site root)."""

from django.urls import path

from .book import staff_book, staff_reschedule
from .views import desk_record

urlpatterns = [
    path("studio/book/", staff_book, name="staff-book"),
    path("studio/bookings/<id:pk>/move/", staff_reschedule, name="booking-staff-move"),
    path(
        "studio/bookings/<id:pk>/desk/payment/",
        desk_record,
        {"kind": "payment"},
        name="booking-desk-payment",
    ),
    path(
        "studio/bookings/<id:pk>/desk/refund/",
        desk_record,
        {"kind": "refund"},
        name="booking-desk-refund",
    ),
]
