"""The API's pagination: DRF's limit/offset, with bounds so a huge limit or offset from a
caller is an ordinary page (empty, if past the end), not a database error."""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = 1000
    max_offset = 10**9

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.max_offset)
