"""Reads of the accounts app, with per-object permissions and flat query counts."""

from django.db.models import Count, Prefetch, Q, QuerySet

from studio.kernel.errors import Invalid, NotFound

from . import access
from .models import AuditEvent, ClientProfile, Enquiry, IntakeForm, IntakeSubmission, Studio, User


def enquiry_list(*, user: User, status: str | None = None) -> QuerySet[Enquiry]:
    """The enquiries `user` may see, newest first, optionally of one status (a converted one
    only while its client is visible: accounts/access.py). Raises Invalid for an unknown
    status."""
    qs = (
        Enquiry.objects.filter(access.enquiry_filter(user))
        .select_related("client__user")
        .order_by("-created", "-pk")
    )
    if status:
        if status not in Enquiry.Status.values:
            raise Invalid(f"Unknown status '{status}'.", field="status")
        qs = qs.filter(status=status)
    return qs


def enquiry_counts(*, user: User) -> dict[str, int]:
    """How many enquiries `user` may see there are of each status (one query)."""
    counts = dict.fromkeys(Enquiry.Status.values, 0)
    rows = Enquiry.objects.filter(access.enquiry_filter(user)).values("status")
    for row in rows.annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def enquiry_get(*, user: User, pk: int) -> Enquiry:
    """One enquiry `user` may see (staff; callers check the role). Raises NotFound."""
    try:
        return enquiry_list(user=user).get(pk=pk)
    except Enquiry.DoesNotExist as exc:
        raise NotFound("No such enquiry.") from exc


def _client_rows() -> QuerySet[ClientProfile]:
    return ClientProfile.objects.select_related(
        "user", "assigned_specialist__user"
    ).prefetch_related("conditions")


def client_list(*, user: User, search: str = "") -> QuerySet[ClientProfile]:
    """The client records `user` may see, by name; `search` matches name, e-mail or phone."""
    qs = _client_rows().filter(access.client_filter(user))
    for word in search.split()[:5]:
        qs = qs.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(phone__icontains=word)
        )
    return qs


def client_get_for(*, user: User, pk: int) -> ClientProfile:
    """The client record `pk` if `user` may see it (accounts/access.py).

    Raises NotFound otherwise, so nobody learns which ids exist."""
    return access.client_or_404(user, pk, queryset=_client_rows())


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


def client_file_get(*, user: User, pk: int) -> ClientProfile:
    """A client `user` may see with everything the staff file shows, in a fixed number of
    queries. Raises NotFound."""
    qs = _client_rows().prefetch_related(
        Prefetch(
            "intakes",
            queryset=IntakeSubmission.objects.select_related("form").order_by("-created", "-pk"),
        ),
        Prefetch("enquiries", queryset=Enquiry.objects.order_by("-created", "-pk")),
    )
    return access.client_or_404(user, pk, queryset=qs)


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
    # Look only where the role says a profile lives: one query, not a probe of each relation.
    roles: dict[str, str] = {User.Role.SPECIALIST: "specialist", User.Role.CLIENT: "client"}
    attr = roles.get(getattr(user, "role", None) or "")
    if user is not None and user.is_authenticated and attr:
        profile = getattr(user, attr, None)
        if profile is not None:
            return profile.timezone
    return Studio.get().timezone
