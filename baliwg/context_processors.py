"""Values every page's layout needs."""

import functools

from django.urls import get_script_prefix, reverse

from workplan.access import show_workspace_link

# The addresses of the layout's header and footer, by the name its template uses.
LAYOUT_LINKS = {
    "home": "site:home",
    "search": "site:search",
    "meetings": "meetings:list",
    "members": "meetings:members",
    "feed": "meetings:feed-atom",
    "board": "workplan:board",
    "workspace": "workplan:workspace",
    "data": "opendata:index",
    "login": "accounts:login",
    "logout": "accounts:logout",
}


@functools.cache
def _layout_links(script_prefix: str) -> dict[str, str]:
    return {name: reverse(view) for name, view in LAYOUT_LINKS.items()}


def layout_links(request):
    """The layout's ten links, reversed once per process rather than on every page: reversing
    them was a tenth of the time of a page whose content came from the cache.

    Whether to show the Workspace link is per user, so it is not among them: a callable, which the
    template calls only for a logged-in user (anonymous pages, the cached ones, never ask), and which
    reads the answer kept in the session at login (workplan/access.py).
    """
    return {
        "links": _layout_links(get_script_prefix()),
        "show_workspace": functools.partial(show_workspace_link, request),
    }
