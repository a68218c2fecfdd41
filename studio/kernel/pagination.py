"""The API's pagination: DRF's limit/offset, strict about its parameters (a malformed one is a
400 naming it, as the schema promises) and bounded, so a huge offset is an empty page rather
than a database error."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = 1000
    max_offset = 10**9

    def _param(self, request, name: str, *, minimum: int) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1 or not values[0].isdigit() or int(values[0]) < minimum:
            raise ValidationError({name: [f"Give one whole number of at least {minimum}."]})
        return int(values[0])

    def get_limit(self, request) -> int | None:
        limit = self._param(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request) -> int:
        offset = self._param(request, self.offset_query_param, minimum=0)
        return 0 if offset is None else min(offset, self.max_offset)
