"""Admin change lists that stay fast at a million rows.

Counting a whole large table on every page costs more than showing the page. Unfiltered lists
on PostgreSQL use the planner's row estimate; filtered lists count at most COUNT_CAP rows.
Page links reach the first COUNT_CAP rows, each page skipping rows by their key alone; rows
older than that are reached by keyset ("Older rows", `?before=<id>`), which costs the same on
the last row as on the first (an OFFSET of a million rows took 10 s at scale 100).
"""

import functools
import math

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import get_language, gettext

COUNT_CAP = 1_000
ESTIMATE_ABOVE = 100_000
KEYSET_VAR = "before"


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and connection.vendor == "postgresql":
            estimate = _estimated_rows(queryset.model._meta.db_table)
            if estimate > ESTIMATE_ABOVE:
                return estimate
        if query is None:
            return super().count
        return queryset[: COUNT_CAP + 1].count()

    @property
    def counted_exactly(self) -> bool:
        return self.count <= COUNT_CAP

    @cached_property
    def num_pages(self):
        # Deeper rows are reached by keyset, never by an OFFSET past the cap.
        return min(super().num_pages, max(1, math.ceil(COUNT_CAP / self.per_page)))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if bottom and hasattr(rows, "query"):
            # Skip rows by key alone (an index-only scan), then join only the page's rows:
            # an OFFSET over the joined rows joins every skipped row too.
            keys = rows.values("pk")[bottom : bottom + self.per_page]
            return self._get_page(rows.filter(pk__in=keys), number, self)
        return self._get_page(rows[bottom : bottom + self.per_page], number, self)


def _estimated_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else 0


class LargeChangeList(ChangeList):
    """Django's change list, plus the keyset cursor `before` (rows with a smaller id) while the
    list is in its default order, newest first."""

    def __init__(self, request, *args, **kwargs):
        self.before = _key(request.GET.get(KEYSET_VAR)) if ORDER_VAR not in request.GET else None
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(KEYSET_VAR, None)  # a cursor, not a filter
        return lookup_params

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if self.before is not None:
            queryset = queryset.filter(pk__lt=self.before)
        return queryset

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        # Long texts and search vectors no list column shows: not read for 50 rows a page.
        return qs.defer(*self.model_admin.list_defer) if self.model_admin.list_defer else qs

    def get_results(self, request):
        super().get_results(request)
        if not self.paginator.counted_exactly:
            # Printed as what it is wherever the admin prints the count ("Select all ...", "All ...
            # selected", the search's "... results"): 1001 there made a bulk action look as if it
            # covered 1,001 rows when it covers every matching one.
            self.result_count = ShownCount(self.result_count, self.count_text)
        self.older_rows_url = self.newest_rows_url = None
        if ORDER_VAR in self.params or self.model_admin.ordering != ["-id"]:
            return
        if self.before is not None:
            self.newest_rows_url = self.get_query_string(remove=[KEYSET_VAR, PAGE_VAR])
        on_last_page = self.page_num >= self.paginator.num_pages
        if on_last_page and self.result_count > self.page_num * self.list_per_page:
            rows = list(self.result_list)  # evaluated once: the template reads the same rows
            if rows:
                self.older_rows_url = self.get_query_string({KEYSET_VAR: rows[-1].pk}, remove=[PAGE_VAR])

    @property
    def count_text(self) -> str:
        if isinstance(self.result_count, ShownCount):
            return self.result_count.text
        if self.paginator.counted_exactly:
            return str(self.result_count)
        if self.result_count == COUNT_CAP + 1:
            return f"more than {COUNT_CAP:,}"
        return f"about {self.result_count:,}"


class ShownCount(int):
    """A capped or estimated count: a number to compare and count with, "more than 1,000" or
    "about 1,181,182" to read."""

    def __new__(cls, value: int, text: str):
        count = super().__new__(cls, value)
        count.text = text
        return count

    def __str__(self):
        return self.text


def _key(value):
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    return key if 0 < key < 2**63 else None


class LargeTableAdmin:
    """For the change lists of tables that grow without bound (attendance, items, updates)."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Counts per filter choice read every row of the table: not offered on a million rows.
    show_facets = admin.ShowFacets.NEVER
    # Rows rendered a column at a time (admin_rows.py); a model's own change list extends it.
    change_list_template = "admin/large_change_list.html"
    ordering = ["-id"]  # the primary key's index, not a sort of the whole table
    # A list of a million rows is searched and filtered, not read page by page; each row costs
    # the admin about half a millisecond to render, so 50 a page instead of Django's 100.
    list_per_page = 50
    list_defer: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        return LargeChangeList

    def action_checkbox(self, obj):
        """Each row's checkbox, the same markup as Django's, without rendering a widget template
        for every row (a third of the time of a page of 100 attendance rows)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            _select_label(get_language()).format(obj),
        )


@functools.lru_cache(maxsize=16)
def _select_label(language: str) -> str:
    # Once per language, not per row: a msgid of our own walks every catalog's fallbacks (0.15 ms).
    return gettext("Select this object for an action - {}")


def search_words(search_term: str) -> list[str]:
    """The words of a search as Django's admin splits them (a quoted phrase is one word)."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            words.append(bit)
    return words
