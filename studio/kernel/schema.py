"""OpenAPI pieces every app's API shares: the JSON error bodies that studio.kernel.errors produces.

    @extend_schema(responses={201: OutSerializer, **error_responses(400, 404, 409)})

so /api/schema/ documents each error status with its real shape (schemathesis checks both).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

# {"detail": "...", "code": "..."}: DomainError, DRF's 401/403/404/405/429, the axes lockout.
ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(required=False),
    },
)

DESCRIPTIONS = {
    400: "Invalid input: {field: [messages]} (non_field_errors for the whole request), "
    "or {detail} for a malformed body",
    401: "Not logged in (no or an invalid token)",
    403: "Logged in but not allowed",
    404: "Not found, or not yours to see",
    409: "Conflict: the slot is taken or the state change is not allowed",
    413: "The request body is too large",
    429: "Rate limited; see Retry-After",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for these error statuses, with their JSON bodies."""
    responses = {}
    for status in statuses:
        # Field errors may nest (a list of items, each with its own field errors).
        body = OpenApiTypes.OBJECT if status == 400 else ErrorSerializer
        responses[status] = OpenApiResponse(response=body, description=DESCRIPTIONS[status])
    return responses


def document_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 400 (a malformed query
    parameter, pagination value or a NUL in the address, refused before the view) and 414
    (an address too long for the server); document both where a view did not."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault(
                "400",
                {
                    "description": DESCRIPTIONS[400],
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            )
            responses.setdefault("414", {"description": "The address is too long"})
    return result
