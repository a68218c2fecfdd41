"""Staff catalog pages: search and filter, an exercise's page, the exercise editor."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.views.access import staff_required
from studio.kernel.errors import DomainError

from .. import selectors, services
from ..forms import ExerciseForm
from ..models import Equipment, Exercise, Region
from . import or_404

FILTERS = ("search", "region", "equipment", "position")


@staff_required
def exercise_list(request):
    filters = {k: request.GET.get(k, "")[:100] for k in FILTERS}
    exercises = selectors.exercise_list(**filters, include_inactive=True)
    context = {
        "exercises": exercises,
        "filters": filters,
        "regions": Region.objects.all(),
        "equipment": Equipment.objects.all(),
        "positions": Exercise.Position.choices,
    }
    if request.htmx:
        return render(request, "programs/_exercise_cards.html", context)
    return render(request, "programs/exercise_list.html", context)


@staff_required
def exercise_detail(request, slug: str):
    exercise = or_404(selectors.exercise_get, key=slug)
    return render(request, "programs/exercise_detail.html", {"exercise": exercise})


@staff_required
def exercise_edit(request, slug: str | None = None):
    exercise = or_404(selectors.exercise_get, key=slug) if slug else Exercise()
    form = ExerciseForm(request.POST or None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_save(exercise=exercise, data=form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.detail)
        else:
            messages.success(request, f"Saved {exercise.name}.")
            return redirect("programs:exercise", slug=exercise.slug)
    return render(request, "programs/exercise_form.html", {"form": form, "exercise": exercise})
