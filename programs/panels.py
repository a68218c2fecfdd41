"""Dashboard panels: the staff workspace (my clients' programs) and the client's portal (my
program, today's exercises, the practice log and chart)."""

from studio.kernel.panels import Panel, panel

from . import selectors
from .models import Program
from .views.portal import program_context


def workspace(request) -> list[Panel]:
    programs = list(
        selectors.program_list_for(user=request.user, mine=not request.user.is_owner).filter(
            status__in=[Program.Status.DRAFT, Program.Status.ACTIVE]
        )[:8]
    )
    warnings = selectors.program_warnings(programs)
    rows = [(p, sum(1 for w in warnings[p.pk] if w["reason"] is None)) for p in programs]
    return [
        panel(
            request,
            title="My clients' programs",
            template="programs/panel_workspace.html",
            context={"rows": rows},
            order=40,
        )
    ]


def portal(request) -> list[Panel]:
    client = getattr(request.user, "client", None)
    if client is None:
        return []
    program = selectors.program_active_for(client=client)
    if program is None:
        context: dict = {"program": None}
        return [
            panel(
                request,
                title="My program",
                template="programs/panel_portal_program.html",
                context=context,
                order=20,
            )
        ]
    context = {**program_context(program), "next": "/portal/"}
    return [
        panel(
            request,
            title="My program",
            template="programs/panel_portal_program.html",
            context=context,
            order=20,
        ),
        panel(
            request,
            title="Practice log",
            template="programs/panel_portal_log.html",
            context=context,
            order=21,
        ),
    ]


def client_file(request, client=None) -> list[Panel]:
    """For a staff page about one client: that client's programs."""
    if client is None or not request.user.is_studio_staff:
        return []
    programs = list(selectors.program_list_for(user=request.user, client=client.pk))
    return [
        panel(
            request,
            title="Programs",
            template="programs/panel_client.html",
            context={"programs": programs, "client": client},
            order=40,
        )
    ]
