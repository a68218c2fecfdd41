"""The admin app, pointed at the owners-only site (kept apart: app configs load before models)."""

from django.contrib.admin.apps import AdminConfig


class TonicAdminConfig(AdminConfig):
    default_site = "studio.admin_site.OwnerAdminSite"
