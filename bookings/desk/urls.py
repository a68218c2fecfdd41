"""Pages of the desk (included at the site root)."""

from django.urls import path

from .views import desk_record

urlpatterns = [
    path(
        "studio/bookings/<int:pk>/desk/payment/",
        desk_record,
        {"kind": "payment"},
        name="booking-desk-payment",
    ),
    path(
        "studio/bookings/<int:pk>/desk/refund/",
        desk_record,
        {"kind": "refund"},
        name="booking-desk-refund",
    ),
]
