"""Thin API views for services, specialists, availability and bookings (../shared/API.md)."""

import hashlib
from datetime import datetime

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.models import SpecialistProfile, Studio
from studio.kernel.errors import Invalid, NotAllowed, NotFound
from studio.kernel.schema import error_responses

from .. import availability_cache, availability_json, ratelimits, selectors, services
from ..models import Booking
from ..money import payments_none_yet
from . import serializers as s

ERR_400 = OpenApiResponse(description="Invalid input: field errors or {detail}")
ERR_401 = OpenApiResponse(description="Not logged in")
ERR_403 = OpenApiResponse(description="Not allowed")
ERR_404 = OpenApiResponse(description="No such booking (or not yours)")
ERR_409 = OpenApiResponse(description="Slot taken, or the change is not allowed in this state")
ERR_429 = error_responses(429)[429]
MANAGE_LIMIT = (
    "Rate limited (BOOKING_RATE, counted apart from booking) per address for token holders and "
    "per account for clients; staff are not limited."
)


class ServiceListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.ServiceSerializer(many=True)})
    def get(self, request):
        return Response(s.ServiceSerializer(selectors.service_list(), many=True).data)


class SpecialistListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.SpecialistSerializer(many=True)})
    def get(self, request):
        return Response(s.SpecialistSerializer(selectors.specialist_list(), many=True).data)


class AvailabilityView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[s.AvailabilityQuerySerializer],
        responses={200: s.AvailabilitySerializer, 400: ERR_400},
    )
    def get(self, request):
        query = s.AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if q.get("token"):  # a reschedule: this booking's own time counts as free; not shared
            body, status = _availability_json(q)[0], "fwd=bypass"
        else:
            key = (q["service"], q["start"], q["end"], q.get("tz"), q.get("specialist"))
            tokens = availability_cache.tokens_for(q.get("specialist"), q["start"], q["end"])
            body, cached = availability_cache.answer(key, lambda: _availability_json(q), tokens)
            status = "hit" if cached else "fwd=miss"
        return _conditional_json(request, body, status)


def _conditional_json(request, body: bytes, status: str) -> HttpResponse:
    """The answer, or 304 Not Modified when the client already holds it (If-None-Match): a
    phone polling the booking page costs one cache read and no transfer. The ETag is the
    body's digest, so it changes exactly when a write (or time) changes the answer."""
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    held = parse_etags(request.headers.get("If-None-Match", ""))
    response: HttpResponse
    if etag in held or "*" in held or f"W/{etag}" in held:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"  # keep it, but ask again before each use
    response["Cache-Status"] = f"tonic; {status}"
    return response


def _availability_json(q: dict) -> tuple[bytes, datetime | None]:
    """The availability answer as JSON, and until when it holds as time passes: the moment its
    first slot falls inside the minimum notice. Raises Invalid for bad input."""
    service = selectors.service_get(q["service"])
    studio = Studio.get()
    tz_name = q.get("tz") or studio.timezone
    zone = selectors.zone_or_invalid(tz_name)
    moving = None
    if q.get("token"):
        try:
            moving = selectors.booking_get_by_token(q["token"]).pk
        except NotFound as exc:
            raise Invalid("No booking has this token.", field="token") from exc
    slots, specialists = selectors.availability(
        service=service,
        start=q["start"],
        end=q["end"],
        zone=zone,
        specialist=q.get("specialist"),
        exclude_booking=moving,
        studio=studio,
    )
    names = {pk: specialist.name for pk, specialist in specialists.items()}
    body = availability_json.slots_json(tz_name=zone.key, zone=zone, slots=slots, names=names)
    fresh_until = None
    if slots:
        fresh_until = slots[0].start - selectors.studio_policy(studio).min_notice
    return body, fresh_until


