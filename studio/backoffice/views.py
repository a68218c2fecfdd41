"""/studio/settings/: the owner sets up and runs the studio without the admin site.

Each form calls its app's service, which validates again, audits the change and so makes it
reach availability at once (its cache drops on every save). A rule broken comes back on the
form's field; nothing here decides a rule itself.
"""

from decimal import Decimal
from functools import wraps

from django.conf import settings as conf
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Studio, User
from accounts.staff import staff_invite, staff_set_active
from accounts.studio_settings import studio_update
from bookings.catalog.services import service_create, service_update
from bookings.models import Service
from bookings.money import major_units, minor_units
from studio.kernel.errors import DomainError

from .forms import InviteForm, PolicyForm, ServiceForm, StudioForm

STRIPE_KEYS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")


def owner_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_owner:
            raise PermissionDenied("Settings are for the studio owner.")
        return view(request, *args, **kwargs)

    return wrapped


def _report(form, exc: Exception) -> None:
    """A service's refusal, on the field it names (or the whole form)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
    else:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


def payment_status() -> dict:
    """Online payments on or off, and which settings are missing."""
    missing = [key for key in STRIPE_KEYS if not getattr(conf, key, "")]
    return {"on": bool(conf.STRIPE_SECRET_KEY), "missing": missing}


def _policy_initial(studio: Studio) -> dict:
    return {
        "cancellation_window_hours": studio.cancellation_window_hours,
        "late_cancel_fee": major_units(studio.late_cancel_fee, studio.currency),
        "late_cancel_refund": studio.late_cancel_refund,
        "reminder_offsets": ", ".join(str(m) for m in studio.reminder_offsets_minutes),
        "min_notice_hours": studio.min_notice_hours,
        "booking_horizon_days": studio.booking_horizon_days,
        "slot_granularity_minutes": studio.slot_granularity_minutes,
        "hold_minutes": studio.hold_minutes,
    }


def _save_policy(request, form, studio: Studio) -> Studio:
    data = dict(form.cleaned_data)
    data["reminder_offsets_minutes"] = data.pop("reminder_offsets")
    data["late_cancel_fee"] = minor_units(data["late_cancel_fee"], studio.currency)
    return studio_update(by=request.user, **data)


@owner_only
def settings_home(request):
    """Studio details, policies and the payment status on one page."""
    studio = Studio.get()
    details = StudioForm(initial={f: getattr(studio, f) for f in StudioForm.base_fields})
    policy = PolicyForm(initial=_policy_initial(studio))
    if request.method == "POST":
        which = request.POST.get("form")
        form = StudioForm(request.POST) if which == "details" else PolicyForm(request.POST)
        if which == "details":
            details = form
        else:
            policy = form
        if form.is_valid():
            try:
                if which == "details":
                    studio_update(by=request.user, **form.cleaned_data)
                else:
                    _save_policy(request, form, studio)
            except (DomainError, ValidationError, ValueError) as exc:
                _report(form, exc)
            else:
                messages.success(request, "Saved. Availability follows at once.")
                return redirect("settings-home")
    context = {"details": details, "policy": policy, "payments": payment_status(), "tab": "studio"}
    return render(request, "studio/settings/home.html", context)


def _service_values(form, currency: str) -> dict:
    data = dict(form.cleaned_data)
    data["price"] = minor_units(data["price"], currency)
    data["deposit"] = minor_units(data["deposit"] or Decimal(0), currency)
    data["specialists"] = [s.pk for s in data["specialists"]]
    only = data.pop("clients_only")
    data["audience"] = Service.Audience.EXISTING if only else Service.Audience.ANYONE
    return data


@owner_only
def settings_services(request):
    """Every service, and a form to add one."""
    studio = Studio.get()
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = service_create(by=request.user, **_service_values(form, studio.currency))
        except (DomainError, ValidationError, ValueError) as exc:
            _report(form, exc)
        else:
            messages.success(request, f"Added {service.name}; it is bookable now.")
            return redirect("settings-services")
    services = Service.objects.prefetch_related("specialists__user").order_by("position", "name")
    context = {"form": form, "services": services, "studio": studio, "tab": "services"}
    return render(request, "studio/settings/services.html", context)


@owner_only
def settings_service(request, slug: str):
    """Change one service (its slug stays: links and the API use it)."""
    service = Service.objects.filter(slug=slug).first()
    if service is None:
        raise Http404("No such service.")
    currency = service.currency
    initial = ServiceForm.initial_for(service, lambda minor: major_units(minor, currency))
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service_update(by=request.user, service=service, **_service_values(form, currency))
        except (DomainError, ValidationError, ValueError) as exc:
            _report(form, exc)
        else:
            messages.success(request, f"Saved {service.name}.")
            return redirect("settings-services")
    context = {"form": form, "service": service, "tab": "services"}
    return render(request, "studio/settings/service.html", context)


@owner_only
def settings_staff(request):
    """Staff accounts, an invitation form, and links to each one's hours and days off."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_invite(by=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            _report(form, exc)
        else:
            messages.success(request, f"Invited {user.name}: a set-password link is on its way.")
            return redirect("settings-staff")
    staff = (
        User.objects.filter(role__in=(User.Role.OWNER, User.Role.SPECIALIST))
        .select_related("specialist")
        .order_by("-is_active", "first_name", "email")
    )
    context = {"form": form, "staff": staff, "tab": "staff"}
    return render(request, "studio/settings/staff.html", context)


@owner_only
@require_POST
def settings_staff_active(request, pk: int):
    """Deactivate or bring back a staff account."""
    active = request.POST.get("active") == "1"
    try:
        user = staff_set_active(by=request.user, user_id=pk, active=active)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{user.name} is {'active' if active else 'deactivated'}.")
    return redirect("settings-staff")
