from django.urls import path

from . import care_team, clients, enquiries, staff
from .auth import LogoutView, TokenLoginView

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("enquiries/", enquiries.EnquiryListCreateView.as_view(), name="api-enquiries"),
    path("enquiries/<id:pk>/", enquiries.EnquiryDetailView.as_view(), name="api-enquiry"),
    path(
        "enquiries/<id:pk>/convert/",
        enquiries.EnquiryConvertView.as_view(),
        name="api-enquiry-convert",
    ),
    path("clients/", clients.ClientListView.as_view(), name="api-clients"),
    path("clients/me/", clients.ClientMeView.as_view(), name="api-client-me"),
    path("clients/<id:pk>/", clients.ClientDetailView.as_view(), name="api-client"),
    path("clients/<id:pk>/export/", clients.ClientExportView.as_view(), name="api-client-export"),
    path("clients/<id:pk>/erase/", clients.ClientEraseView.as_view(), name="api-client-erase"),
    path(
        "clients/<id:pk>/intake-link/",
        clients.ClientIntakeLinkView.as_view(),
        name="api-client-intake-link",
    ),
    path("clients/<id:pk>/care-team/", care_team.CareTeamView.as_view(), name="api-care-team"),
    path(
        "clients/<id:pk>/care-team/<id:specialist>/",
        care_team.CareTeamMemberView.as_view(),
        name="api-care-team-member",
    ),
    path("studio/", care_team.StudioView.as_view(), name="api-studio"),
    path("staff/", staff.StaffView.as_view(), name="api-staff"),
    path("intake/form/", clients.IntakeFormView.as_view(), name="api-intake-form"),
    path("intake/", clients.IntakeSubmitView.as_view(), name="api-intake-submit"),
]
