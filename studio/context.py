"""Template context shared by every page: the studio and the viewer's role."""

from accounts.models import Studio

_last_name = ""


def studio(request):
    global _last_name
    user = request.user if hasattr(request, "user") else None
    role = getattr(user, "role", None) if user and user.is_authenticated else None
    current = Studio.get()
    _last_name = current.name
    return {"studio": current, "role": role}


def last_studio_name() -> str:
    """The studio's name as last read by this process, for pages that must not touch the
    database (the 500 page); a process that has served no page yet says "Tonic"."""
    return _last_name or "Tonic"
