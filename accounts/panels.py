"""Dashboard panels of the accounts app: the inbox and clients (workspace), the client's own
details (portal), and the accounts sections of the staff client file."""

from django.db.models import Q
from django.utils import timezone

from studio.kernel.panels import panel

from . import access, care_team, selectors
from .intake import answers_display
from .models import ClientProfile, Condition, Enquiry, SpecialistProfile, Studio


def workspace(request):
    if not request.user.is_studio_staff:
        return []
    with timezone.override(selectors.viewer_timezone(request.user)):
        return _workspace(request)


def _workspace(request):
    counts = selectors.enquiry_counts(user=request.user)
    open_enquiries = list(
        selectors.enquiry_list(user=request.user).filter(
            status__in=[Enquiry.Status.NEW, Enquiry.Status.CONTACTED]
        )[:5]
    )
    flagged = list(
        selectors.client_list(user=request.user)
        .filter(erased_at=None)
        .exclude(Q(red_flags=[]) | Q(red_flags__isnull=True))
        .order_by("-updated")[:5]
    )
    recent = list(
        selectors.client_list(user=request.user).filter(erased_at=None).order_by("-created")[:5]
    )
    return [
        panel(
            request,
            title="Inbox",
            template="accounts/panels/workspace_inbox.html",
            context={"counts": counts, "enquiries": open_enquiries},
            order=10,
        ),
        panel(
            request,
            title="Clients",
            template="accounts/panels/workspace_clients.html",
            context={"flagged": flagged, "recent": recent},
            order=20,
        ),
    ]


def portal(request):
    client = selectors.client_for_user(request.user)
    if client is None:
        return []
    with timezone.override(client.timezone):
        return _portal(request, client)


def _portal(request, client):
    return [
        panel(
            request,
            title="Your details",
            template="accounts/panels/portal_details.html",
            context={"client": client, "latest": selectors.intake_latest(client=client)},
            order=5,
        )
    ]


def client_file(request, client: ClientProfile):
    """The accounts sections of the staff client file (client loaded by client_file_get)."""
    intakes = list(client.intakes.all())
    latest = intakes[0] if intakes else None
    names = dict(Condition.objects.values_list("slug", "name"))
    enquiries = [
        {"e": e, "concerns": [names.get(c, c) for c in e.concerns]} for e in client.enquiries.all()
    ]
    base = {"client": client, "latest": latest}
    return [
        panel(
            request,
            title="Screening",
            template="accounts/panels/file_flags.html",
            context=base,
            order=1,
            wide=True,
        ),
        panel(
            request,
            title="Contact",
            template="accounts/panels/file_contact.html",
            context=base,
            order=10,
        ),
        _care_team_panel(request, client),
        panel(
            request,
            title="Health and goals",
            template="accounts/panels/file_health.html",
            context=base,
            order=12,
        ),
        panel(
            request,
            title="Intake form",
            template="accounts/panels/file_intake.html",
            context={
                **base,
                "sections": answers_display(latest) if latest else [],
                "older": intakes[1:],
            },
            order=30,
            wide=True,
        ),
        panel(
            request,
            title="Enquiries",
            template="accounts/panels/file_enquiries.html",
            context={"enquiries": enquiries},
            order=40,
        ),
        panel(
            request,
            title="Privacy and audit trail",
            template="accounts/panels/file_privacy.html",
            context={**base, "events": selectors.audit_list(client=client, limit=20)},
            order=90,
            wide=True,
        ),
    ]


def _care_team_panel(request, client: ClientProfile):
    """Who is on the client's care team, how and when they joined; the owner and team members
    add and remove specialists (accounts/care_team.py)."""
    members = list(care_team.care_team_list(client=client))
    on_team = {m.specialist_id for m in members}
    can_change = access.may_change_team(request.user, client)
    candidates = []
    if can_change:
        candidates = [
            s
            for s in SpecialistProfile.objects.filter(is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "pk")
            if s.pk not in on_team
        ]
    return panel(
        request,
        title="Care team",
        template="accounts/panels/file_care_team.html",
        context={
            "client": client,
            "members": members,
            "can_change": can_change,
            "candidates": candidates,
            "shared": Studio.get().shared_client_files,
        },
        order=11,
    )