class BookingListCreateView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        parameters=[s.BookingListQuerySerializer],
        responses={200: s.BookingSerializer(many=True), 400: ERR_400, 401: ERR_401},
    )
    def get(self, request):
        query = s.BookingListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        bookings = selectors.booking_list(user=request.user, **query.validated_data)
        return Response(s.BookingSerializer(bookings, many=True).data)

    @extend_schema(
        request=s.BookingCreateSerializer,
        responses={
            201: s.BookingCreatedSerializer,
            400: ERR_400,
            401: OpenApiResponse(description="Paying with credits without logging in"),
            403: ERR_403,
            404: OpenApiResponse(description="Staff: no such client (or not on your care team)"),
            409: ERR_409,
            429: ERR_429,
        },
        description="Book a slot. Rate limited (BOOKING_RATE) per address for guests and per "
        "account for clients; staff are not limited.",
    )
    def post(self, request):
        ratelimits.check(request, scope=ratelimits.CREATE)  # every attempt counts: see there
        data = s.BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        service = selectors.service_get(d["service"])
        # Only its id: booking_create reads it, checks it offers the service and locks it in
        # one query (an unknown id is "does not offer this service").
        specialist = SpecialistProfile(pk=d["specialist"]) if d.get("specialist") else None
        tz = d.get("tz") or ""
        if tz:
            tz = selectors.zone_or_invalid(tz, field="tz").key
        client = None
        if d.get("client"):
            if not (request.user.is_authenticated and request.user.is_studio_staff):
                raise NotAllowed("Only studio staff can book for a client.")
            # One answer (404) for a client that does not exist and one the caller may not see.
            client = access.client_or_404(request.user, d["client"], field="client")
        services.guest_may_book(service=service, user=request.user)
        if d["pay_with"] == "credits" and not request.user.is_authenticated:
            raise NotAuthenticated("Log in to book with your credits.")
        booking, payment = services.booking_create(
            service=service,
            specialist=specialist,
            start=d["start"],
            user=request.user,
            name=d.get("name", ""),
            email=d.get("email", ""),
            phone=d.get("phone", ""),
            notes=d.get("notes", ""),
            tz=tz,
            client=client,
            override_reason=d.get("override_reason", "").strip(),
            pay_with=d["pay_with"],
        )
        booking.payment = payment
        payments_none_yet(booking)
        # A guest hears back only what they sent: the address may be an existing client's (so
        # may staff who booked by e-mail a client outside their care teams).
        own = access.may_see_client(request.user, booking.client_id)
        context = {} if own else {"guest_name": d.get("name", "")}
        body = s.BookingCreatedSerializer(booking, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)


def _booking_for(request, pk: int, token: str | None) -> Booking:
    """The booking for its client, staff or the token holder; 401 with no credentials at all."""
    if token is None and not request.user.is_authenticated:
        raise NotAuthenticated()
    return selectors.booking_get_for(pk=pk, user=request.user, token=token)


def _shown(request, booking: Booking) -> dict:
    """The booking as those who may see its client see it, or as a token holder does: without
    the client's identity (a guest who booked with someone else's address holds a token too)."""
    own = access.may_see_client(request.user, booking.client_id)
    return s.BookingSerializer(booking, context={} if own else {"token_holder": True}).data


class BookingDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("token", str, description="The manage token (guests)")],
        responses={200: s.BookingSerializer, 401: ERR_401, 404: ERR_404},
    )
    def get(self, request, pk: int):
        booking = _booking_for(request, pk, request.query_params.get("token"))
        return Response(_shown(request, booking))


class BookingCancelView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.CancelSerializer,
        responses={
            200: s.BookingSerializer,
            400: ERR_400,
            401: ERR_401,
            404: ERR_404,
            409: ERR_409,
            429: ERR_429,
        },
        description=MANAGE_LIMIT,
    )
    def post(self, request, pk: int):
        ratelimits.check(request, scope=ratelimits.MANAGE)
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = _booking_for(request, pk, data.validated_data.get("token"))
        booking = services.booking_cancel(
            booking=booking, by=_actor(request), reason=data.validated_data.get("reason", "")
        )
        return Response(_shown(request, booking))


class BookingRescheduleView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.RescheduleSerializer,
        responses={
            200: s.BookingSerializer,
            400: ERR_400,
            401: ERR_401,
            403: ERR_403,
            404: ERR_404,
            409: ERR_409,
            429: ERR_429,
        },
        description=MANAGE_LIMIT,
    )
    def post(self, request, pk: int):
        ratelimits.check(request, scope=ratelimits.MANAGE)
        data = s.RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = _booking_for(request, pk, data.validated_data.get("token"))
        booking = services.booking_reschedule(
            booking=booking,
            start=data.validated_data["start"],
            by=_actor(request),
            override_reason=data.validated_data.get("override_reason", "").strip(),
        )
        return Response(_shown(request, booking))


def _actor(request):
    return request.user if request.user.is_authenticated else None


class BookingMarkView(APIView):
    """Staff: POST .../complete/ or .../no-show/ after the session started."""

    permission_classes = [IsAuthenticated]
    mark_as = Booking.Status.COMPLETED

    @extend_schema(
        request=None,
        responses={
            200: s.BookingSerializer,
            401: ERR_401,
            403: ERR_403,
            404: ERR_404,
            409: ERR_409,
        },
    )
    def post(self, request, pk: int):
        booking = selectors.booking_get_for(pk=pk, user=request.user)
        booking = services.booking_mark(booking=booking, status=self.mark_as, by=request.user)
        return Response(s.BookingSerializer(booking).data)
