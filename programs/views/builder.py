"""Staff pages: the program list, starting a program, the builder, templates, printing."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.views.access import staff_required
from studio.kernel.errors import DomainError

from .. import contraindications, practice, selectors, services
from ..forms import NewProgramForm, ProgramDetailsForm
from ..models import WEEKDAYS, Exercise, Program, Region
from . import or_404
from .rows import items_from_rows, row_from_exercise, row_from_item, rows_from_post

Status = Program.Status


@staff_required
def program_list(request):
    everyone = request.GET.get("all") == "1"
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    programs = list(
        selectors.program_list_for(user=request.user, status=status, mine=not everyone)[:200]
    )
    warnings = selectors.program_warnings(programs)
    rows = [(p, sum(1 for w in warnings[p.pk] if w["reason"] is None)) for p in programs]
    context = {"rows": rows, "everyone": everyone, "status": status, "statuses": Status.choices}
    return render(request, "programs/program_list.html", context)


@staff_required
def program_new(request):
    initial = {
        k: request.GET[k] for k in ("client", "template") if request.GET.get(k, "").isdigit()
    }
    form = NewProgramForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                by=request.user,
                status=Status.DRAFT,
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            return redirect("programs:builder", pk=program.pk)
    templates = selectors.template_list()
    return render(request, "programs/program_new.html", {"form": form, "templates": templates})


def _details_initial(program: Program) -> dict:
    return {
        "title": program.title,
        "goal": program.goal,
        "start_date": program.start_date,
        "weekly_frequency": program.weekly_frequency,
    }


@staff_required
def program_builder(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    client = program.client
    conditions = contraindications.client_conditions([client])[client.pk]
    errors: list[str] = []
    if request.method == "POST" and program.is_editable:
        details = ProgramDetailsForm(request.POST)
        rows, rows_valid = rows_from_post(request.POST, conditions)
        if details.is_valid() and rows_valid:
            data = details.cleaned_data
            try:
                services.program_update(
                    program=program,
                    by=request.user,
                    items=items_from_rows(rows),
                    **data,
                )
                if request.POST.get("action") == "publish":
                    services.program_publish(program=program, by=request.user)
            except DomainError as exc:
                if exc.field in details.fields:
                    details.add_error(exc.field, exc.detail)
                else:
                    errors.append(exc.detail)
            else:
                verb = "Published" if request.POST.get("action") == "publish" else "Saved"
                messages.success(request, f"{verb} “{data['title']}”.")
                return redirect("programs:builder", pk=program.pk)
        elif not rows_valid:
            errors.append("Check the highlighted exercises.")
        program = selectors.program_get_for(user=request.user, pk=pk)
    else:
        details = ProgramDetailsForm(initial=_details_initial(program))
        rows = [row_from_item(item, conditions) for item in program.items.all()]
        services.program_viewed(program=program, by=request.user)
    context = {
        "program": program,
        "client": client,
        "conditions": conditions.values(),
        "red_flags": contraindications.red_flag_labels(client),
        "details": details,
        "rows": rows,
        "errors": errors,
        "weekdays": list(enumerate(WEEKDAYS)),
        "regions": Region.objects.all(),
        "versions": selectors.program_versions(program=program)[:20],
        "base_days": [WEEKDAYS[d] for d in practice.base_weekdays(program)],
    }
    return render(request, "programs/builder.html", context)


@staff_required
def builder_search(request, pk: int):
    """Catalog matches for the builder's search box, flagged for this client (htmx)."""
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    conditions = contraindications.client_conditions([program.client])[program.client_id]
    exercises = selectors.exercise_list(
        search=request.GET.get("q", "")[:100], region=request.GET.get("region", "")[:50]
    ).prefetch_related("contraindications")[:30]
    results = [(e, contraindications.flagged(e, conditions)) for e in exercises]
    return render(
        request, "programs/_builder_results.html", {"program": program, "results": results}
    )


@staff_required
def builder_row(request, pk: int):
    """A new item row for an exercise picked from the catalog, with its warning (htmx)."""
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    exercise_id = request.GET.get("exercise", "")
    exercise = (
        Exercise.objects.filter(pk=exercise_id, is_active=True)
        .prefetch_related("contraindications")
        .first()
        if exercise_id.isdigit()
        else None
    )
    if exercise is None:
        raise Http404
    conditions = contraindications.client_conditions([program.client])[program.client_id]
    row = row_from_exercise(exercise, conditions)
    context = {"row": row, "weekdays": list(enumerate(WEEKDAYS)), "program": program}
    return render(request, "programs/_builder_row.html", context)


@staff_required
@require_POST
def program_status(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    target = request.POST.get("status", "")
    try:
        if target == Status.ACTIVE:
            services.program_publish(program=program, by=request.user)
        else:
            services.program_set_status(program=program, by=request.user, status=target)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"The program is now {target}.")
    return redirect("programs:builder", pk=program.pk)


@staff_required
@require_POST
def program_save_template(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    try:
        template = services.template_create_from_program(
            program=program, by=request.user, title=request.POST.get("title", "")[:120]
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Saved as the template “{template.title}”.")
    return redirect("programs:builder", pk=program.pk)


@staff_required
def template_list(request):
    return render(request, "programs/template_list.html", {"templates": selectors.template_list()})


@staff_required
def program_print(request, pk: int):
    program = or_404(selectors.program_get_for, user=request.user, pk=pk)
    return render(request, "programs/print.html", print_context(program, program.items.all()))


def print_context(program: Program, items) -> dict:
    days = practice.practice_weekdays(program)
    return {
        "program": program,
        "items": items,
        "practice_days": [WEEKDAYS[d] for d in days],
        "weekdays": WEEKDAYS,
    }
