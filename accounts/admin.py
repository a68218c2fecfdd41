from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import models
from .media import ThumbnailsAdminMixin


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "role"]}),
        ("Personal", {"fields": ["first_name", "last_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})
    ]


@admin.register(models.Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone", "currency", "cancellation_window_hours"]


@admin.register(models.Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region"]
    list_filter = ["region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.SpecialistProfile)
class SpecialistProfileAdmin(ThumbnailsAdminMixin, admin.ModelAdmin):
    list_display = ["user", "title", "timezone", "is_active"]
    thumbnails = {"photo": "photo_thumb"}
    list_filter = ["is_active", "timezone"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]


@admin.register(models.ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "assigned_specialist", "created"]
    list_filter = ["assigned_specialist", "conditions"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "phone"]
    filter_horizontal = ["conditions"]
    raw_id_fields = ["user"]


@admin.register(models.Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "status", "created"]
    list_filter = ["status", "source", "created"]
    search_fields = ["name", "email"]
    date_hierarchy = "created"


@admin.register(models.IntakeForm)
class IntakeFormAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_active", "created"]
    list_filter = ["is_active"]


@admin.register(models.IntakeSubmission)
class IntakeSubmissionAdmin(admin.ModelAdmin):
    list_display = ["client", "form", "signature_name", "signed_at"]
    list_filter = ["form"]
    search_fields = ["client__user__email", "signature_name"]
    raw_id_fields = ["client"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created", "actor", "action", "client", "what"]
    list_filter = ["action", "created"]
    search_fields = ["client__user__email", "actor__email", "what"]
    raw_id_fields = ["client", "actor"]

    def has_change_permission(self, request, obj=None):
        return False  # the audit trail is append-only
