"""Pages: the passes on sale, the pay page (Stripe's Payment Element, as for bookings), the
client's credits in the portal, and staff's view of a client's credits with the adjust form."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.audit import audit_record, request_ip
from accounts.models import ClientProfile, Studio, User
from studio.kernel.errors import DomainError, NotFound

from ..payments.services import stripe_enabled
from ..payments.stripe_client import StripeUnavailable
from . import selectors, services
from . import stripe as passes_stripe
from .ledger import credits_adjust
from .models import Pass, Purchase


def _own_client(user) -> ClientProfile | None:
    if user.is_authenticated and user.role == User.Role.CLIENT:
        return ClientProfile.objects.get_or_create(user=user)[0]
    return None


def _zone(user) -> ZoneInfo:
    """The viewer's zone: a client's own, else the studio's."""
    client = _own_client(user)
    return ZoneInfo((client.timezone if client else "") or Studio.get().timezone)


def pass_list(request):
    """Anyone: the passes on sale; a client buys from here."""
    client = _own_client(request.user)
    return render(
        request,
        "bookings/passes/list.html",
        {
            "passes": selectors.passes_for_sale(client_id=client.pk if client else None),
            "client": client,
            "online": stripe_enabled(),
        },
    )


@login_required
@require_POST
def pass_buy(request, slug: str):
    """A client starts buying; the pay page takes over."""
    client = _own_client(request.user)
    if client is None:
        raise PermissionDenied("Passes are bought by clients.")
    pass_type = get_object_or_404(Pass, slug=slug, is_active=True)
    try:
        purchase, _ = services.purchase_start(pass_type=pass_type, client=client, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("passes")
    return redirect("passes-pay", token=purchase.token)


def _purchase(token: str) -> Purchase:
    return get_object_or_404(
        Purchase.objects.select_related("pass_type", "client__user"), token=token
    )


def _check_with_stripe(purchase: Purchase) -> None:
    """Re-read what Stripe knows (the client says they paid); an outage just waits."""
    try:
        if purchase.pass_type.kind == Pass.Kind.PACK and purchase.payment_intent:
            intent = passes_stripe.intent_retrieve(purchase.payment_intent)
            if intent is not None:
                services.pack_apply_intent(intent=intent)
        elif purchase.setup_intent and not purchase.stripe_subscription:
            services.membership_subscribe(purchase=purchase)
    except (StripeUnavailable, DomainError):
        pass
    purchase.refresh_from_db()


def pay_state(purchase: Purchase) -> str:
    """Which face the pay page shows."""
    if purchase.status in (Purchase.Status.PAID, Purchase.Status.ACTIVE):
        return "paid"
    if purchase.status != Purchase.Status.PENDING:
        return purchase.status
    if purchase.stripe_subscription:
        return "processing"
    return "pay" if purchase.client_secret else "unavailable"


@never_cache
def pay(request, token: str):
    """The holder of the link pays; then the page shows the credits granted."""
    purchase = _purchase(token)
    if purchase.status == Purchase.Status.PENDING and stripe_enabled():
        if request.GET.get("payment_intent") or request.GET.get("setup_intent"):
            _check_with_stripe(purchase)  # back from a payment method that redirects
        if purchase.status == Purchase.Status.PENDING:
            services.purchase_payment(purchase)
            purchase.refresh_from_db()
    context = {
        "purchase": purchase,
        "pass": purchase.pass_type,
        "state": pay_state(purchase),
        "setup": purchase.pass_type.kind == Pass.Kind.MEMBERSHIP,
        "balance": selectors.credits_balance(client_id=purchase.client_id),
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "return_url": services.pay_url(purchase),
    }
    return render(request, "bookings/passes/pay.html", context)


@never_cache
@require_GET
def pay_status(request, token: str):
    """JSON for the pay script's poll (bookings' contract: "held" while waiting); `?check=1`
    re-reads the payment from Stripe first."""
    purchase = _purchase(token)
    if request.GET.get("check") and purchase.status == Purchase.Status.PENDING:
        _check_with_stripe(purchase)
    waiting = purchase.status == Purchase.Status.PENDING
    return JsonResponse({"status": "held" if waiting else purchase.status})


@login_required
@never_cache
def portal_credits(request):
    """A client's balance, what expires when, memberships (cancel) and the whole history."""
    client = _own_client(request.user)
    if client is None:
        raise PermissionDenied("The portal is for clients.")
    if request.method == "POST":
        purchase_id = request.POST.get("purchase", "")
        if not purchase_id.isdigit():
            raise Http404("No such membership.")
        purchase = get_object_or_404(Purchase, pk=int(purchase_id), client=client)
        try:
            services.membership_cancel(purchase=purchase, by=request.user)
            messages.success(request, f"Your {purchase.pass_type.name} is cancelled.")
        except DomainError:
            messages.error(request, "The membership could not be cancelled now; try again.")
        return redirect("passes-portal")
    return render(request, "bookings/passes/credits.html", _credits_context(client, request.user))


def _credits_context(client: ClientProfile, user) -> dict:
    return {
        "client": client,
        "balance": selectors.credits_balance(client_id=client.pk),
        "expiries": selectors.credits_expiries(client_id=client.pk),
        "memberships": selectors.memberships(client_id=client.pk),
        "entries": selectors.credit_entries(client_id=client.pk)[:200],
        "zone": _zone(user),
    }


@login_required
@never_cache
def staff_credits(request, pk: int):
    """Staff who may see the client: their credits and history; adjust with a reason."""
    if not request.user.is_studio_staff:
        raise Http404("No such client.")
    try:
        client = access.client_or_404(request.user, pk)
    except NotFound as exc:
        raise Http404("No such client.") from exc
    if request.method == "POST":
        try:
            amount = int(request.POST.get("amount", ""))
        except ValueError:
            amount = 0
        try:
            credits_adjust(
                client_id=client.pk,
                amount=amount,
                by=request.user,
                reason=request.POST.get("reason", "").replace("\x00", "")[:200],
            )
            audit_record(actor=request.user, client=client, action="changed", what="credits")
            messages.success(request, f"Credits adjusted by {amount:+d}.")
        except DomainError as exc:
            messages.error(request, exc.detail)
        return redirect("passes-staff", pk=client.pk)
    audit_record(
        actor=request.user, client=client, action="viewed", what="credits", ip=request_ip(request)
    )
    return render(
        request, "bookings/passes/staff_credits.html", _credits_context(client, request.user)
    )
