"""The rows of a large change list, rendered as Django's admin renders them (the same cells,
classes and links) but with each column's work done once a page instead of once a row.

Django's items_for_result looks up each column's field, its empty value, its choices and the
row's change URL (a reverse() and a resolve()) for every cell: two thirds of a page of 50
attendance rows. Here a column is looked at once, and the change URL is reversed once and
filled in with each row's key.
"""

import datetime

from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name, items_for_result, results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field, quote
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

KEY_MARK = "7919191919"  # stands for a row's key in the reversed change URL


def fast_results(cl):
    """Django's `results(cl)`, each column prepared once. A list with editable fields, links
    elsewhere than the first column or a pop-up keeps Django's own."""
    links = cl.list_display_links
    if cl.formset or cl.is_popup or not links or len(links) != 1:
        return list(results(cl))
    rows = list(cl.result_list)
    if not rows:
        return []
    columns = [_Column(cl, name, index, rows[0]) for index, name in enumerate(cl.list_display)]
    if any(column.generic for column in columns):
        return [ResultList(None, items_for_result(cl, row, None)) for row in rows]
    link = _change_url(cl)
    pk = cl.lookup_opts.pk.attname
    return [ResultList(None, [_row(columns, row, link, pk)]) for row in rows]


def _row(columns, row, link, pk):
    """A row's cells as one string: the template writes each item with a {{ }} of its own, and
    five a row were a fifth of the page's time."""
    return mark_safe("".join(column.cell(row, link, pk) for column in columns))  # noqa: S308 (cells escaped)


def _change_url(cl):
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(KEY_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    return conditional_escape(url)


class _Column:
    def __init__(self, cl, name, index, sample):
        self.name, self.model_admin = name, cl.model_admin
        self.empty = cl.model_admin.get_empty_value_display()
        self.link = name in cl.list_display_links
        self.generic = False
        classes = [f"field-{_coerce_field_name(name, index)}"]
        try:
            self.field, attr, value = lookup_field(name, sample, cl.model_admin)
        except ObjectDoesNotExist:
            self.generic = True  # a relation missing on the first row: Django's way for all
            return
        self.empty = getattr(attr, "empty_value_display", self.empty)
        field = self.field
        if field is None or field.auto_created:
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            self.boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                self.boolean = getattr(attr.fget, "boolean", False)
            self.kind = "value"
        elif isinstance(field.remote_field, models.ManyToOneRel):
            classes.append("nowrap")
            self.kind = "relation"
        else:
            if isinstance(field, models.DateField | models.TimeField):
                classes.append("nowrap")
            self.choices = dict(field.flatchoices) if getattr(field, "flatchoices", None) else None
            self.kind = "field"
        self.classes = " ".join(classes)

    def cell(self, row, link, pk):
        text, nowrap = self.text(row)
        classes = f"{self.classes} nowrap" if nowrap else self.classes
        if self.link and link is not None:
            url = link.replace(KEY_MARK, str(quote(getattr(row, pk))))
            return mark_safe(f'<th class="{classes}"><a href="{url}">{text}</a></th>')
        return mark_safe(f'<td class="{classes}">{text}</td>')

    def text(self, row):
        """The cell's escaped text, and whether a date or time value keeps it on one line."""
        if self.kind == "relation":
            related = getattr(row, self.field.name)
            return conditional_escape(self.empty if related is None else related), False
        try:
            _, _, value = lookup_field(self.name, row, self.model_admin)
        except ObjectDoesNotExist:
            return conditional_escape(self.empty), False
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if self.kind == "value":
            if isinstance(value, str) and value and not self.boolean:
                return conditional_escape(value), False
            nowrap = isinstance(value, datetime.date | datetime.time)
            return conditional_escape(display_for_value(value, self.empty, self.boolean)), nowrap
        if self.choices is not None:
            return conditional_escape(self.choices.get(value, self.empty)), False
        return conditional_escape(display_for_field(value, self.field, self.empty, avoid_link=self.link)), False
