"""Accessibility (axe-core in the browser) and valid HTML (the Nu HTML Checker) on every public
page of the demo, and axe on the workspace."""

import json
import re
import subprocess

import pytest

from meetings.clearance import send_for_clearance
from meetings.models import Meeting
from workplan.models import WorkPlanItem

from .conftest import VNU, axe_violations, public_pages

pytestmark = pytest.mark.django_db(transaction=True)


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
    draft = Meeting.objects.create(
        body=meeting.body,
        number=98,
        slug="wgd-draft-for-clearance",
        start_date=meeting.start_date,
        end_date=meeting.end_date,
    )
    draft.outcome_statement = "The eighth meeting agreed a new period of action."
    draft.save()
    send_for_clearance(meeting=draft)
    found = {}
    for path in [
        "/workspace/",
        f"/workspace/meetings/{draft.slug}/clearance/",
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


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(float(n)) / 255 for n in re.findall(r"[\d.]+", colour)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_ring_contrast(page, link_selector: str, header_selector: str) -> float:
    """Tab to a header link and compare its focus outline with the header's background."""
    page.focus(link_selector)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    outline = page.eval_on_selector(link_selector, "e => getComputedStyle(e).outlineColor")
    style = page.eval_on_selector(link_selector, "e => getComputedStyle(e).outlineStyle")
    background = page.eval_on_selector(header_selector, "e => getComputedStyle(e).backgroundColor")
    assert style != "none", f"{link_selector} shows no focus outline"
    return contrast(outline, background)


def test_the_admin_meeting_change_form_has_no_serious_accessibility_violation(site, page_factory):
    page = page_factory(bypass_csp=True)
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "secretariat")
    page.fill("#id_password", "bali-process-demo")
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    meeting = Meeting.objects.get(number=7)
    found = {}
    for path in [f"/admin/meetings/meeting/{meeting.pk}/change/", "/admin/meetings/meeting/add/"]:
        page.goto(site + path)
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}, json.dumps(found, indent=1)
    assert focus_ring_contrast(page, "#user-tools a", "#header") >= 3


def test_the_focus_ring_on_the_public_header_stands_out(site, page_factory):
    page = page_factory()
    page.goto(f"{site}/meetings/")
    assert focus_ring_contrast(page, ".site-header .nav-link[href='/workplan/']", ".site-header") >= 3


def test_the_workplan_lead_filter_describes_itself_with_an_existing_id(site, page_factory):
    page = page_factory()
    page.goto(f"{site}/workplan/")
    described = page.get_attribute("#id_lead", "aria-describedby")
    assert described and page.locator(f"#{described}").count() == 1
