"""SMS: a small backend interface, like Django's e-mail backends.

- `ConsoleBackend` prints the message (the default while DEBUG is on; `make run` sets it
  through SMS_BACKEND, so the embedded studio prints SMS like e-mails).
- `LocmemBackend` keeps messages in `bookings.sms.outbox` (tests, like Django's locmem mail).
- `TwilioBackend` posts to Twilio's REST API (Messages resource) over plain HTTPS with basic
  auth; it is chosen when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and a sender
  (TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID) are set. TWILIO_API_BASE points it at
  another server (a test stand-in).
With none of these and DEBUG off there is no SMS: `sms_enabled()` is False and no SMS reminders
are scheduled, so the staff page never claims an SMS went out when it did not.
"""

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The provider refused or could not be reached; the caller retries later."""


@dataclass
class SmsMessage:
    to: str
    body: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> str:
        """Send one message; return the provider's id. Raises SmsError."""
        ...


class ConsoleBackend:
    def send(self, message: SmsMessage) -> str:
        sys.stdout.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
        sys.stdout.flush()
        return "console"


outbox: list[SmsMessage] = []


class LocmemBackend:
    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"


class TwilioBackend:
    """Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json` (form-encoded, basic auth)."""

    def __init__(self) -> None:
        self.sid = settings.TWILIO_ACCOUNT_SID
        self.token = settings.TWILIO_AUTH_TOKEN
        self.base = settings.TWILIO_API_BASE.rstrip("/")

    def send(self, message: SmsMessage) -> str:
        fields = {"To": message.to, "Body": message.body}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            fields["MessagingServiceSid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            fields["From"] = settings.TWILIO_FROM_NUMBER
        auth = base64.b64encode(f"{self.sid}:{self.token}".encode()).decode()
        request = urllib.request.Request(
            f"{self.base}/2010-04-01/Accounts/{urllib.parse.quote(self.sid)}/Messages.json",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Authorization": f"Basic {auth}", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return json.loads(response.read() or b"{}").get("sid", "")
        except urllib.error.HTTPError as exc:
            # Twilio answers errors as {"code": 21211, "message": "...", "status": 400}.
            try:
                detail = json.loads(exc.read() or b"{}")
            except ValueError:
                detail = {}
            raise SmsError(
                f"Twilio {exc.code}: {detail.get('message', exc.reason)}"
                + (f" (code {detail['code']})" if detail.get("code") else "")
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"Twilio unreachable: {exc}") from exc


def _twilio_configured() -> bool:
    return bool(
        settings.TWILIO_ACCOUNT_SID
        and settings.TWILIO_AUTH_TOKEN
        and (settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID)
    )


def backend_path() -> str:
    """The dotted path of the SMS backend in use, or "" when SMS is off."""
    if settings.SMS_BACKEND:
        return settings.SMS_BACKEND
    if _twilio_configured():
        return "bookings.sms.TwilioBackend"
    if settings.DEBUG:
        return "bookings.sms.ConsoleBackend"
    return ""


def sms_enabled() -> bool:
    """Whether SMS reminders can go out at all."""
    return bool(backend_path())


def send_sms(*, to: str, body: str) -> str:
    """Send one SMS through the configured backend; returns its id. Raises SmsError."""
    path = backend_path()
    if not path:
        raise SmsError("SMS is not configured.")
    backend: SmsBackend = import_string(path)()
    return backend.send(SmsMessage(to=to, body=body))
