"""The owner's housekeeping for bookings. Booking rows are changed through the site's services
(which keep the no-overlap rule, history, e-mails and calendars right), so here they are read-only
apart from notes; everything else is editable."""

from django.contrib import admin

from . import availability_cache, models


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "duration_minutes",
        "price",
        "deposit",
        "currency",
        "audience",
        "intake_required",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active", "audience", "intake_required", "currency"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["specialists"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_active", "position"]}),
        ("Time", {"fields": ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes"]}),
        ("Money (minor units)", {"fields": ["price", "deposit", "currency"]}),
        ("Who", {"fields": ["audience", "intake_required", "capacity", "specialists"]}),
    ]


@admin.register(models.WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ["specialist", "weekday", "start", "end"]
    list_filter = ["specialist", "weekday"]


@admin.register(models.DateOverride)
class DateOverrideAdmin(admin.ModelAdmin):
    list_display = ["specialist", "date", "kind", "start", "end", "note"]
    list_filter = ["kind", "specialist"]
    date_hierarchy = "date"


@admin.register(models.Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["start", "end", "reason"]
    date_hierarchy = "start"


@admin.register(models.BusyTime)
class BusyTimeAdmin(admin.ModelAdmin):
    list_display = ["specialist", "start", "end", "connection", "external_uid"]
    list_filter = ["specialist", "connection"]
    date_hierarchy = "start"
    search_fields = ["external_uid"]

    # Busy times have no delete listener (availability_cache.connect_signals), so the admin
    # tells the availability cache itself.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        availability_cache.generation_bump_on_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        availability_cache.generation_bump_on_commit()


class BookingEventInline(admin.TabularInline):
    model = models.BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = fields = ("created", "kind", "by", "data")

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = models.Payment
    extra = 0
    can_delete = False
    readonly_fields = fields = (
        "payment_intent",
        "amount",
        "currency",
        "status",
        "amount_refunded",
        "paid_at",
    )
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ReminderInline(admin.TabularInline):
    model = models.Reminder
    extra = 0
    can_delete = False
    readonly_fields = fields = ("kind", "channel", "due_at", "status", "sent_at", "attempts")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = [
        "start",
        "service",
        "specialist",
        "client",
        "status",
        "payment_method",
        "late_cancellation",
    ]
    list_filter = ["status", "specialist", "service", "payment_method", "late_cancellation"]
    search_fields = ["client__user__email", "client__user__first_name", "client__user__last_name"]
    date_hierarchy = "start"
    list_select_related = ["service", "specialist__user", "client__user"]
    inlines = [BookingEventInline, PaymentInline, ReminderInline]
    readonly_fields = [
        "client",
        "specialist",
        "service",
        "start",
        "end",
        "blocked_start",
        "blocked_end",
        "status",
        "hold_expires_at",
        "price",
        "amount_due",
        "currency",
        "payment_method",
        "manage_token",
        "uid",
        "sequence",
        "late_cancellation",
        "cancelled_at",
        "created_by",
        "created",
        "updated",
    ]

    def has_add_permission(self, request):
        # New bookings go through /book/ or the API so the slot is checked.
        return False


@admin.register(models.BookingEvent)
class BookingEventAdmin(admin.ModelAdmin):
    list_display = ["created", "booking", "kind", "by"]
    list_filter = ["kind"]
    list_select_related = ["booking__service", "booking__specialist__user", "by"]
    readonly_fields = ["booking", "kind", "by", "data", "created"]


class RefundInline(admin.TabularInline):
    model = models.Refund
    extra = 0
    can_delete = False
    readonly_fields = ("stripe_refund", "amount", "reason", "by", "created")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["payment_intent", "booking", "amount", "currency", "status", "paid_at"]
    list_filter = ["status", "currency"]
    search_fields = ["payment_intent", "booking__client__user__email"]
    readonly_fields = [
        "booking",
        "payment_intent",
        "client_secret",
        "amount",
        "currency",
        "amount_refunded",
        "paid_at",
        "created",
        "updated",
    ]
    inlines = [RefundInline]


@admin.register(models.Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["stripe_refund", "payment", "amount", "by", "created"]
    readonly_fields = ["payment", "stripe_refund", "amount", "reason", "by", "created"]


@admin.register(models.StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "created"]
    list_filter = ["type"]
    search_fields = ["event_id"]
    readonly_fields = ["event_id", "type", "created"]


@admin.register(models.Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["booking", "kind", "channel", "due_at", "status", "sent_at", "attempts"]
    list_filter = ["status", "channel", "kind"]
    date_hierarchy = "due_at"
    list_select_related = ["booking__service", "booking__specialist__user"]


@admin.register(models.CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "created"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    readonly_fields = ["token", "created"]


@admin.register(models.CalendarConnection)
class CalendarConnectionAdmin(admin.ModelAdmin):
    list_display = ["specialist", "kind", "name", "is_active", "last_success_at", "last_error_at"]
    list_filter = ["kind", "is_active"]
    exclude = ["password_encrypted"]
    readonly_fields = ["last_success_at", "last_error", "last_error_at", "created"]


from .passes import admin as passes_admin  # noqa: E402, F401  (registers the passes models)
