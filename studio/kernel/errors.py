"""Domain errors and the one DRF exception handler that turns them into JSON."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """A rule of the studio was broken; carries the HTTP status the API answers with."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "invalid"

    def __init__(self, detail: str, *, field: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def as_json(self) -> dict:
        if self.field:
            return {self.field: [self.detail]}
        return {"detail": self.detail, "code": self.code}


class Invalid(DomainError):
    status_code, code = status.HTTP_400_BAD_REQUEST, "invalid"


class NotAllowed(DomainError):
    status_code, code = status.HTTP_403_FORBIDDEN, "not_allowed"


class NotFound(DomainError):
    status_code, code = status.HTTP_404_NOT_FOUND, "not_found"


class Conflict(DomainError):
    status_code, code = status.HTTP_409_CONFLICT, "conflict"


class RateLimited(DomainError):
    status_code, code = status.HTTP_429_TOO_MANY_REQUESTS, "rate_limited"

    def __init__(self, detail: str, *, retry_after: int = 60):
        super().__init__(detail)
        self.retry_after = retry_after


def exception_handler(exc, context):
    """DRF's handler, plus DomainError and Django's ValidationError as JSON."""
    if isinstance(exc, DomainError):
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.retry_after)
        return Response(exc.as_json(), status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
