"""Reads of the accounts app, with per-object permissions and flat query counts."""

from django.db.models import Count, Prefetch, Q, QuerySet

from studio.errors import Invalid, NotFound

from .models import AuditEvent, ClientProfile, Enquiry, IntakeForm, IntakeSubmission, User


def enquiry_list(*, status: str | None = None) -> QuerySet[Enquiry]:
    """Enquiries, newest first, optionally of one status. Raises Invalid for an unknown status."""
    qs = Enquiry.objects.select_related("client__user").order_by("-created", "-pk")
    if status:
        if status not in Enquiry.Status.values:
            raise Invalid(f"Unknown status '{status}'.", field="status")
        qs = qs.filter(status=status)
    return qs


def enquiry_counts() -> dict[str, int]:
    """How many enquiries there are of each status (one query)."""
    counts = dict.fromkeys(Enquiry.Status.values, 0)
    for row in Enquiry.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def enquiry_get(*, pk: int) -> Enquiry:
    """One enquiry (staff only: callers check the role). Raises NotFound."""
    try:
        return Enquiry.objects.select_related("client__user").get(pk=pk)
    except Enquiry.DoesNotExist as exc:
        raise NotFound("No such enquiry.") from exc


def client_list(*, search: str = "") -> QuerySet[ClientProfile]:
    """Client records for staff, by name; `search` matches name, e-mail or phone."""
    qs = ClientProfile.objects.select_related("user", "assigned_specialist__user").prefetch_related(
        "conditions"
    )
    for word in search.split()[:5]:
        qs = qs.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(phone__icontains=word)
        )
    return qs


def client_get_for(*, user: User, pk: int) -> ClientProfile:
    """The client record `pk` if `user` may see it: staff any, a client only their own.

    Raises NotFound otherwise, so nobody learns which ids exist."""
    if not user.is_authenticated:
        raise NotFound("No such client.")
    qs = ClientProfile.objects.select_related("user", "assigned_specialist__user").prefetch_related(
        "conditions"
    )
    if not user.is_studio_staff:
        qs = qs.filter(user=user)
    try:
        return qs.get(pk=pk)
    except ClientProfile.DoesNotExist as exc:
        raise NotFound("No such client.") from exc


def client_for_user(user: User) -> ClientProfile | None:
    """The logged-in person's own client record, if they are a client."""
    if not user.is_authenticated:
        return None
    return (
        ClientProfile.objects.select_related("user")
        .prefetch_related("conditions")
        .filter(user=user)
        .first()
    )


def client_file_get(*, pk: int) -> ClientProfile:
    """A client with everything the staff file shows, in a fixed number of queries."""
    try:
        return (
            ClientProfile.objects.select_related("user", "assigned_specialist__user")
            .prefetch_related(
                "conditions",
                Prefetch(
                    "intakes",
                    queryset=IntakeSubmission.objects.select_related("form").order_by(
                        "-created", "-pk"
                    ),
                ),
                Prefetch("enquiries", queryset=Enquiry.objects.order_by("-created", "-pk")),
            )
            .get(pk=pk)
        )
    except ClientProfile.DoesNotExist as exc:
        raise NotFound("No such client.") from exc


def audit_list(*, client: ClientProfile, limit: int = 50) -> list[AuditEvent]:
    """The latest audit events of a client record, newest first."""
    return list(
        AuditEvent.objects.filter(client=client)
        .select_related("actor")
        .order_by("-created", "-pk")[:limit]
    )


def intake_form_current() -> IntakeForm | None:
    """The newest active version of the intake form."""
    return IntakeForm.objects.filter(is_active=True).order_by("-version").first()


def intake_latest(*, client: ClientProfile) -> IntakeSubmission | None:
    """A client's most recent intake submission."""
    return client.intakes.select_related("form").order_by("-created", "-pk").first()


def viewer_timezone(user) -> str:
    """The zone to show times in: a specialist's or client's own, else the studio's."""
    from .models import Studio, User

    # Look only where the role says a profile lives: one query, not a probe of each relation.
    roles: dict[str, str] = {User.Role.SPECIALIST: "specialist", User.Role.CLIENT: "client"}
    attr = roles.get(getattr(user, "role", None) or "")
    if user is not None and user.is_authenticated and attr:
        profile = getattr(user, attr, None)
        if profile is not None:
            return profile.timezone
    return Studio.get().timezone
