"""Fixtures for the accounts tests: enquiries, conditions, intake answers, a flaky SMTP server."""

import socketserver
import threading

import pytest

from accounts import intake_v1
from accounts.models import Condition, Enquiry, IntakeForm

CONDITIONS = [
    ("knee-bursitis", "Knee bursitis (incl. pes anserine)", "knees"),
    ("postpartum-under-12-months", "Postpartum (under 12 months)", "pelvis"),
    ("osteoporosis", "Osteoporosis or osteopenia", "spine"),
    ("pregnancy", "Pregnancy", "pelvis"),
]

HANNAH_MESSAGE = (
    "I have terrible pes anserine bursitis on both knees. I just had my second baby 6 months "
    "ago and picking her up night and day wreaks havoc on my knees."
)


@pytest.fixture
def conditions(db):
    return {
        slug: Condition.objects.get_or_create(slug=slug, defaults={"name": name, "region": region})[
            0
        ]
        for slug, name, region in CONDITIONS
    }


@pytest.fixture
def intake_form(db):
    return IntakeForm.objects.get(version=1)  # published by migration 0003


def enquiry_payload(**overrides) -> dict:
    data = {
        "name": "Hannah Brooks",
        "email": "hannah@example.net",
        "phone": "+1 423 555 0101",
        "message": HANNAH_MESSAGE,
        "concerns": ["knee-bursitis", "Postpartum (under 12 months)", "lifting my baby"],
        "consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_enquiry(db):
    def make(**overrides) -> Enquiry:
        data = enquiry_payload(**overrides)
        data.pop("website", None)
        return Enquiry.objects.create(**data)

    return make


def intake_answers(**overrides) -> dict:
    """Valid answers to intake v1 with every screening question answered 'no'."""
    answers = {
        "conditions": ["knee-bursitis"],
        "goals": "Carry my baby without knee pain.",
        "activity": "sometimes",
        "pain_now": "6",
        "pregnancy": "postpartum",
        "pregnancy_detail": "Six months since the birth.",
    }
    answers.update({key: "no" for key, _label, _flag in intake_v1.PARQ})
    answers.update(overrides)
    return answers


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend; MAIL FROM answers 451 while failures remain."""

    def handle(self):
        def reply(text: str) -> None:
            self.wfile.write(text.encode() + b"\r\n")

        server = self.server
        reply("220 flaky.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                reply("250 flaky.test")
            elif verb == "MAIL":
                with server.lock:
                    server.attempts += 1
                    fail = server.failures_left > 0
                    server.failures_left -= int(fail)
                reply("451 4.3.0 Try again later" if fail else "250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk)
                server.messages.append(b"".join(body).decode())
                reply("250 OK queued")
            elif verb == "QUIT":
                reply("221 Bye")
                return
            else:
                reply("250 OK")


class FlakySMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, failures: int):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.failures_left = failures
        self.attempts = 0
        self.messages: list[str] = []
        self.lock = threading.Lock()


@pytest.fixture
def flaky_smtp(settings):
    """A real SMTP server on loopback whose first delivery attempt fails (451); Django's SMTP
    backend points at it."""
    server = FlakySMTPServer(failures=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
