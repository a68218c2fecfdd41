"""The client's pages: their program (current version), practice log and chart, printing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.views.access import client_required
from studio.kernel.errors import DomainError

from .. import practice, selectors
from ..forms import PracticeLogForm
from ..models import WEEKDAYS, Program
from . import or_404
from .builder import print_context


def program_context(program: Program, form: PracticeLogForm | None = None) -> dict:
    """What the client's program page and portal panels show."""
    today = practice.client_today(program.client)
    items = practice.visible_items(program)
    logs = list(selectors.practice_logs(program=program)[:90])
    if form is None:
        form = PracticeLogForm(initial={"date": today}, items=items)
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
        "can_log": program.status == Program.Status.ACTIVE,
    }


@client_required
def my_program(request):
    program = selectors.program_active_for(client=request.user.client)
    others = selectors.program_list_for(user=request.user).exclude(status=Program.Status.ACTIVE)
    context = program_context(program) if program else {}
    return render(request, "programs/portal_program.html", {**context, "others": others})


@client_required
def program_view(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    return render(request, "programs/portal_program.html", program_context(program))


@client_required
@require_POST
def program_log(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    form = PracticeLogForm(request.POST, items=practice.visible_items(program))
    if form.is_valid():
        try:
            log, created = practice.practice_log_record(
                program=program, by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            verb = "Logged" if created else "Updated"
            messages.success(request, f"{verb} your practice for {log.date:%A %-d %B}.")
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "programs:portal"
            return redirect(target)
    return render(request, "programs/portal_program.html", program_context(program, form))


@client_required
def program_print(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    return render(
        request, "programs/print.html", print_context(program, practice.visible_items(program))
    )
