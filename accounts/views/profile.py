"""A client's own profile: see their record, change their contact details only."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .. import selectors, services
from ..forms import ContactForm
from .access import client_required, in_viewer_timezone


@client_required
@in_viewer_timezone
def my_profile(request):
    client = selectors.client_for_user(request.user)
    if client is None:
        return render(
            request, "accounts/message.html", {"title": "You have no client record", "text": ""}
        )
    initial = {
        "first_name": client.user.first_name,
        "last_name": client.user.last_name,
        "phone": client.phone,
        "preferred_contact": client.preferred_contact,
        "timezone": client.timezone,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        services.client_update(client=client, by=request.user, data=changed)
        messages.success(request, "Your details are saved.")
        return redirect("my-profile")
    latest = selectors.intake_latest(client=client)
    return render(
        request,
        "accounts/profile.html",
        {"client": client, "form": form, "latest_intake": latest},
    )
