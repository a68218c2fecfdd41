"""Who sees which client: the one rule every read and write of client data goes through.

- The owner sees every client.
- A specialist sees the clients whose care team they are on (accounts.models.CareTeamMember),
  or every client while the studio's `shared_client_files` setting is on.
- A client sees only themself; anyone else sees nobody.

Everything about a client (profile, intake, enquiries, programs, practice logs, bookings,
payments, reminders, exports) is filtered with `client_filter`, so a record the caller may not
see is absent from lists and counts, and looking it up answers 404 (NotFound), never 403: the
answer must not confirm that the client exists. Apps filter their own querysets with
`client_filter(user, "<path to the client>__")`, for example `"client__"` for bookings and
`"booking__client__"` for payments.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from studio.kernel.errors import NotFound

from .models import CareTeamMember, ClientProfile, SpecialistProfile, Studio, User

NO_SUCH_CLIENT = "No such client."


def sees_every_client(user: User | None) -> bool:
    """The owner always; a specialist while the studio shares client files (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_owner:
        return True
    if user.role != User.Role.SPECIALIST:
        return False
    # A read, not Studio.get(): reading who sees what must never write the settings row.
    return Studio.objects.filter(shared_client_files=True).exists()


def team_client_ids(user: User) -> QuerySet:
    """The ids of the clients whose care team `user` is on, as a subquery."""
    return CareTeamMember.objects.filter(specialist__user=user).values("client_id")


def client_filter(user: User | None, path: str = "") -> Q:
    """A Q for rows whose client (reached through `path`, e.g. "client__") `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(**{f"{path}pk__in": []})
    if sees_every_client(user):
        return Q()
    if user.role == User.Role.SPECIALIST:
        return Q(**{f"{path}pk__in": team_client_ids(user)})
    return Q(**{f"{path}user": user})


def enquiry_filter(user: User | None) -> Q:
    """Enquiries: one not yet converted is the studio's inbox (every staff member triages it);
    a converted one belongs to its client's records."""
    team = client_filter(user, "client__")
    if not team:  # sees every client
        return Q()
    return Q(client__isnull=True) | team


def clients_visible_to(user: User | None) -> QuerySet[ClientProfile]:
    """Every client record `user` may see."""
    return ClientProfile.objects.filter(client_filter(user))


def client_or_404(
    user: User | None,
    pk,
    queryset: QuerySet[ClientProfile] | None = None,
    *,
    field: str | None = None,
) -> ClientProfile:
    """The client `pk` if `user` may see it; NotFound otherwise, also for ids that do not exist
    or are not numbers (the same answer either way). `field` names the input that carried the
    id (a body field rather than the path)."""
    qs = queryset if queryset is not None else ClientProfile.objects.all()
    try:
        return qs.filter(client_filter(user)).get(pk=int(pk))
    except (ClientProfile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(NO_SUCH_CLIENT, field=field) from None


def may_see_client(user: User | None, client_id: int | None) -> bool:
    """Whether `user` may see the client with this id (at most two queries; none for a guest,
    who sees nobody: client_filter's first rule)."""
    if client_id is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    return clients_visible_to(user).filter(pk=client_id).exists()


def visible_client_ids(user: User | None, client_ids) -> set[int]:
    """Which of these client ids `user` may see, in one query (for schedules and feeds that
    show other teams' bookings as busy time)."""
    ids = {i for i in client_ids if i is not None}
    if not ids:
        return set()
    if sees_every_client(user):
        return ids
    return set(clients_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def is_team_member(user: User | None, client: ClientProfile) -> bool:
    """Whether `user` is a specialist on this client's care team."""
    if user is None or not user.is_authenticated:
        return False
    return CareTeamMember.objects.filter(client=client, specialist__user=user).exists()


def may_change_team(user: User | None, client: ClientProfile) -> bool:
    """The owner, or a specialist on the team, adds and removes team members."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_owner or is_team_member(user, client)


def specialist_profile(user: User | None) -> SpecialistProfile | None:
    """The user's specialist profile, if they practise (the owner may too)."""
    if user is None or not user.is_authenticated:
        return None
    return SpecialistProfile.objects.filter(user=user).first()
