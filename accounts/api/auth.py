"""Token login for API clients: POST /api/auth/token/ {"email", "password"} -> {"token"}."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.errors import RateLimited
from studio.schema import error_responses


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=512)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenLoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, **error_responses(400, 413, 429)},
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
            raise RateLimited("Too many failed logins; try again later.", retry_after=3600) from exc
        if getattr(request, "axes_locked_out", False):
            raise RateLimited("Too many failed logins; try again later.", retry_after=3600)
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with that e-mail and password."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
