from django.urls import path

from bookings.payments.api.views import PaymentDetailView, PaymentListView, PaymentRefundView

urlpatterns = [
    path("payments/", PaymentListView.as_view(), name="api-payments"),
    path("payments/<id:pk>/", PaymentDetailView.as_view(), name="api-payment"),
    path("payments/<id:pk>/refund/", PaymentRefundView.as_view(), name="api-payment-refund"),
]
