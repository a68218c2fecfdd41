"""`make run`'s console: e-mails readable and at INFO, no banner per process, no task chatter
every minute (studio/console_mail.py, LOGGING in studio/settings.py)."""

import logging
import os
import subprocess
import sys

from django.core.mail import EmailMessage


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """Python with the embedded default's settings (no EMAIL_URL, no LOG_LEVEL)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "TASK_LOG_LEVEL")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "studio.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_console_mail_logs_the_decoded_subject_and_the_text_at_info(caplog, settings):
    settings.EMAIL_BACKEND = "studio.console_mail.EmailBackend"
    message = EmailMessage(
        "Booking confirmed: Pilates für Zoë, Thu 3 Dec, 9:00 AM",
        "See you on Thursday.",
        "studio@example.com",
        ["zoe@example.org"],
    )
    message.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    with caplog.at_level(logging.INFO, logger="studio.mail"):
        assert message.send() == 1
    [record] = caplog.records
    assert record.levelno == logging.INFO
    text = record.getMessage()
    assert "E-mail to zoe@example.org: Booking confirmed: Pilates für Zoë" in text
    assert "See you on Thursday." in text and "Attached: invite.ics" in text
    assert "=?utf-8?" not in text and "BEGIN:VCALENDAR" not in text


def test_the_embedded_default_uses_the_readable_console_mail():
    shown = run_python("from django.conf import settings; print(settings.EMAIL_BACKEND)")
    assert shown.stdout.strip() == "studio.console_mail.EmailBackend"


def test_starting_a_process_prints_no_banner():
    started = run_python("")
    assert "AXES" not in started.stdout + started.stderr


def test_beat_and_task_lines_are_quiet_by_default_and_back_with_task_log_level():
    code = (
        "import logging\n"
        "names = ['celery.beat', 'celery.app.trace', 'celery.worker.strategy']\n"
        "print(any(logging.getLogger(n).isEnabledFor(logging.INFO) for n in names))"
    )
    assert run_python(code).stdout.strip() == "False"
    assert run_python(code, TASK_LOG_LEVEL="INFO").stdout.strip() == "True"
