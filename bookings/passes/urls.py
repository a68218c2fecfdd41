"""URLs of passes: the API (included under /api/) and the pages (at the site root)."""

from django.urls import path

from . import api, views

api_urlpatterns = [
    path("passes/", api.PassListView.as_view(), name="api-passes"),
    path("passes/<slug:slug>/buy/", api.PassBuyView.as_view(), name="api-pass-buy"),
    path("purchases/", api.PurchaseListView.as_view(), name="api-purchases"),
    path(
        "purchases/<id:pk>/subscribe/",
        api.PurchaseSubscribeView.as_view(),
        name="api-purchase-subscribe",
    ),
    path("purchases/<id:pk>/cancel/", api.PurchaseCancelView.as_view(), name="api-purchase-cancel"),
    path("purchases/<id:pk>/refund/", api.PurchaseRefundView.as_view(), name="api-purchase-refund"),
    path("credits/", api.CreditsView.as_view(), name="api-credits"),
    path("credits/adjust/", api.CreditsAdjustView.as_view(), name="api-credits-adjust"),
]

urlpatterns = [
    path("passes/", views.pass_list, name="passes"),
    path("passes/<slug:slug>/buy/", views.pass_buy, name="passes-buy"),
    path("passes/pay/<str:token>/", views.pay, name="passes-pay"),
    path("passes/pay/<str:token>/status/", views.pay_status, name="passes-pay-status"),
    path("portal/credits/", views.portal_credits, name="passes-portal"),
    path("accounts/clients/<id:pk>/credits/", views.staff_credits, name="passes-staff"),
]
