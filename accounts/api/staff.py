"""POST /api/staff/ (owner): invite a specialist or an owner by e-mail (../shared/API.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.schema import error_responses

from ..addresses import EmailAddressSerializerField
from ..models import User
from ..staff import ROLES, staff_invite


class StaffInviteSerializer(serializers.Serializer):
    email = EmailAddressSerializerField()
    name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in ROLES])


class StaffSerializer(serializers.ModelSerializer):
    specialist = serializers.IntegerField(source="specialist.pk", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "is_active", "specialist"]
        read_only_fields = fields


class StaffView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="staff_invite",
        request=StaffInviteSerializer,
        responses={201: StaffSerializer, **error_responses(400, 401, 403, 409)},
        description="Owner only. Creates the account and e-mails a set-password link; an "
        "address that already has an account -> 409.",
    )
    def post(self, request):
        data = StaffInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = staff_invite(by=request.user, **data.validated_data)
        return Response(StaffSerializer(user).data, status=status.HTTP_201_CREATED)
