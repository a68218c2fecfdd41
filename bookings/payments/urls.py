"""Payment pages and the Stripe webhook (included at the site root)."""

from django.urls import path

from bookings.payments import views as payments_views
from bookings.payments import webhooks as stripe_webhooks

urlpatterns = [
    path("webhooks/stripe/", stripe_webhooks.stripe_webhook, name="stripe-webhook"),
    path("bookings/pay/<str:token>/", payments_views.pay, name="payments-pay"),
    path("bookings/pay/<str:token>/status/", payments_views.pay_status, name="payments-pay-status"),
    path(
        "bookings/<id:booking_id>/payments/",
        payments_views.booking_payments,
        name="payments-booking",
    ),
]
