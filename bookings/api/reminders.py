"""Reminders API: staff read the reminders of bookings (what was sent, when, what failed)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from accounts.api.permissions import IsStudioStaff

from ..models import Reminder
from .filters import filter_by_booking


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "booking",
            "kind",
            "channel",
            "status",
            "due_at",
            "sent_at",
            "attempts",
            "last_error",
        ]


def visible_reminders(user):
    """Owner: every booking's reminders; a specialist: their own bookings'."""
    qs = Reminder.objects.all()
    if user.is_owner:
        return qs
    return qs.filter(booking__specialist__user=user)


@extend_schema(
    parameters=[OpenApiParameter("booking", int, description="Only this booking's reminders")],
    responses={
        200: ReminderSerializer(many=True),
        400: OpenApiResponse(description="`booking` is not a number"),
        401: OpenApiResponse(description="Not logged in"),
        403: OpenApiResponse(description="Not studio staff"),
    },
    description="Staff only: reminders, soonest due first (a specialist sees their bookings').",
)
class ReminderListView(generics.ListAPIView):
    serializer_class = ReminderSerializer
    permission_classes = [IsStudioStaff]

    def get_queryset(self):
        return filter_by_booking(
            visible_reminders(self.request.user).order_by("due_at", "pk"), self.request
        )
