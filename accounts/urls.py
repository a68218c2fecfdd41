"""Pages of the accounts app: login, password reset, enquiries, clients, intake, profile."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm
from .views import clients, enquire, inbox, intake, password, profile

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        password.PasswordResetRequestView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": "Check your e-mail",
                "text": "If that address has an account, a link to set a new password is on its way.",
            },
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="accounts/password_set.html"),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": "Password saved",
                "text": "You can log in with your new password now.",
            },
        ),
        name="password_reset_complete",
    ),
]

# Enquiries, clients, intake, the client's own profile.
urlpatterns += [
    path("enquire/", enquire.enquire, name="enquire"),
    path("enquire/thanks/", enquire.enquire_thanks, name="enquire-thanks"),
    path("accounts/enquiries/", inbox.inbox, name="inbox"),
    path("accounts/enquiries/<id:pk>/status/", inbox.set_status, name="enquiry-status"),
    path("accounts/enquiries/<id:pk>/notes/", inbox.set_notes, name="enquiry-notes"),
    path("accounts/enquiries/<id:pk>/convert/", inbox.convert, name="enquiry-convert"),
    path("accounts/clients/", clients.client_list, name="client-list"),
    path("accounts/clients/<id:pk>/edit/", clients.client_edit, name="client-edit"),
    path(
        "accounts/clients/<id:pk>/intake-link/",
        clients.send_intake_link,
        name="client-intake-link",
    ),
    path("accounts/clients/<id:pk>/erase/", clients.erase, name="client-erase"),
    path(
        "accounts/clients/<id:pk>/care-team/",
        clients.care_team_add,
        name="client-care-team-add",
    ),
    path(
        "accounts/clients/<id:pk>/care-team/<id:specialist>/remove/",
        clients.care_team_remove,
        name="client-care-team-remove",
    ),
    path("accounts/intake/", intake.intake_for_client, name="intake"),
    path("accounts/intake/<str:token>/", intake.intake_from_link, name="intake-link"),
    path("accounts/profile/", profile.my_profile, name="my-profile"),
]
