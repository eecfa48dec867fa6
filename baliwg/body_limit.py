"""Anonymous request bodies past a small bound are refused before they are read.

Nothing public takes more than a login form, yet a 50 MB anonymous upload used to be read and
spooled to disk before the CSRF check refused it. The declared Content-Length is checked first
(a chunked body, which declares none, is refused too); logged-in users' uploads are bounded by the
upload limits. The session is read to know the user; the body is not, until a view asks for it.
"""

from django.http import HttpResponse

from core.limits import MAX_ANONYMOUS_BODY_BYTES

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AnonymousBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS and not request.user.is_authenticated:
            if request.META.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
                return _too_large()
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return HttpResponse("A bad Content-Length.", status=400, content_type="text/plain")
            if length > MAX_ANONYMOUS_BODY_BYTES:
                return _too_large()
        return self.get_response(request)


def _too_large():
    return HttpResponse(
        "This request is too large. Log in first to upload files.", status=413, content_type="text/plain"
    )
