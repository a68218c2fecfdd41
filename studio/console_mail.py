"""The embedded default's e-mail "sender": each message logged once, readably, at INFO.

Django's console backend writes the raw MIME text to stdout: encoded subjects
(=?utf-8?q?...?=), base64 attachments, and in the Celery worker (which turns stdout into log
records at WARNING) every line tagged as a warning. This logs who, the decoded subject and the
plain-text body, and names the attachments instead of dumping them.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("studio.mail")


def readable(message) -> str:
    """The message as a person would read it: headers that matter, the text, attachment names."""
    lines = [
        f"E-mail to {', '.join(message.recipients())}: {message.subject}",
        f"From: {message.from_email}",
        "",
        message.body.rstrip(),
    ]
    names = [a[0] if isinstance(a, tuple) else a.get_filename() for a in message.attachments]
    if names:
        lines += ["", "Attached: " + ", ".join(str(name) for name in names)]
    return "\n".join(lines)


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.info("%s\n%s", readable(message), "-" * 72)
        return len(email_messages)
