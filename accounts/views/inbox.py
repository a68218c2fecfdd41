"""The staff inbox of enquiries: filter by status, triage, notes, convert (htmx or plain forms)."""

from typing import cast

from django.contrib import messages
from django.db.models import Case, When
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from studio.kernel.errors import DomainError

from .. import access, enquiry_links, selectors, services
from ..models import ClientProfile, Condition, Enquiry
from .access import in_viewer_timezone, or_404, staff_required

INBOX = "/accounts/enquiries/"
TABS = [
    ("open", "Open"),
    ("new", "New"),
    ("contacted", "Contacted"),
    ("converted", "Converted"),
    ("declined", "Declined"),
    ("spam", "Spam"),
    ("all", "All"),
]
ACTIONS: dict[str, list[tuple[str, str]]] = {
    Enquiry.Status.NEW: [
        ("contacted", "Mark contacted"),
        ("declined", "Decline"),
        ("spam", "Spam"),
    ],
    Enquiry.Status.CONTACTED: [("new", "Mark new"), ("declined", "Decline"), ("spam", "Spam")],
    Enquiry.Status.DECLINED: [("new", "Reopen")],
    Enquiry.Status.SPAM: [("new", "Not spam")],
    Enquiry.Status.CONVERTED: [],
}


def _card_context(
    enquiry: Enquiry, names: dict[str, str], known: dict | None = None, error: str = ""
) -> dict:
    """One inbox card; `known` is what _known_clients found for the enquiry's address."""
    return {
        "e": enquiry,
        "concerns": [names.get(c, c) for c in enquiry.concerns],
        "actions": ACTIONS.get(enquiry.status, []),
        "known": known,
        "error": error,
    }


def _known_clients(user, enquiries: list[Enquiry]) -> dict[int, dict]:
    """Per enquiry from someone already a client: {"client", "may_open"}, so the card says
    "already a client" (with the file's link when `user` may open it) instead of Convert.
    An enquiry a booking linked to its client counts too."""
    unlinked = [e for e in enquiries if not e.client_id]
    by_email = enquiry_links.clients_by_email([e.email for e in unlinked])
    found = {e.pk: cast(ClientProfile, e.client) for e in enquiries if e.client_id}
    found |= {e.pk: by_email[e.email.lower()] for e in unlinked if e.email.lower() in by_email}
    visible = set(
        access.clients_visible_to(user)
        .filter(pk__in={c.pk for c in found.values()})
        .values_list("pk", flat=True)
    )
    return {pk: {"client": c, "may_open": c.pk in visible} for pk, c in found.items()}


def _condition_names() -> dict[str, str]:
    return dict(Condition.objects.values_list("slug", "name"))


@staff_required
@in_viewer_timezone
def inbox(request):
    tab = request.GET.get("status", "open")
    if tab not in dict(TABS):
        tab = "open"
    qs = selectors.enquiry_list(user=request.user)
    if tab == "open":
        # New enquiries first, then those already contacted; newest first within each.
        qs = qs.filter(status__in=[Enquiry.Status.NEW, Enquiry.Status.CONTACTED]).order_by(
            Case(When(status=Enquiry.Status.NEW, then=0), default=1), "-created", "-pk"
        )
    elif tab != "all":
        qs = qs.filter(status=tab)
    counts = selectors.enquiry_counts(user=request.user)
    counts["open"] = counts["new"] + counts["contacted"]
    counts["all"] = sum(counts[s] for s in Enquiry.Status.values)
    names = _condition_names()
    enquiries = list(qs[:200])
    known = _known_clients(request.user, enquiries)
    cards = [_card_context(e, names, known.get(e.pk)) for e in enquiries]
    tabs = [(key, label, counts[key]) for key, label in TABS]
    back = request.get_full_path()
    return render(
        request, "accounts/inbox.html", {"cards": cards, "tabs": tabs, "tab": tab, "back": back}
    )


def _respond(request, enquiry_id: int, *, error: str = "", ok: str = ""):
    if request.htmx:
        # None once converted into a file the user cannot open: then the plain redirect.
        enquiry = selectors.enquiry_list(user=request.user).filter(pk=enquiry_id).first()
        if enquiry is not None:
            known = _known_clients(request.user, [enquiry]).get(enquiry.pk)
            context = _card_context(enquiry, _condition_names(), known, error)
            context["flash"] = ok
            context["back"] = _back(request)
            return render(request, "accounts/_enquiry_card.html", context)
    if error:
        messages.error(request, error)
    elif ok:
        messages.success(request, ok)
    return redirect(f"{_back(request)}#enquiry-{enquiry_id}")


def _back(request) -> str:
    """The inbox view the form came from (only the inbox itself, with its filter)."""
    back = request.POST.get("back", "")
    ok = back == INBOX or (back.startswith(INBOX + "?") and "//" not in back)
    return back if ok else INBOX


@staff_required
@require_POST
@in_viewer_timezone
def set_status(request, pk: int):
    enquiry = or_404(selectors.enquiry_get, user=request.user, pk=pk)
    try:
        services.enquiry_set_status(
            enquiry=enquiry, status=request.POST.get("status", ""), by=request.user
        )
    except DomainError as exc:
        return _respond(request, pk, error=exc.detail)
    return _respond(request, pk, ok="Status updated.")


@staff_required
@require_POST
@in_viewer_timezone
def set_notes(request, pk: int):
    enquiry = or_404(selectors.enquiry_get, user=request.user, pk=pk)
    notes = request.POST.get("staff_notes", "")[:5000]
    services.enquiry_set_notes(enquiry=enquiry, notes=notes, by=request.user)
    return _respond(request, pk, ok="Notes saved.")


@staff_required
@require_POST
@in_viewer_timezone
def convert(request, pk: int):
    enquiry = or_404(selectors.enquiry_get, user=request.user, pk=pk)
    try:
        profile = services.enquiry_convert(enquiry=enquiry, by=request.user)
    except DomainError as exc:
        return _respond(request, pk, error=exc.detail)
    return _respond(
        request, pk, ok=f"{profile.user.name} is now a client; the intake link is on its way."
    )
