"""Request plumbing for production: the client's address behind a reverse proxy, body size caps."""

import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse


class ReverseProxyMiddleware:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, the client is the address the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    N-th entry from the right is the one our first proxy saw; entries further left are whatever
    the client sent and cannot be trusted. With no proxy configured the header is ignored, so a
    client cannot pick its own address (which would defeat per-IP login and enquiry limits).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hops = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if hops > 0 and forwarded:
            chain = [part.strip() for part in forwarded.split(",") if part.strip()]
            if len(chain) >= hops:
                candidate = chain[-hops]
                try:
                    ipaddress.ip_address(candidate)
                except ValueError:
                    pass
                else:
                    request.META["REMOTE_ADDR"] = candidate
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies with 413 before anything reads them.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only guards `request.body`/`request.POST`; DRF's parsers
    read the stream directly, so a JSON body would otherwise be read whatever its size.
    Multipart uploads get UPLOAD_MAX_BYTES; every other body DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.content_type == "multipart/form-data":
            limit = settings.UPLOAD_MAX_BYTES
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            message = f"The request body is too large (at most {limit} bytes)."
            if request.path.startswith(("/api/", "/webhooks/")):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RejectNulMiddleware:
    """Answer 400 to a NUL character in the path or query string.

    PostgreSQL text cannot hold NUL, so such a value reaching a query is a 500 there; DRF's
    CharField already refuses NUL in bodies, this covers what arrives in URLs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            message = "The address contains a NUL character."
            if request.path.startswith(("/api/", "/webhooks/")):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
