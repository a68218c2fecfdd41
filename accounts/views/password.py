"""The password reset page: counts the request and queues the e-mail (accounts/passwords.py)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from studio.kernel.errors import RateLimited

from .. import passwords, ratelimit
from ..forms import PasswordResetRequestForm

TOO_MANY = "You have asked several times in a short time. Please try again later."


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Django's page, but the look-up and the e-mail happen in the worker: the answer is the
    same, after the same work, whether or not the address has an account."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm

    def post(self, request, *args, **kwargs):
        # Every POST counts against PASSWORD_RESET_RATE per client address, before anything else.
        try:
            ratelimit.check(request, scope="password-reset", rate=settings.PASSWORD_RESET_RATE)
        except RateLimited as exc:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, TOO_MANY)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        passwords.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())
