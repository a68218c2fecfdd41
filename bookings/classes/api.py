"""Thin API views for classes, waitlists and resources (../shared/API.md, Classes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.models import ClientProfile, SpecialistProfile, Studio
from studio.kernel import fields
from studio.kernel.errors import Invalid, NotAllowed
from studio.kernel.schema import error_responses

from .. import availability_cache, ratelimits
from ..api.serializers import BookingCreatedSerializer, OffsetDateTimeField
from ..money import payments_none_yet
from ..selectors import local_window, zone_or_invalid
from ..services import client_for_booking
from . import checkin, selectors, services, waitlist
from .models import Resource

GONE = OpenApiResponse(description="The offer has lapsed or was withdrawn")


class IsStaff(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user.is_authenticated and request.user.is_studio_staff)


# --- serializers ------------------------------------------------------------------------------


class OccurrenceSerializer(serializers.Serializer):
    """One class as the timetable shows it; times in the zone asked for (`zone` in context)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    class_type = serializers.CharField(source="class_type.slug")
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    instructor = serializers.IntegerField(source="instructor_id")
    instructor_name = serializers.CharField(source="instructor.name")
    capacity = serializers.IntegerField()
    spots_left = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()
    price = serializers.IntegerField()
    currency = serializers.CharField()
    credits = serializers.IntegerField()
    equipment = serializers.CharField(source="resource.slug", allow_null=True, default=None)
    status = serializers.CharField()
    series = serializers.IntegerField(source="series_id", allow_null=True)

    def _local(self, moment: datetime) -> str:
        zone = self.context.get("zone")
        return (moment.astimezone(zone) if zone else moment).isoformat()

    def get_start(self, o) -> str:
        return self._local(o.start)

    def get_end(self, o) -> str:
        return self._local(o.end)

    def get_spots_left(self, o) -> int:
        return self.context["places"][o.pk].left

    def get_waiting(self, o) -> int:
        return self.context["places"][o.pk].waiting


def occurrences_json(occurrences, *, zone=None) -> list[dict]:
    """Classes as the API shows them, with places left (four queries for any number)."""
    places = selectors.places_many(occurrences, timezone.now())
    context = {"places": places, "zone": zone}
    return list(OccurrenceSerializer(occurrences, many=True, context=context).data)


class TimetableQuerySerializer(serializers.Serializer):
    start = fields.DateField(required=False, help_text="First date (default: today)")
    end = fields.DateField(required=False, help_text="Last date, inclusive (default: start + 6)")
    tz = serializers.CharField(required=False, max_length=64, help_text="IANA zone of dates")
    type = serializers.SlugField(required=False, help_text="A class type's slug")
    instructor = fields.IdField(required=False)


class RepeatSerializer(serializers.Serializer):
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), min_length=1, max_length=7
    )
    until = fields.DateField()


class ClassCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    instructor = fields.IdField()
    start = serializers.CharField(
        max_length=40, help_text="ISO 8601; without an offset it is read in `timezone`"
    )
    timezone = serializers.CharField(max_length=64)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=600)
    capacity = serializers.IntegerField(min_value=1, max_value=500)
    equipment = serializers.SlugField(required=False, help_text="A resource's slug")
    repeat = RepeatSerializer(required=False)
    price = serializers.IntegerField(required=False, min_value=0, max_value=10**8, default=0)
    credits = serializers.IntegerField(required=False, min_value=0, max_value=100, default=0)

    def validate_start(self, value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise serializers.ValidationError("Give a date-time in ISO 8601.") from exc
        fields.check_date_in_range(moment)
        return moment

    def validate_timezone(self, value: str) -> str:
        zone_or_invalid(value, field="timezone")
        return value


class ClassEditSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=services.SCOPES, default="this")
    instructor = fields.IdField(required=False)
    start = OffsetDateTimeField(required=False)
    capacity = serializers.IntegerField(required=False, min_value=1, max_value=500)
    duration_minutes = serializers.IntegerField(required=False, min_value=5, max_value=600)


