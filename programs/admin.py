from django.contrib import admin
from django.db import models as models_

from accounts.media import ThumbnailsAdminMixin

from . import models


@admin.register(models.Region, models.Equipment)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Exercise)
class ExerciseAdmin(ThumbnailsAdminMixin, admin.ModelAdmin):
    thumbnails = {"image": "image_thumb"}
    # The catalog's own form says https too (programs/forms.py); Django 6 makes it the default.
    formfield_overrides = {models_.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "position", "difficulty", "sets", "reps", "hold_seconds", "is_active"]
    list_filter = ["is_active", "position", "difficulty", "regions", "equipment"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions", "equipment", "contraindications", "progressions"]


class TemplateItemInline(admin.TabularInline):
    model = models.TemplateItem
    extra = 0
    autocomplete_fields = ["exercise"]


@admin.register(models.ProgramTemplate)
class ProgramTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "weekly_frequency", "is_active", "created"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TemplateItemInline]


class ProgramItemInline(admin.TabularInline):
    model = models.ProgramItem
    extra = 0
    fields = [
        *("position", "exercise", "sets", "reps", "hold_seconds", "breaths", "per_side"),
        *("cue", "days", "flagged_conditions", "override_reason"),
    ]
    readonly_fields = ["flagged_conditions"]
    autocomplete_fields = ["exercise"]


class ProgramVersionInline(admin.TabularInline):
    model = models.ProgramVersion
    extra = 0
    fields = readonly_fields = ("number", "reason", "created_by", "created")
    can_delete = False


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    """Housekeeping only: edits here bypass versioning; use the builder for client changes."""

    list_display = ["title", "client", "specialist", "status", "version", "updated"]
    list_filter = ["status", "specialist"]
    search_fields = ["title", "client__user__email", "client__user__last_name"]
    raw_id_fields = ["client", "template"]
    readonly_fields = ["version", "published_at"]
    list_select_related = ["client__user", "specialist__user"]
    inlines = [ProgramItemInline, ProgramVersionInline]


@admin.register(models.PracticeLog)
class PracticeLogAdmin(admin.ModelAdmin):
    list_display = ["program", "date", "pain", "difficulty", "done_count", "planned_count"]
    list_filter = ["date"]
    raw_id_fields = ["program"]
    filter_horizontal = ["completed_items"]
    list_select_related = ["program__client__user"]
