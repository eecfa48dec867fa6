"""The public pages at 1280 and 375 px as a delegate sees them: the outcome near the top of a
meeting's page on a phone, no page wider than the screen, pictures that scroll in their own box.

Screenshots go to test-artifacts/screenshots/; with UPDATE_DOCS_SCREENSHOTS=1 the two the README
shows (the meeting page on a phone, the participation matrix) are written to docs/ as well.
"""

import os
import shutil

import pytest

from meetings.models import Meeting

from .conftest import ARTIFACTS, DESKTOP, PHONE, PROJECT, public_pages, shoot

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = PROJECT / "docs"


def keep_for_docs(name: str) -> None:
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / f"{name}.png", DOCS / f"{name}.png")


def test_on_a_phone_the_outcome_statement_starts_within_the_first_1000_pixels(site, page_factory):
    meeting = Meeting.objects.get(number=7)
    page = page_factory(PHONE)
    page.goto(f"{site}/meetings/{meeting.slug}/")
    top = page.eval_on_selector("#statement-heading", "e => e.getBoundingClientRect().top + window.scrollY")
    assert top < 1000, f"'Outcome statement' starts at {top:.0f} px"
    # The jump links reach each part of the page.
    for target in ("#statement-heading", "#items-heading", "#participants-heading", "#exercises-heading"):
        assert page.locator(f".jump-links a[href='{target}']").count() == 1
        assert page.locator(target).count() == 1
    # The document buttons name their file type.
    actions = page.inner_text(".doc-actions")
    assert "Word (.docx)" in actions and "Calendar (.ics)" in actions
    shoot(page, "meeting-phone-full")
    # The README's picture: the first 1,100 px, where a delegate on a phone meets the outcome.
    page.screenshot(
        path=str(ARTIFACTS / "meeting-phone.png"), full_page=True, clip={"x": 0, "y": 0, "width": 375, "height": 1100}
    )
    keep_for_docs("meeting-phone")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_no_public_page_scrolls_sideways(site, page_factory, viewport):
    page = page_factory(viewport)
    wide = {}
    for path in public_pages():
        page.goto(site + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide[path] = overflow
    assert wide == {}


def test_the_participation_matrix_stays_readable_on_a_phone_and_scrolls_in_its_box(site, page_factory):
    page = page_factory(PHONE)
    page.goto(f"{site}/members/")
    box = page.locator(".matrix .chart-box")
    # A matrix wider than the phone scrolls inside its box (the page never does) ...
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    # ... and its text keeps its size: 12 px on screen, not shrunk to fit.
    height = page.eval_on_selector(".matrix svg text", "e => e.getBoundingClientRect().height")
    assert height >= 11
    matrix = page.locator(".matrix")
    matrix.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    desktop = page_factory(DESKTOP)
    desktop.goto(f"{site}/members/")
    desktop.locator(".matrix .chart-box").screenshot(path=str(ARTIFACTS / "participation-matrix.png"))
    keep_for_docs("participation-matrix")


def test_the_body_timeline_keeps_readable_year_labels_on_a_phone(site, page_factory):
    page = page_factory(PHONE)
    page.goto(f"{site}/bodies/wgd/")
    height = page.eval_on_selector("figure svg text", "e => e.getBoundingClientRect().height")
    assert height >= 11
    shoot(page, "body-phone")


def test_the_board_filters_line_up_on_a_wide_screen(site, page_factory):
    """The filter row's selects stand on one line; a help text shown under one lifted it above the rest."""
    page = page_factory(DESKTOP)
    page.goto(f"{site}/workplan/")
    selects = page.locator("form[aria-label=Filters] select").all()
    assert len(selects) >= 3
    tops = {round(select.bounding_box()["y"]) for select in selects}
    assert len(tops) == 1, tops
