"""The outbox in the owner's admin: what is owed, what failed and why, and "deliver again"."""

from django.contrib import admin, messages

from studio.kernel.outbox import label, outbox_retry

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created", "what", "about", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind"]
    search_fields = ["about", "key", "last_error"]
    date_hierarchy = "created"
    actions = ["deliver_again"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(description="What", ordering="kind")
    def what(self, obj: OutboxMessage) -> str:
        return label(obj.kind)

    @admin.action(description="Deliver again now")
    def deliver_again(self, request, queryset):
        count = outbox_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        messages.success(request, f"{count} queued for delivery.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
