"""Helpers several test modules share (test modules never import each other): every URL pattern
and a real address for each, the settings module read in a fresh process, and the statement
import's admin screens driven as a browser would."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from meetings.models import Meeting

PROJECT = Path(__file__).resolve().parent.parent
STATEMENTS = Path(__file__).parent / "statements"
SEVENTH_FILE = STATEMENTS / "seventh_annual_meeting.txt"
SEVENTH = SEVENTH_FILE.read_text()
IMPORT_URL = "/admin/meetings/meeting/import-statement/"


def all_patterns(patterns=None, prefix="", namespace=""):
    """(name, route) of every URL pattern, the namespace joined to the name."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def concrete(name: str, route: str, world) -> str:
    """A real address for a pattern, filled from the demo."""
    meeting, item = world["meeting"], world["item"]
    fixed = {
        "meetings:detail": f"/meetings/{meeting.slug}/",
        "meetings:print": f"/meetings/{meeting.slug}/print/",
        "meetings:participants": f"/meetings/{meeting.slug}/participants/",
        "meetings:meeting-ics": f"/meetings/{meeting.slug}/calendar.ics",
        "meetings:docx": f"/meetings/{meeting.slug}/outcome.docx",
        "meetings:exercise": "/exercises/table-top-exercise-investigations-2022/",
        "meetings:exercise-ics": "/exercises/table-top-exercise-investigations-2022/calendar.ics",
        "meetings:body": "/bodies/wgd/",
        "meetings:theme": "/themes/online-scams/",
        "meetings:state": "/members/states/viet-nam/",
        "meetings:organisation": "/members/organisations/iom/",
        "workplan:item": f"/workplan/items/{item.pk}/",
        "opendata:download": "/data/workplan.csv",
        "workplan:workspace-item": f"/workspace/items/{item.pk}/",
        "workplan:edit-item": f"/workspace/items/{item.pk}/edit/",
        "workplan:report": f"/workspace/meetings/{meeting.slug}/report/",
        "workplan:report-docx": f"/workspace/meetings/{meeting.slug}/report.docx",
        "workplan:clearance": f"/workspace/meetings/{world['draft'].slug}/clearance/",
        "api:state-detail": "/api/v1/states/VN/",
        "api:organisation-detail": "/api/v1/organisations/iom/",
        "api:body-detail": "/api/v1/bodies/wgd/",
        "api:meeting-detail": f"/api/v1/meetings/{meeting.slug}/",
        "api:exercise-detail": "/api/v1/exercises/table-top-exercise-investigations-2022/",
        "api:workplan-item-detail": f"/api/v1/workplan-items/{item.pk}/",
        "admin:view_on_site": f"/admin/r/{ContentType.objects.get_for_model(Meeting).pk}/{meeting.pk}/",
        "admin:app_list": "/admin/meetings/",
        "admin:auth_user_password_change": f"/admin/auth/user/{world['users']['no_role'].pk}/password/",
        "accounts:reset-confirm": "/accounts/password/set/MQ/not-a-token/",
    }
    if name in fixed:
        return fixed[name]
    if route == "admin/(?P<url>.*)$":
        return "/admin/no/such/page/"
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if match and ("<" in route or "(" in route):
        label = f"{match.group(1)}.{match.group(2)}"
        row = world["rows"].get(label) or _first(label)
        url = route.replace("<path:object_id>", str(row.pk))
        if "history/([^/]+)/$" in url:  # one historical version of the row
            version = row.history.latest("history_date").history_id
            url = url.replace("^([^/]+)/history/([^/]+)/$", f"{row.pk}/history/{version}/")
        return "/" + url
    if "<" in route or "(?P" in route:
        raise AssertionError(f"No address for {name} ({route}): add one to concrete().")
    return "/" + route


def _first(label):
    return apps.get_model(label).objects.first() or pytest.fail(f"No {label} row for the matrix")


def settings_value(expression: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import baliwg.settings as s; print({expression})"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("meetings", "workplan")
        for model in apps.get_app_config(app).get_models()
    }


def review(client, **data):
    response = client.post(IMPORT_URL, {"review": "1", **data})
    assert response.status_code == 200
    return response


def confirm_data(response, **changes):
    """The review page's forms as the browser would send them back, with changes."""
    data = {"confirm": "1"}
    for name in ("form", "add_parties", "exercises", "items", "unresolved"):
        form = response.context[name]
        forms_ = [form] if name == "form" else [form.management_form, *form.forms]
        for f in forms_:
            for field in f:
                value = field.value()
                if value is None or value is False:
                    continue
                if isinstance(value, list):
                    data[field.html_name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
                elif hasattr(value, "pk"):
                    data[field.html_name] = str(value.pk)
                elif value is True:
                    data[field.html_name] = "on"
                else:
                    data[field.html_name] = str(value)
    data.update(changes)
    return data
