"""Staff pages about clients: the list, editing a record, re-sending the intake link, erasing,
adding to and removing from the care team."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from studio.kernel.errors import DomainError

from .. import access, care_team, selectors, services
from ..audit import request_ip
from ..forms import StaffClientForm
from ..intake import intake_link_send_later
from .access import in_viewer_timezone, or_404, staff_required


@staff_required
@in_viewer_timezone
def client_list(request):
    search = request.GET.get("q", "")[:100]
    clients = selectors.client_list(user=request.user, search=search)[:500]
    return render(request, "accounts/client_list.html", {"clients": clients, "q": search})


def _initial(client) -> dict:
    return {
        "first_name": client.user.first_name,
        "last_name": client.user.last_name,
        "phone": client.phone,
        "preferred_contact": client.preferred_contact,
        "timezone": client.timezone,
        "date_of_birth": client.date_of_birth,
        "goals": client.goals,
        "conditions": list(client.conditions.all()),
        "assigned_specialist": client.assigned_specialist,
        "staff_notes": client.staff_notes,
    }


@staff_required
@in_viewer_timezone
def client_edit(request, pk: int):
    client = or_404(selectors.client_get_for, user=request.user, pk=pk)
    if client.erased_at:
        messages.error(request, "This client's record has been erased.")
        return redirect("client-file", pk=client.pk)
    if request.method == "POST":
        form = StaffClientForm(request.POST, initial=_initial(client))
        if form.is_valid():
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.client_update(client=client, by=request.user, data=changed)
            messages.success(request, "Saved.")
            return redirect("client-file", pk=client.pk)
    else:
        services.client_viewed(
            client=client, by=request.user, what="edit form", ip=request_ip(request)
        )
        form = StaffClientForm(initial=_initial(client))
    return render(request, "accounts/client_edit.html", {"client": client, "form": form})


@staff_required
@require_POST
def send_intake_link(request, pk: int):
    client = or_404(selectors.client_get_for, user=request.user, pk=pk)
    if client.erased_at:
        messages.error(request, "This client's record has been erased.")
    else:
        intake_link_send_later(client=client)
        messages.success(request, f"The intake link is on its way to {client.user.email}.")
    return redirect("client-file", pk=client.pk)


@staff_required
@require_POST
def erase(request, pk: int):
    client = or_404(selectors.client_get_for, user=request.user, pk=pk)
    if request.POST.get("confirm", "").strip().upper() != "ERASE":
        messages.error(request, "Type ERASE to confirm.")
        return redirect("client-file", pk=client.pk)
    try:
        services.client_erase(client=client, by=request.user, ip=request_ip(request))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "The client's personal and health data have been erased.")
    return redirect("client-file", pk=client.pk)


@staff_required
@require_POST
def care_team_add(request, pk: int):
    """Add a specialist to the client's care team (the owner or a team member)."""
    client = or_404(selectors.client_get_for, user=request.user, pk=pk)
    specialist = request.POST.get("specialist", "")
    try:
        if not specialist.isdigit():
            raise DomainError("Choose a specialist.")
        member, created = care_team.care_team_add(
            client=client, specialist_id=int(specialist), by=request.user, ip=request_ip(request)
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        name = member.specialist.user.name
        text = f"{name} is on the care team." if created else f"{name} was already on the team."
        messages.success(request, text)
    return redirect(f"{reverse('client-file', args=[client.pk])}#care-team")


@staff_required
@require_POST
def care_team_remove(request, pk: int, specialist: int):
    """Remove a member from the client's care team (the owner or a team member); removing
    oneself leaves the file, so the page goes back to the client list."""
    client = or_404(selectors.client_get_for, user=request.user, pk=pk)
    try:
        care_team.care_team_remove(
            client=client, specialist_id=specialist, by=request.user, ip=request_ip(request)
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(f"{reverse('client-file', args=[client.pk])}#care-team")
    messages.success(request, "Removed from the care team.")
    if not access.may_see_client(request.user, client.pk):
        return redirect("client-list")
    return redirect(f"{reverse('client-file', args=[client.pk])}#care-team")
