"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's
live server, with axe-core (accessibility) and vnu-jar (HTML validity) from node_modules
(`make setup` installs them with `npm ci`). Never a downloaded browser."""

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if Path(item.fspath).parent == Path(__file__).parent]
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
    # A missing system package is one clear stop, not dozens of errors (`make test` installs it).
    if browser_tests and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.exit(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. Run\n"
            "    sudo apt-get install -y chromium fonts-noto-cjk default-jre-headless nginx\n"
            "(make test does this itself when run as root), or deselect them with -m 'not browser'.",
            returncode=4,
        )


def require(path, why):
    if not Path(path).exists() and not shutil.which(str(path)):
        pytest.fail(f"{path} is missing: {why}")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    require(CHROMIUM, "install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, imported):
    """The live server's base URL, with the real content imported."""
    return live_server.url


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts: ``new_page(viewport=..., java_script_enabled=False)``.

    At teardown each page is let finish what it has in flight (an admin page posts a Markdown
    preview per editor box) and then closed, pass or fail. A request the live server is still
    serving when the test's database is flushed makes the flush fail ("couldn't be flushed").
    """
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{"viewport": PHONE, "locale": "zh-CN", **options})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        for page in context.pages:
            # A crashed or hung page is closed all the same.
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5000)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def page_without_javascript(new_page):
    return new_page(java_script_enabled=False)


@pytest.fixture(scope="session")
def axe_source():
    require(AXE_SCRIPT, "run `make setup` (npm ci installs axe-core)")
    return AXE_SCRIPT.read_text()


@pytest.fixture
def axe(axe_source):
    """Run axe-core (all WCAG 2.x A/AA rules and best practices) on a page; return violations."""

    def run(page):
        page.evaluate(axe_source)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return run


def sign_in(page, site, user):
    """Sign ``user`` (password correct-horse-battery, as tests/conftest.py makes staff) in to
    the admin in ``page``."""
    from playwright.sync_api import expect

    page.goto(site + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
