"""The intake form: from the signed link (also sets a password), or for a logged-in client."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from studio.kernel.errors import NotFound

from .. import selectors, services
from ..audit import request_ip
from ..forms import IntakeConsentForm
from ..intake import IntakeLinkExpired, answers_form, answers_from_form, intake_link_client
from ..models import IntakeForm
from .access import client_required

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _initial(client, intake_form: IntakeForm) -> dict:
    latest = selectors.intake_latest(client=client)
    if latest is None or latest.form_id != intake_form.pk:
        return {"signature_name": client.user.name}
    return {**latest.answers, "signature_name": client.user.name}


def _page(request, client, *, password_form=None, token: str = ""):
    intake_form = selectors.intake_form_current()
    if intake_form is None:
        return render(
            request,
            "accounts/message.html",
            {"title": "Nothing to fill in", "text": "The studio has no intake form yet."},
        )
    initial = _initial(client, intake_form)
    posted = request.method == "POST"
    answers = answers_form(intake_form, data=request.POST if posted else None, initial=initial)
    consent = IntakeConsentForm(
        request.POST if posted else None,
        initial={"signature_name": initial["signature_name"]},
        prefix="sign",
    )
    if posted:
        forms_ok = [answers.is_valid(), consent.is_valid()]
        if password_form is not None:
            forms_ok.append(password_form.is_valid())
        if all(forms_ok):
            with transaction.atomic():
                if password_form is not None:
                    password_form.save()
                services.intake_submit(
                    client=client,
                    intake_form=intake_form,
                    answers=answers_from_form(answers),
                    signature_name=consent.cleaned_data["signature_name"],
                    consent=consent.cleaned_data["consent"],
                    ip=request_ip(request),
                )
            if not request.user.is_authenticated:
                login(request, client.user, backend=BACKEND)
            messages.success(request, "Thank you. Your specialist will read this before you meet.")
            return redirect("portal")
    return render(
        request,
        "accounts/intake.html",
        {
            "client": client,
            "intake_form": intake_form,
            "answers": answers,
            "consent": consent,
            "password_form": password_form,
            "token": token,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def intake_from_link(request, token: str):
    try:
        client = intake_link_client(token)
    except IntakeLinkExpired:
        return _link_problem(request, "This link has expired")
    except NotFound:
        return _link_problem(request, "This link has already been used")
    if request.user.is_authenticated and request.user.pk != client.user_id:
        return _link_problem(request, "This link is for someone else")
    if client.user.has_usable_password():
        # Someone who already has a password logs in; the link is not a password.
        return redirect("/accounts/login/?next=/accounts/intake/")
    password_form = SetPasswordForm(client.user, request.POST if request.method == "POST" else None)
    return _page(request, client, password_form=password_form, token=token)


def _link_problem(request, title: str):
    return render(
        request,
        "accounts/message.html",
        {
            "title": title,
            "text": "Log in to fill in your intake form, or reply to our e-mail and we will send "
            "you a new link.",
        },
        status=404,
    )


@never_cache
@client_required
@require_http_methods(["GET", "POST"])
def intake_for_client(request):
    client = selectors.client_for_user(request.user)
    if client is None:
        return _link_problem(request, "You have no client record")
    return _page(request, client)
