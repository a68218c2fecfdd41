"""The public enquiry form: /enquire/ and its confirmation."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from studio.kernel.errors import RateLimited

from .. import ratelimit, services
from ..api.serializers import message_max_length
from ..forms import EnquiryForm
from ..models import Condition


def concern_choices() -> list[tuple[str, str]]:
    return list(Condition.objects.values_list("slug", "name"))


@require_http_methods(["GET", "POST"])
def enquire(request):
    form_kwargs = {
        "concern_choices": concern_choices(),
        "message_max_length": message_max_length(),
    }
    status = 200
    if request.method == "POST":
        form = EnquiryForm(request.POST, **form_kwargs)
        try:
            ratelimit.check(request, scope="enquiry", rate=settings.ENQUIRY_RATE)
        except RateLimited:
            form.is_valid()
            form.add_error(
                None,
                "You have sent several messages in a short time. Please call us "
                "or try again later.",
            )
            status = 429
        else:
            if form.is_valid():
                data = form.cleaned_data
                services.enquiry_create(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    message=data["message"],
                    concerns=form.concerns_list(),
                    preferred_contact=data["preferred_contact"],
                    consent=data["consent"],
                    honeypot=data["website"],
                )
                return redirect("enquire-thanks")
            # A form with errors is re-shown with 200: browsers log a 4xx page as an error.
    else:
        form = EnquiryForm(**form_kwargs)
    return render(request, "accounts/enquire.html", {"form": form}, status=status)


def enquire_thanks(request):
    return render(request, "accounts/enquire_thanks.html")
