"""Token login and logout for API clients (../shared/API.md, "Tokens"):

    POST /api/auth/token/ {"email", "password"} -> 200 {"token", "expiry"}
    POST /api/auth/logout/ (Authorization: Token <token>) -> 204; that token stops working

Tokens are django-rest-knox's (accounts/tokens.py): hashed at rest, one per login, expiring.
"""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.errors import RateLimited
from studio.kernel.schema import error_responses

from ..addresses import EmailAddressSerializerField
from ..tokens import token_issue, token_revoke
from .authentication import ApiTokenAuthentication

LOCKED_OUT = "Too many failed logins; try again later."


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How /api/schema/ describes the header (an API key in Authorization, prefix "Token")."""

    target_class = "accounts.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from POST /api/auth/token/, sent as "Token <token>". '
            "It expires after API_TOKEN_DAYS (30 by default).",
        }


class TokenRequestSerializer(serializers.Serializer):
    email = EmailAddressSerializerField()
    password = serializers.CharField(trim_whitespace=False, max_length=512)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(help_text="When this token stops working.")


class TokenLoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, **error_responses(400, 413, 429)},
        description="A new token for each login. Failed logins lock out an address and an "
        "(address, e-mail) pair for an hour (429).",
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(
                request,
                username=data.validated_data["email"],
                password=data.validated_data["password"],
            )
        except AxesBackendPermissionDenied as exc:
            raise RateLimited(LOCKED_OUT, retry_after=3600) from exc
        if getattr(request, "axes_locked_out", False):
            raise RateLimited(LOCKED_OUT, retry_after=3600)
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with that e-mail and password."]}
            )
        text, row = token_issue(user=user)
        return Response({"token": text, "expiry": row.expiry})


class LogoutView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: None, **error_responses(401)},
        description="End the token this request presents; the user's other tokens keep working.",
    )
    def post(self, request):
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
