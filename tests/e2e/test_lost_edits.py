"""No lost edit: two co-chairs edit the same item in two browsers at once."""

import re

import pytest

from workplan.models import WorkPlanItem

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "bali-process-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/workspace/")


def test_a_stale_edit_is_shown_beside_theirs_a_plain_save_keeps_theirs_and_the_overwrite_names_the_loss(
    site, page_factory
):
    item = WorkPlanItem.objects.get(order_label="a")
    edit = f"{site}/workspace/items/{item.pk}/edit/"
    a, b = page_factory(), page_factory()  # two browser contexts: two sessions
    log_in(a, site, "cochair-vn")
    log_in(b, site, "cochair-nz")
    a.goto(edit)
    b.goto(edit)

    a.fill("#id_description", "Viet Nam: scope agreed with IOM.")
    a.click("button:text-is('Save details')")
    a.wait_for_selector("text=The item's details were saved.")

    b.fill("#id_description", "New Zealand: budget of 20,000 USD.")
    b.click("button:text-is('Save details')")
    b.wait_for_selector("text=Their version beside yours")
    row = b.inner_text("#conflict-table tbody tr")
    assert re.search(r"Description\s+Viet Nam: scope agreed with IOM\.\s+New Zealand: budget of 20,000 USD\.", row)
    assert b.input_value("#id_description") == "New Zealand: budget of 20,000 USD."  # B's text is kept

    # A second plain Save is refused again: A's version stays.
    b.click("button:text-is('Save details')")
    b.wait_for_selector("text=Their version beside yours")
    item.refresh_from_db()
    assert item.description == "Viet Nam: scope agreed with IOM."

    overwrite = b.locator("button[name=resolve][value=overwrite]")
    assert overwrite.inner_text() == "Overwrite theirs: their description will be lost"
    overwrite.click()
    b.wait_for_selector("text=The item's details were saved.")
    item.refresh_from_db()
    assert item.description == "New Zealand: budget of 20,000 USD."
