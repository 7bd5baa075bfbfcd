"""Playwright on Debian's Chromium, and an axe-core check for accessibility."""
import os
import shutil

import pytest

CHROMIUM = os.environ.get("MIPEVENTS_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("MIPEVENTS_REQUIRE_BROWSER") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if REQUIRE_BROWSER:
            pytest.fail(f"Chromium is required (MIPEVENTS_REQUIRE_BROWSER=1) but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(width=1280, height=900) -> a page in a fresh context (its own cookies)."""
    contexts = []

    def make(width=1280, height=900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(width=360, height=740, is_mobile=True, has_touch=True)


def axe_violations(page, impacts=("serious", "critical")):
    """axe-core's violations of the given impacts on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        summary = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations]
        assert summary == [], f"axe violations on {page.url}:\n" + "\n".join(summary)
    return check


@pytest.fixture
def staff_login():
    """staff_login(page, server, email, password): sign in through the real form."""
    def do(page, server, email, password):
        page.goto(server.url + "/staff/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/staff/login" not in url)
    return do
