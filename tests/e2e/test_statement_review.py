"""The statement import's review screen in a real browser: the statement beside its facts on a wide
screen and above them on a phone, nothing wider than the screen, and no serious axe violation."""

from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE, admin_login, axe_violations, shoot

pytestmark = pytest.mark.django_db(transaction=True)
# The eighth meeting: its work plan continues the seventh's, one name is not in the registry, and
# Thailand's co-chairing differs from the body's terms, so every part of the review is on the page.
STATEMENT = (
    (Path(__file__).resolve().parents[1] / "statements" / "seventh_annual_meeting.txt")
    .read_text()
    .replace("seventh Annual Meeting", "eighth Annual Meeting")
    .replace("12 October 2022", "10 October 2023")
    .replace("Viet Nam and New Zealand", "Thailand and New Zealand")
    .replace("the United Nations Office on Drugs and Crime also", "the UN Drugs Office also")
)


def open_review(page, site):
    admin_login(page, site)
    page.goto(f"{site}/admin/meetings/meeting/import-statement/")
    page.fill("#id_text", STATEMENT)
    page.click("input[name=review]")
    page.wait_for_selector("text=Names not in the registry (1)")


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_review_fits_the_screen_and_passes_axe(site, page_factory, label, viewport):
    page = page_factory(viewport, bypass_csp=True)  # only to inject axe
    open_review(page, site)
    shoot(page, f"statement-review-{label}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    text = page.locator(".statement-pane").bounding_box()
    facts = page.locator(".facts-pane").bounding_box()
    if label == "desktop":
        assert text["x"] + text["width"] <= facts["x"]  # side by side
    else:
        assert text["y"] + text["height"] <= facts["y"]  # one above the other
    # Each fact's link leads to its marked passage.
    cite = page.locator("#id_start_date ~ a.cite")
    target = cite.get_attribute("href")
    cite.click()
    assert page.url.endswith(target)
    assert "12 October 2022" not in page.inner_text(target)  # the eighth meeting's own date is marked
    assert "10 October 2023" in page.inner_text(target)
    assert page.locator(target).is_visible()
    assert page.locator("mark[id^=src-]").count() >= 5
    assert page.locator("text=Same item: “a) Training on trauma-informed approaches").count() == 1
    assert "Thailand" in page.inner_text(".review-terms")
    assert axe_violations(page) == []
