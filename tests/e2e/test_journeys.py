"""The four journeys people make through the app, in a real browser."""

import datetime
import re
from pathlib import Path

import pytest

from meetings.models import Meeting, MemberState
from workplan.models import WorkPlanItem

from .conftest import DESKTOP, PHONE, admin_login, shoot, shoot_both

pytestmark = pytest.mark.django_db(transaction=True)
STATEMENT = (Path(__file__).resolve().parents[1] / "statements" / "seventh_annual_meeting.txt").read_text()


def pick(page, select_id: str, text: str) -> None:
    """Choose an option in one of the admin's autocomplete (select2) fields."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_officer_records_and_publishes_a_meeting_and_a_visitor_reads_it(site, page_factory):
    page = page_factory()
    admin_login(page, site)
    page.goto(f"{site}/admin/meetings/meeting/add/")
    page.select_option("#id_body", label="Working Group on Trafficking in Persons")
    page.fill("#id_number", "4")
    page.fill("#id_start_date", "2024-05-14")
    page.select_option("#id_format", "in_person")
    page.fill("#id_venue_city", "Colombo")
    page.fill("#id_venue_country", "Sri Lanka")
    page.fill("#id_outcome_statement", "Sri Lanka and Fiji co-chaired the fourth Annual Meeting in Colombo.")
    states = {state.name: state.pk for state in MemberState.objects.all()}
    for state in ["Sri Lanka", "Fiji"]:
        page.check(f"input[name=c-s{states[state]}]")
    for state in ["Sri Lanka", "Fiji", "Australia"]:
        page.check(f"input[name=p-s{states[state]}]")
    shoot(page, "journey1-meeting-form-desktop")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    meeting = Meeting.objects.get(body__slug="wg-tip", number=4)
    assert meeting.status == "draft"
    assert meeting.attendances.count() == 3 and meeting.cochairs.count() == 2

    page.check(f"input[name=_selected_action][value='{meeting.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    # Never sent to its co-chairs for clearance: the admin asks why it is published without.
    page.wait_for_selector("text=Not cleared by: Fiji and Sri Lanka.")
    page.fill("#id_clearance_reason", "Cleared by the co-chairs in the meeting room.")
    page.click("input[value='Publish with this reason']")
    page.wait_for_selector(".messagelist")
    meeting.refresh_from_db()
    assert meeting.status == "published"

    visitor = page_factory()
    visitor.goto(f"{site}/meetings/?body=wg-tip")
    visitor.click("text=Fourth Annual Meeting of the Working Group on Trafficking in Persons")
    body = visitor.inner_text("main")
    assert "Colombo, Sri Lanka" in body
    assert "3 states and 0 organisations took part" in body
    assert re.search(r"Co-chairs\s+(Fiji and Sri Lanka|Sri Lanka and Fiji)", body)
    shoot(visitor, "journey1-public-meeting-desktop")
    shoot_both(page_factory, visitor.url, "journey1-public-meeting")


def test_officer_imports_a_statement_and_resolves_an_unknown_name(site, page_factory):
    text = STATEMENT.replace("seventh Annual Meeting", "eighth Annual Meeting").replace(
        "the United Nations Office on Drugs and Crime also", "the UN Drugs Office also"
    )
    page = page_factory()
    admin_login(page, site)
    page.goto(f"{site}/admin/meetings/meeting/")
    page.click("text=Import a co-chairs' statement")
    page.fill("#id_text", text)
    page.click("input[name=review]")
    page.wait_for_selector("text=Names not in the registry (1)")
    shoot(page, "journey2-review-desktop")
    page.select_option("#id_unresolved-0-action", "map")
    page.select_option("#id_unresolved-0-map_to", label="United Nations Office on Drugs and Crime (UNODC)")
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist")
    assert "recorded as a draft" in page.inner_text(".messagelist")
    meeting = Meeting.objects.get(number=8, body__slug="wgd")
    assert meeting.status == "draft"
    assert meeting.attendances.filter(organisation__acronym="UNODC").exists()
    # The eighth meeting reports on the seventh's work plan: the same four items, not four more.
    assert meeting.items_raised.count() == 0
    assert meeting.items_reported.count() == 4
    assert WorkPlanItem.objects.count() == 4
    shoot(page, "journey2-draft-meeting-desktop")


def test_cochair_moves_an_item_and_the_public_sees_it(site, page_factory):
    page = page_factory()
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "cochair-vn")
    page.fill("#id_password", "bali-process-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/workspace/")
    assert "You work for Viet Nam" in page.inner_text("main")
    shoot(page, "journey3-workspace-desktop")
    page.click("text=a) Training on trauma-informed approaches")
    page.select_option("#id_status", "agreed")
    page.fill("#id_text", "Members agreed the training; Australia offered to host it.")
    page.click("text=Post update")
    page.wait_for_selector("text=Update posted. Status now: agreed.")
    item = WorkPlanItem.objects.get(order_label="a")
    assert item.status == "agreed"

    visitor = page_factory()
    visitor.goto(f"{site}/workplan/items/{item.pk}/")
    timeline = visitor.inner_text("main")
    today = datetime.date.today()
    assert f"{today.day} {today:%B %Y} · Co-chair, Viet Nam · status suggested → agreed" in timeline
    assert "Australia offered to host it." in timeline
    shoot_both(page_factory, visitor.url, "journey3-public-item")


def test_a_delegate_on_a_phone_reaches_every_page_from_the_menu(site, page_factory):
    page = page_factory(PHONE)
    page.goto(f"{site}/")
    assert page.viewport_size["width"] == 375
    shoot(page, "journey4-home-phone")
    page.click("text=Read the full outcome")
    assert "Bangkok, Thailand" in page.inner_text("main")
    shoot(page, "journey4-meeting-phone")
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{site}/workplan/")
    shoot(page, "journey4-board-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for label, heading in [
        ("Meetings", "Meetings"),
        ("Work plan", "Forward work plan"),
        ("Members", "Members and observers"),
        ("Search", "Search"),
        ("Log in", "Log in"),
    ]:
        link = page.locator("nav[aria-label=Main]").get_by_role("link", name=label, exact=True)
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, label
        link.click()
        assert page.locator("h1").inner_text() == heading
    desktop = page_factory(DESKTOP)
    desktop.goto(f"{site}/")
    shoot(desktop, "journey4-home-desktop")
