"""Payment pages and the Stripe webhook (included at the site root)."""

from django.urls import path

from . import payments_views, stripe_webhooks

urlpatterns = [
    path("webhooks/stripe/", stripe_webhooks.stripe_webhook, name="stripe-webhook"),
    path("bookings/pay/<str:token>/", payments_views.pay, name="payments-pay"),
    path("bookings/pay/<str:token>/status/", payments_views.pay_status, name="payments-pay-status"),
    path(
        "bookings/<int:booking_id>/payments/",
        payments_views.booking_payments,
        name="payments-booking",
    ),
]
