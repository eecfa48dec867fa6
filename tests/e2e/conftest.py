"""Browser tests: Playwright driving Debian's Chromium against the app on a live server.

They run whenever Chromium, Playwright and the checkers (node_modules: axe-core, vnu-jar; Java)
are there, and are skipped with a plain message when not. With E2E_REQUIRED=1 (set by CI and by
`make e2e`) a missing piece fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest

from meetings.models import Meeting
from workplan.models import WorkPlanItem

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = PROJECT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing() -> list[str]:
    gaps = []
    if not Path(CHROMIUM).exists():
        gaps.append(f"Chromium ({CHROMIUM}; apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        gaps.append("Playwright for Python (pip install -r requirements-dev.txt)")
    if not AXE.exists() or not VNU.exists():
        gaps.append("axe-core and vnu-jar (npm install)")
    if shutil.which("java") is None:
        gaps.append("Java (for the Nu HTML Checker)")
    return gaps


GAPS = missing()


def pytest_collection_modifyitems(config, items):
    if not GAPS:
        return
    message = "browser tests SKIPPED, missing: " + "; ".join(GAPS)
    if os.environ.get("E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"E2E_REQUIRED=1 but {message}")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=message))


def pytest_terminal_summary(terminalreporter):
    if GAPS:
        terminalreporter.write_line("Browser tests were SKIPPED, missing: " + "; ".join(GAPS), yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, settings):
    """The demo on a live server (loopback), with its accounts."""
    import io

    from django.core.management import call_command

    settings.DEBUG = True  # the demo accounts are made only on a development machine
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return live_server.url


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(viewport=DESKTOP, bypass_csp=False):
        context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def shoot_both(page_factory, url: str, name: str) -> None:
    """The same page at desktop and phone width."""
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = page_factory(viewport)
        page.goto(url)
        shoot(page, f"{name}-{label}")


def admin_login(page, site):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "secretariat")
    page.fill("#id_password", "bali-process-demo")
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


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
