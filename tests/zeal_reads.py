"""The N+1 watch used by the tests: every read the app serves (GET and HEAD) runs under
django-zeal, which fails the request when a relation is loaded row by row.

Writes are left out on purpose: a form that saves a handful of rows one by one (so that the
history records each) is not a page whose cost grows with the data. So are the admin's change
forms, whose autocomplete widgets look up each inline row's choice (Django's own design);
the admin's change lists, which are what grows, are watched.
"""

import re

from zeal import zeal_context

ADMIN_CHANGE_FORM = re.compile(r"^/admin/.+/(\d+/(change|delete|history)/|add/|import/)")


def zeal_for_reads(get_response):
    def middleware(request):
        if request.method in ("GET", "HEAD") and not ADMIN_CHANGE_FORM.match(request.path):
            with zeal_context():
                return get_response(request)
        return get_response(request)

    return middleware
