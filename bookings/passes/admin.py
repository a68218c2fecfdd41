"""Admin: the owner defines passes here; purchases and the ledger are read-only records."""

from django.contrib import admin

from .models import CreditEntry, Pass, Purchase


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "kind",
        "credits",
        "unlimited",
        "price",
        "intro_offer",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "intro_offer"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services", "class_types"]
    readonly_fields = ["stripe_product", "stripe_plan"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Purchase)
class PurchaseAdmin(ReadOnly):
    list_display = ["pk", "client", "pass_type", "status", "amount", "paid_at"]
    list_filter = ["status", "pass_type"]


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnly):
    list_display = ["created", "client", "kind", "amount", "booking", "purchase", "reason"]
    list_filter = ["kind"]
