"""Template context shared by every page: the studio and the viewer's role."""

from accounts.models import Studio


def studio(request):
    user = request.user if hasattr(request, "user") else None
    role = getattr(user, "role", None) if user and user.is_authenticated else None
    return {"studio": Studio.get(), "role": role}
