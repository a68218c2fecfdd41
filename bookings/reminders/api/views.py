"""Reminders API: staff read the reminders of bookings (what was sent, when, what failed)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from accounts import access
from accounts.api.permissions import IsStudioStaff
from bookings.api.filters import filter_by_booking
from bookings.models import Reminder


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
    """The reminders of bookings whose client the user may see (accounts/access.py): the owner
    every booking's, a specialist their care teams' clients'."""
    return Reminder.objects.filter(access.client_filter(user, "booking__client__"))


@extend_schema(
    parameters=[OpenApiParameter("booking", int, description="Only this booking's reminders")],
    responses={
        200: ReminderSerializer(many=True),
        400: OpenApiResponse(description="`booking` is not a number"),
        401: OpenApiResponse(description="Not logged in"),
        403: OpenApiResponse(description="Not studio staff"),
    },
    description="Staff only: reminders, soonest due first (a specialist sees those of their "
    "care teams' clients' bookings).",
)
class ReminderListView(generics.ListAPIView):
    serializer_class = ReminderSerializer
    permission_classes = [IsStudioStaff]

    def get_queryset(self):
        return filter_by_booking(
            visible_reminders(self.request.user).order_by("due_at", "pk"), self.request
        )
