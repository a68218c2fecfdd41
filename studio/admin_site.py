"""Django's admin, for the studio owner only.

`studio.admin_apps.TonicAdminConfig` replaces `django.contrib.admin` in INSTALLED_APPS so that
every `@admin.register` lands on `OwnerAdminSite`: specialists and clients cannot log in to it,
even if someone ticked `is_staff` on their account.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


def is_owner(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.role == "owner")


class OwnerAdminAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)  # active and is_staff
        if user.role != "owner":
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class OwnerAdminSite(admin.AdminSite):
    site_header = "Tonic administration"
    site_title = "Tonic admin"
    index_title = "Studio housekeeping"
    login_form = OwnerAdminAuthenticationForm

    def has_permission(self, request) -> bool:
        return is_owner(request.user)