class BookPlaceSerializer(serializers.Serializer):
    pay_with = serializers.ChoiceField(choices=["card", "credits"], default="card")
    name = serializers.CharField(required=False, max_length=150, allow_blank=True)
    email = serializers.CharField(required=False, max_length=254, allow_blank=True)
    phone = serializers.CharField(required=False, max_length=40, allow_blank=True)
    tz = serializers.CharField(required=False, max_length=64, allow_blank=True)


class ClaimSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)


class CancelClassSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, max_length=500, allow_blank=True)


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = ["slug", "name", "kind", "units"]


class CheckInSerializer(serializers.Serializer):
    booking = fields.IdField()
    present = serializers.BooleanField(default=True)


# --- helpers ----------------------------------------------------------------------------------


def _instructor(pk: int, field: str = "instructor") -> SpecialistProfile:
    found = SpecialistProfile.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise Invalid("No such instructor.", field=field)
    return found


def _booking_created(request, booking, payment, guest_name: str) -> Response:
    booking.payment = payment
    payments_none_yet(booking)
    own = access.may_see_client(request.user, booking.client_id)
    context = {} if own else {"guest_name": guest_name}
    body = BookingCreatedSerializer(booking, context=context).data
    body["occurrence"] = booking.occurrence_id
    return Response(body, status=status.HTTP_201_CREATED)


