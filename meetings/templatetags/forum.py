"""Template filters for the public pages: dates as people write them, counts in words."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.layout import excerpt as sentence_excerpt
from core.text import format_days

register = template.Library()


@register.filter
def days_held(event) -> str:
    """The days a meeting or exercise was held, as a statement would write them."""
    return format_days(event.days)


@register.filter
def long_date(day) -> str:
    """'12 October 2022', as a statement writes a date (and as days_held does); Django's date
    filter, per character of its format, was a tenth of a search's page."""
    return format_days([day]) if day else ""


@register.filter
def excerpt(text: str, words: int = 80) -> str:
    """The first whole sentences of a text, about `words` words long."""
    return sentence_excerpt(text or "", int(words))


@register.filter
def party_name(party) -> SafeString:
    """The one rule for a party's name in a list: its short name, the full name on hover and for
    screen readers; the full name on its own page and in formal documents. A filter, not an
    include: a meeting's page names up to a hundred parties, and an include each was a fifth of
    the page's first render."""
    name, shown = escape(party.name), escape(party.display_name)
    return mark_safe(f'<abbr title="{name}">{shown}</abbr>' if shown != name else name)  # noqa: S308 (escaped)


@register.filter
def counted(number, noun: str) -> str:
    """'1 state', '13 states'; the plural is the noun with an 's' unless given as 'noun,plural'."""
    singular, _, plural = noun.partition(",")
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current filters as a query string ending in '&', ready for '?...page=N'."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


@register.simple_tag(takes_context=True)
def webcal(context, path: str) -> str:
    """The webcal: address of a calendar on this site: a calendar program subscribes to it (and
    keeps it up to date) where the https: address would only download the file once."""
    return "webcal://" + context["request"].get_host() + path
