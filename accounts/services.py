"""Every write of the accounts app, one function per use case (modules split by concept)."""

from .audit import audit_record
from .clients import client_update, client_viewed
from .enquiries import (
    enquiry_acknowledge,
    enquiry_convert,
    enquiry_create,
    enquiry_notify_studio,
    enquiry_set_notes,
    enquiry_set_status,
)
from .intake import intake_form_publish, intake_notify_studio, intake_send_link, intake_submit
from .privacy import client_erase, client_export

__all__ = [
    "audit_record",
    "client_erase",
    "client_export",
    "client_update",
    "client_viewed",
    "enquiry_acknowledge",
    "enquiry_convert",
    "enquiry_create",
    "enquiry_notify_studio",
    "enquiry_set_notes",
    "enquiry_set_status",
    "intake_form_publish",
    "intake_notify_studio",
    "intake_send_link",
    "intake_submit",
]