def _client_of(request) -> ClientProfile:
    """The logged-in client (401 for nobody, 403 for staff)."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if request.user.is_studio_staff:
        raise NotAllowed("Staff do not join waitlists.")
    profile, _ = ClientProfile.objects.get_or_create(user=request.user)
    return profile


# --- views ------------------------------------------------------------------------------------


def _timetable_json(first, last, zone, q: dict) -> tuple[bytes, None]:
    """The timetable as JSON. Cached like availability (bookings/availability_cache.py): every
    write to a class, a place, a waitlist or a unit drops the cache; a stale answer can at
    worst show a place just taken, and booking it answers 409."""
    window = local_window(first, last, zone)
    rows = selectors.timetable(
        start=window.start,
        end=window.end,
        class_type=q.get("type", ""),
        instructor=q.get("instructor"),
    )
    return JSONRenderer().render(occurrences_json(rows, zone=zone)), None


class ClassListCreateView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsStaff()]

    @extend_schema(
        parameters=[TimetableQuerySerializer],
        responses={200: OccurrenceSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        query = TimetableQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        zone = zone_or_invalid(q.get("tz") or Studio.get().timezone)
        first = q.get("start") or timezone.now().astimezone(zone).date()
        last = q.get("end") or first + timedelta(days=6)
        local_window(first, last, zone)  # refuses a bad range before the cache is asked
        key = ("classes", first, last, zone.key, q.get("type", ""), q.get("instructor"))
        body, cached = availability_cache.answer(
            key,
            lambda: _timetable_json(first, last, zone, q),
            availability_cache.classes_tokens(),
        )
        response = HttpResponse(body, content_type="application/json")
        response["Cache-Status"] = f"tonic; {'hit' if cached else 'fwd=miss'}"
        return response

    @extend_schema(
        request=ClassCreateSerializer,
        responses={
            201: OpenApiResponse(description="{series, occurrences: [...]}"),
            **error_responses(400, 401, 403, 409),
        },
    )
    def post(self, request):
        data = ClassCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        resource = None
        if d.get("equipment"):
            resource = Resource.objects.filter(slug=d["equipment"]).first()
            if resource is None:
                raise Invalid("No such resource.", field="equipment")
        repeat = d.get("repeat") or {}
        occurrences = services.class_create(
            title=d["title"],
            instructor=_instructor(d["instructor"]),
            start=d["start"],
            zone=d["timezone"],
            duration_minutes=d["duration_minutes"],
            capacity=d["capacity"],
            resource=resource,
            weekdays=repeat.get("weekdays"),
            until=repeat.get("until"),
            price=d["price"],
            credits=d["credits"],
            by=request.user,
        )
        zone = zone_or_invalid(d["timezone"])
        body = {
            "series": occurrences[0].series_id,
            "occurrences": occurrences_json(occurrences, zone=zone),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ClassDetailView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsStaff()]

    @extend_schema(responses={200: OccurrenceSerializer, **error_responses(404)})
    def get(self, request, pk: int):
        return Response(occurrences_json([selectors.occurrence_get(pk)])[0])

    @extend_schema(
        request=ClassEditSerializer,
        responses={
            200: OpenApiResponse(description="{occurrences: [...]}"),
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def patch(self, request, pk: int):
        occurrence = selectors.occurrence_get(pk)
        data = ClassEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        changed = services.occurrence_edit(
            occurrence=occurrence,
            scope=d["scope"],
            instructor=_instructor(d["instructor"]) if d.get("instructor") else None,
            start=d.get("start"),
            capacity=d.get("capacity"),
            duration_minutes=d.get("duration_minutes"),
            by=request.user,
        )
        return Response({"occurrences": occurrences_json(changed)})


class ClassCancelView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        request=CancelClassSerializer,
        responses={200: OccurrenceSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        data = CancelClassSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        occurrence = services.occurrence_cancel(
            occurrence=selectors.occurrence_get(pk),
            by=request.user,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(occurrences_json([selectors.occurrence_get(occurrence.pk)])[0])


class ClassBookView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=BookPlaceSerializer,
        responses={
            201: BookingCreatedSerializer,
            409: OpenApiResponse(description='Full: {"detail", "code": "full"}; or cancelled'),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def post(self, request, pk: int):
        ratelimits.check(request, scope=ratelimits.CREATE)
        data = BookPlaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if d.get("tz"):
            zone_or_invalid(d["tz"])
        if d["pay_with"] == "credits" and not request.user.is_authenticated:
            raise NotAuthenticated("Log in to book with your credits.")
        booking, payment = services.class_book(
            occurrence=selectors.occurrence_get(pk),
            user=request.user,
            name=d.get("name", ""),
            email=d.get("email", ""),
            phone=d.get("phone", ""),
            tz=d.get("tz", ""),
            pay_with=d["pay_with"],
        )
        return _booking_created(request, booking, payment, d.get("name", ""))


class ClassWaitlistView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=BookPlaceSerializer,
        responses={
            201: OpenApiResponse(description="{position}"),
            **error_responses(400, 403, 404, 409, 429),
        },
    )
    def post(self, request, pk: int):
        """Join the waitlist of a full class: a logged-in client, or a guest by name and e-mail."""
        ratelimits.check(request, scope=ratelimits.CREATE)
        data = BookPlaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        occurrence = selectors.occurrence_get(pk)
        if request.user.is_authenticated:
            client = _client_of(request)
        else:
            client, _ = client_for_booking(
                user=None,
                name=d.get("name", ""),
                email=d.get("email", ""),
                phone=d.get("phone", ""),
            )
        _, position = waitlist.waitlist_join(occurrence=occurrence, client=client)
        return Response({"position": position}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404)})
    def delete(self, request, pk: int):
        waitlist.waitlist_leave(occurrence=selectors.occurrence_get(pk), client=_client_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WaitlistClaimView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=ClaimSerializer,
        responses={201: BookingCreatedSerializer, 410: GONE, **error_responses(400, 404, 409, 429)},
    )
    def post(self, request):
        ratelimits.check(request, scope=ratelimits.MANAGE)
        data = ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = waitlist.offer_claim(token=data.validated_data["token"], user=request.user)
        return _booking_created(request, booking, None, "")


class ResourceListView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses={200: ResourceSerializer(many=True), **error_responses(401, 403)})
    def get(self, request):
        return Response(ResourceSerializer(Resource.objects.order_by("name"), many=True).data)


class ClassRosterView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        responses={
            200: OpenApiResponse(description="[{booking, name, status, checked_in}]"),
            **error_responses(401, 403, 404),
        }
    )
    def get(self, request, pk: int):
        occurrence = selectors.occurrence_get(pk)
        return Response(checkin.roster_rows(occurrence, request.user))


class ClassCheckInView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        request=CheckInSerializer,
        responses={
            200: OpenApiResponse(description="{booking, checked_in, status}"),
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request, pk: int):
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        booking = checkin.place_check_in(
            occurrence=selectors.occurrence_get(pk),
            booking_id=d["booking"],
            present=d["present"],
            by=request.user,
        )
        return Response(
            {"booking": booking.pk, "checked_in": d["present"], "status": booking.status}
        )
