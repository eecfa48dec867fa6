"""A record's address, reversed once per view and process rather than once per record.

A meeting's page links each of its participants, items and exercises; reverse() for every link
was a tenth of the page's first render. The address of each view is reversed once with a
placeholder for its one argument, and the record's value put in its place.
"""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

# Matches every converter the site's addresses use (slug, int, str), and appears in none of them.
PLACEHOLDER = "987654321987654321"


def address(viewname: str, name: str, value) -> str:
    """reverse(viewname, kwargs={name: value}) for a view of one argument (a slug or a key)."""
    pattern = _pattern(viewname, name, get_script_prefix(), get_urlconf())
    return pattern.replace(PLACEHOLDER, quote(str(value), safe="!$&'()*+,;=~:@"))


@functools.lru_cache(maxsize=128)
def _pattern(viewname: str, name: str, script_prefix: str, urlconf) -> str:
    return reverse(viewname, kwargs={name: PLACEHOLDER}, urlconf=urlconf)
