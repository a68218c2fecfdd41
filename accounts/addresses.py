"""One spelling per e-mail address. Every path that accepts an address (enquiries, bookings, the
login page, API tokens, password reset, new users) passes it through `normalize_email`, so that
two spellings of one mailbox cannot slip past a check that compares addresses: the staff guard
on guest bookings once let `owner@example.com` followed by a zero-width space through, and the
confirmation went to the owner's mailbox.

What changes: NFKC (full-width and other compatibility forms become plain letters, a no-break
space a space), format characters are dropped (Unicode category Cf: zero-width spaces and
joiners, soft hyphens, direction marks, byte-order marks), the ends are trimmed and the whole
address is lower-cased (Tonic has always stored addresses in lower case).
What is refused, with a message for the field: RFC 2047 encoded words (`=?utf-8?q?...?=`, which a
mail library may decode into another address), a local part outside ASCII, a bare host or an IP
literal (`name@localhost`, `name@[127.0.0.1]`), and whatever Django's EmailValidator refuses.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from rest_framework import serializers

INVALID = "Enter a valid email address."
ENCODED = "Write the address as plain text, without =?...?= encoding."
NO_DOMAIN = "Enter the full address, with a domain such as example.com after the @."
MAX_LENGTH = 254  # RFC 5321: the longest address a mail server must accept

_validate = EmailValidator(message=INVALID)


def _plain(value: str) -> str:
    """NFKC, without format characters, trimmed and lower-cased."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip().lower()


def normalize_email(value: str) -> str:
    """The one stored spelling of an address; raises ValidationError (a message for the field)."""
    value = str(value)
    if len(value) > 4 * MAX_LENGTH:  # before NFKC, which can multiply a string's length
        raise ValidationError(INVALID, code="invalid")
    address = _plain(value)
    if "=?" in address:
        raise ValidationError(ENCODED, code="invalid")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or len(address) > MAX_LENGTH:
        raise ValidationError(INVALID, code="invalid")
    if domain.startswith("[") or "." not in domain.strip("."):
        raise ValidationError(NO_DOMAIN, code="invalid")
    if not local.isascii():
        raise ValidationError(INVALID, code="invalid")
    _validate(address)
    return address


def normalize_email_or_none(value: str) -> str | None:
    """`normalize_email`, or None for something that is not an address (for look-ups)."""
    try:
        return normalize_email(value)
    except ValidationError:
        return None


class EmailAddressFormField(forms.EmailField):
    """A form's e-mail field that cleans to the normalised address."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_email(value)


class EmailAddressSerializerField(serializers.EmailField):
    """A serializer's e-mail field that validates to the normalised address."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalize_email(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
