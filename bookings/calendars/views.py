"""Calendar pages: the secret ICS feed, and the calendar settings page for staff (feeds with
copy/regenerate, connected calendars with add/remove, last success/error and "sync now")."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts.selectors import viewer_timezone
from accounts.views.access import staff_required
from bookings.calendars.connections import (
    calendar_connection_create,
    calendar_connection_get,
    calendar_connection_list,
    calendar_connection_remove,
    calendar_connection_request_sync,
    connection_state,
    specialist_for,
)
from bookings.calendars.feeds import (
    calendar_feed_get,
    calendar_feed_regenerate,
    calendar_feed_render,
    calendar_feeds_ensure,
    feed_url,
    webcal_url,
)
from bookings.calendars.forms import CalendarConnectionForm
from bookings.models import CalendarFeed
from studio.kernel.errors import DomainError, NotFound

FEED_HELP: dict[str, str] = {
    CalendarFeed.Kind.SPECIALIST: "Your sessions, with each client's name.",
    CalendarFeed.Kind.CLIENT: "Your bookings, with the studio's address and a link to manage each.",
    CalendarFeed.Kind.STUDIO: "Every specialist's sessions.",
    CalendarFeed.Kind.PROGRAM: "Your home practice days, with each day's exercises.",
}


@require_safe
def calendar_feed(request, token: str):
    """GET /calendar/<token>.ics: the feed, with ETag/Last-Modified so polling costs little."""
    feed = calendar_feed_get(token=token)
    if feed is None:
        return HttpResponseNotFound("Unknown or revoked calendar feed.", content_type="text/plain")
    rendered = calendar_feed_render(feed)
    response = get_conditional_response(
        request, etag=rendered.etag, last_modified=int(rendered.last_modified.timestamp())
    )
    if response is None:
        response = HttpResponse(rendered.body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["ETag"] = rendered.etag
    response["Last-Modified"] = http_date(rendered.last_modified.timestamp())
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def feed_rows(user) -> list[dict]:
    return [
        {
            "kind": f.kind,
            "label": f.get_kind_display(),
            "help": FEED_HELP.get(f.kind, ""),
            "url": feed_url(f),
            "webcal": webcal_url(f),
        }
        for f in calendar_feeds_ensure(user=user)
    ]


def connection_title(connection) -> str:
    """Its name, else the server's host (the full address may hold a secret token)."""
    return connection.name or urlsplit(connection.url).hostname or connection.get_kind_display()


def _connection_rows(user) -> list[dict]:
    return [
        {
            "connection": c,
            "title": connection_title(c),
            "state": connection_state(c) if c.is_active else "removing",
        }
        for c in calendar_connection_list(user=user)
    ]


def _settings_page(request, form: CalendarConnectionForm | None = None):
    user = request.user
    specialist = specialist_for(user)
    rows = _connection_rows(user)
    context = {
        "feeds": feed_rows(user),
        "specialist": specialist,
        "rows": rows,
        "polling": any(r["state"] in ("syncing", "removing") for r in rows),
        "show_owner": user.is_owner,
        "form": form or CalendarConnectionForm(),
        "viewer_tz": ZoneInfo(viewer_timezone(user)),
    }
    return render(request, "bookings/calendars/settings.html", context)


@staff_required
def calendar_settings(request):
    return _settings_page(request)


@staff_required
def calendar_connections_fragment(request):
    """The connection cards alone, for htmx to refresh while a sync runs."""
    rows = _connection_rows(request.user)
    return render(
        request,
        "bookings/calendars/_connections.html",
        {
            "rows": rows,
            "polling": any(r["state"] in ("syncing", "removing") for r in rows),
            "show_owner": request.user.is_owner,
            "viewer_tz": ZoneInfo(viewer_timezone(request.user)),
        },
    )


@staff_required
@require_POST
def calendar_connection_add(request):
    specialist = specialist_for(request.user)
    if specialist is None:
        raise PermissionDenied("Only specialists connect calendars.")
    form = CalendarConnectionForm(request.POST)
    if form.is_valid():
        try:
            calendar_connection_create(specialist=specialist, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, "Calendar connected; the first sync has started.")
            return redirect("calendar-settings")
    return _settings_page(request, form)


def _connection_or_404(request, pk: int):
    try:
        return calendar_connection_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


@staff_required
@require_POST
def calendar_connection_sync(request, pk: int):
    calendar_connection_request_sync(connection=_connection_or_404(request, pk))
    if request.htmx:
        return calendar_connections_fragment(request)
    messages.success(request, "Sync started.")
    return redirect("calendar-settings")


@staff_required
@require_POST
def calendar_connection_delete(request, pk: int):
    calendar_connection_remove(connection=_connection_or_404(request, pk))
    messages.success(request, "Calendar disconnected.")
    return redirect("calendar-settings")


@login_required
@require_POST
def calendar_feed_new_link(request, kind: str):
    """A new secret link for one of the caller's feeds (clients use it from the portal)."""
    try:
        calendar_feed_regenerate(user=request.user, kind=kind)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, "New calendar link made; the old one no longer works.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "calendar-settings" if request.user.is_studio_staff else "portal"
    return redirect(target)
