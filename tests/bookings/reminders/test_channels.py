"""SMS reminders: the backend interface, the console default and Twilio's REST API.

Twilio is exercised against a small stand-in HTTP server on loopback that speaks the part of
Twilio's Messages API we use (form body, basic auth, JSON answers and errors); the backend's real
HTTP code runs unchanged.
"""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import time_machine
from django.core import mail

from bookings import sms
from bookings.models import Reminder
from tests.bookings.reminders.helpers import HOUR, book, rows, run_due, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 12, 0)
START = utc(2026, 6, 10, 14, 0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class TwilioStandIn(BaseHTTPRequestHandler):
    requests: list[dict] = []
    errors: list[tuple[int, dict]] = []  # answered first, one per request

    def do_POST(self):
        body = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        type(self).requests.append(
            {"path": self.path, "auth": self.headers["Authorization"], "form": body}
        )
        status, payload = type(self).errors.pop(0) if type(self).errors else (201, {"sid": "SM123"})
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), TwilioStandIn)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    TwilioStandIn.requests, TwilioStandIn.errors = [], []
    settings.SMS_BACKEND = ""
    settings.TWILIO_ACCOUNT_SID = "AC0123"
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield TwilioStandIn
    server.shutdown()
    server.server_close()


def test_sms_reminders_follow_the_email_ones_for_a_client_with_a_phone(clock, sms_outbox):
    booking = book(start=START, phone="+14235550100")
    assert set(rows(booking)) == {
        ("before-1440", "email"),
        ("before-1440", "sms"),
        ("before-120", "email"),
        ("before-120", "sms"),
        ("followup", "email"),
    }
    clock.move_to(START - 2 * HOUR)
    Reminder.objects.filter(booking=booking, kind="before-1440").update(status="sent")
    assert run_due() == {"sent": 2}
    [text] = sms_outbox
    assert text.to == "+14235550100"
    assert text.body.startswith("Pilates Tonic: reminder of your session Wed 10 Jun, 10:00 AM EDT.")
    assert f"/bookings/manage/{booking.manage_token}/" in text.body
    assert booking.service.name not in text.body
    assert len(mail.outbox) == 1


def test_sms_is_off_in_production_without_a_provider(clock, settings):
    settings.DEBUG, settings.SMS_BACKEND, settings.TWILIO_ACCOUNT_SID = False, "", ""
    booking = book(start=START, phone="+14235550100")
    assert {channel for _, channel in rows(booking)} == {"email"}


def test_sms_console_backend_is_the_development_default(settings, capsys):
    settings.DEBUG, settings.SMS_BACKEND, settings.TWILIO_ACCOUNT_SID = True, "", ""
    assert sms.backend_path() == "bookings.sms.ConsoleBackend"
    sms.send_sms(to="+14235550100", body="See you at 10.")
    assert "SMS to +14235550100\nSee you at 10." in capsys.readouterr().out


def test_sms_twilio_gets_the_message_with_basic_auth(clock, twilio):
    assert sms.backend_path() == "bookings.sms.TwilioBackend"
    booking = book(start=START, phone="+14235550100")
    Reminder.objects.filter(booking=booking).exclude(kind="before-120", channel="sms").delete()
    clock.move_to(START - 2 * HOUR)
    assert run_due() == {"sent": 1}
    [request] = twilio.requests
    assert request["path"] == "/2010-04-01/Accounts/AC0123/Messages.json"
    assert request["auth"] == "Basic QUMwMTIzOnNlY3JldC10b2tlbg=="  # AC0123:secret-token
    assert request["form"]["To"] == ["+14235550100"]
    assert request["form"]["From"] == ["+15005550006"]
    assert "10:00 AM EDT" in request["form"]["Body"][0]


def test_sms_twilio_error_is_recorded_then_retried(clock, twilio):
    twilio.errors.append(
        (400, {"code": 21211, "message": "The 'To' number is not valid.", "status": 400})
    )
    booking = book(start=START, phone="+14235550100")
    Reminder.objects.filter(booking=booking).exclude(kind="before-120", channel="sms").delete()
    clock.move_to(START - 2 * HOUR)
    assert run_due() == {"retry": 1}
    row = rows(booking)[("before-120", "sms")]
    assert row.last_error == (
        "Attempt 1: SmsError: Twilio 400: The 'To' number is not valid. (code 21211)"
    )
    clock.shift(timedelta(minutes=1))
    assert run_due() == {"sent": 1}
    assert len(twilio.requests) == 2


def test_sms_twilio_unreachable_is_an_sms_error(settings):
    settings.SMS_BACKEND = "bookings.sms.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "t"
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(sms.SmsError, match="Twilio unreachable"):
        sms.send_sms(to="+14235550100", body="hello")
