"""The client's pages: their program (current version), practice log and chart, printing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.views.access import client_required
from studio.kernel.errors import DomainError

from .. import practice, selectors
from ..forms import PracticeLogForm
from ..models import WEEKDAYS, PracticeLog, Program
from . import or_404
from .builder import print_context


def log_form(program: Program, today, today_log, *, edit: bool) -> PracticeLogForm:
    """The log form: empty to add to today, or filled with today's log to edit it."""
    items = practice.visible_items(program)
    if not (edit and today_log):
        return PracticeLogForm(initial={"date": today}, items=items)
    initial = {
        "mode": PracticeLogForm.EDIT,
        "date": today,
        "pain": today_log.pain,
        "difficulty": today_log.difficulty,
        "comment": today_log.comment,
        "completed_items": [item.pk for item in today_log.completed_items.all()],
    }
    return PracticeLogForm(initial=initial, items=items)


def program_context(
    program: Program, form: PracticeLogForm | None = None, *, edit: bool = False
) -> dict:
    """What the client's program page and portal panels show: with today's log, if any, so the
    form says what is already logged and adds to it (or edits it, when asked)."""
    today = practice.client_today(program.client)
    items = practice.visible_items(program)
    logs = list(selectors.practice_logs(program=program)[:90])
    today_log = selectors.practice_log_on(program=program, day=today)
    if form is None:
        form = log_form(program, today, today_log, edit=edit)
    done_today = {item.pk for item in today_log.completed_items.all()} if today_log else set()
    return {
        "program": program,
        "items": items,
        "today": today,
        "today_items": practice.items_for_day(program, today),
        "practice_days": [WEEKDAYS[d] for d in practice.practice_weekdays(program)],
        "latest_version": program.versions.first(),
        "logs": logs[:10],
        "chart": practice.practice_chart(logs),
        "chart_id": f"practice-data-{program.pk}",
        "form": form,
        "today_log": today_log,
        "done_today": done_today if not form.editing else set(),
        "can_log": program.status == Program.Status.ACTIVE,
    }


@client_required
def my_program(request):
    program = selectors.program_active_for(client=request.user.client)
    others = selectors.program_list_for(user=request.user).exclude(status=Program.Status.ACTIVE)
    context = program_context(program, edit=_editing(request)) if program else {}
    return render(request, "programs/portal_program.html", {**context, "others": others})


@client_required
def program_view(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    context = program_context(program, edit=_editing(request))
    return render(request, "programs/portal_program.html", context)


def _editing(request) -> bool:
    """`?edit=today` opens today's log for editing instead of adding to it."""
    return request.GET.get("edit") == "today"


@client_required
@require_POST
def program_log(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    form = PracticeLogForm(request.POST, items=practice.visible_items(program))
    if form.is_valid():
        try:
            verb, log = _save_log(request, program, form)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, f"{verb} your practice for {log.date:%A %-d %B}.")
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "programs:portal"
            return redirect(target)
    return render(request, "programs/portal_program.html", program_context(program, form))


def _save_log(request, program: Program, form: PracticeLogForm) -> tuple[str, PracticeLog]:
    """Edit the day (the form says so) or add to it; returns what to call it and the log."""
    if form.editing:
        log = practice.practice_log_update(program=program, by=request.user, **form.entry())
        return "Updated", log
    log, created = practice.practice_log_record(program=program, by=request.user, **form.entry())
    return ("Logged" if created else "Added to"), log


@client_required
def program_print(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    return render(
        request, "programs/print.html", print_context(program, practice.visible_items(program))
    )
