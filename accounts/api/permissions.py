from rest_framework.permissions import BasePermission


class IsStudioStaff(BasePermission):
    """The owner or a specialist."""

    message = "Only studio staff can do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_studio_staff)
