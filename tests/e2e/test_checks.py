"""Accessibility (axe-core in the browser) and valid HTML (the Nu HTML Checker) on every public
page of the demo, and axe on the workspace."""

import json
import subprocess

import pytest

from meetings.models import Meeting
from workplan.models import WorkPlanItem

from .conftest import AXE, VNU

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages() -> list[str]:
    meeting = Meeting.objects.get(number=7)
    item = WorkPlanItem.objects.get(order_label="a")
    return [
        "/",
        "/meetings/",
        f"/meetings/{meeting.slug}/",
        f"/meetings/{meeting.slug}/print/",
        f"/meetings/{meeting.slug}/participants/",
        "/exercises/",
        "/exercises/table-top-exercise-investigations-2022/",
        "/bodies/",
        "/bodies/wgd/",
        "/members/",
        "/members/states/viet-nam/",
        "/members/organisations/iom/",
        "/themes/online-scams/",
        "/workplan/",
        "/workplan/?status=suggested&kind=training",
        f"/workplan/items/{item.pk}/",
        "/search/",
        "/search/?q=online+scams",
        "/data/",
        "/accounts/login/",
        "/no/such/page/",
    ]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violation_on_any_public_page(site, page_factory):
    page = page_factory(bypass_csp=True)  # only to inject axe; the app's own pages need no exception
    found = {}
    for path in public_pages():
        page.goto(site + path)
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}


def test_no_serious_accessibility_violation_in_the_workspace(site, page_factory):
    page = page_factory(bypass_csp=True)
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "cochair-vn")
    page.fill("#id_password", "bali-process-demo")
    page.click("button[type=submit]")
    item = WorkPlanItem.objects.get(order_label="a")
    meeting = Meeting.objects.get(number=7)
    found = {}
    for path in [
        "/workspace/",
        f"/workspace/items/{item.pk}/",
        f"/workspace/items/{item.pk}/edit/",
        f"/workspace/meetings/{meeting.slug}/report/",
        "/accounts/password/",
    ]:
        page.goto(site + path)
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}


def test_every_public_page_is_valid_html(site, page_factory, tmp_path):
    page = page_factory()
    files = []
    for index, path in enumerate(public_pages()):
        response = page.goto(site + path)
        target = tmp_path / f"page{index:02d}.html"
        target.write_bytes(response.body())
        files.append((path, target))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *[str(f) for _, f in files]],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    names = {str(f): path for path, f in files}
    errors = [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
