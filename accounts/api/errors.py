"""Documented error responses, shared by the accounts API views."""

from drf_spectacular.utils import OpenApiResponse

BAD = OpenApiResponse(description="Invalid input; field errors name the fields")
UNAUTH = OpenApiResponse(description="Not logged in")
FORBIDDEN = OpenApiResponse(description="Not allowed for your role")
MISSING = OpenApiResponse(description="No such record (or not yours)")
CONFLICT = OpenApiResponse(description="The record's state does not allow this")
LIMITED = OpenApiResponse(description="Too many requests from this address")
