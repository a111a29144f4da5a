"""Headless Chromium (through Playwright) for screenshots of views, their tests and benchmark.

Playwright cannot download its own browsers here, so this drives the system's Chromium
(Debian's ``chromium`` package, installed by ``scripts/install-system-deps``). Every page
is opened with the network blocked: only ``file://`` requests go through, and every other
request attempted is recorded, so a test can assert that a view asked for nothing.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


class BrowserMissing(RuntimeError):
    """No Chromium to drive."""


def chromium_path() -> str:
    """``$CHROMIUM`` or the first Chromium on the PATH."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    raise BrowserMissing("no Chromium found: run scripts/install-system-deps (apt-get install chromium) "
                         "or set $CHROMIUM to its path")


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (no sandbox: we run as root in CI)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OpenedView:
    page: object
    blocked: list[str] = field(default_factory=list)   # requests attempted outside file://
    errors: list[str] = field(default_factory=list)    # console errors and uncaught exceptions

    def drawn(self) -> dict[str, int]:
        """Nodes and edges the network actually drew."""
        return self.page.evaluate("ckg.drawn()")


def open_view(browser, path: Path, width: int = 1400, height: int = 900, timeout_ms: int = 60_000) -> OpenedView:
    """Open a view page offline and wait until the network has drawn once."""
    page = browser.new_page(viewport={"width": width, "height": height})
    opened = OpenedView(page)

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            opened.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.goto(Path(path).resolve().as_uri())
    wait_until(page, "window.ckg && window.ckg.drawnAt !== null", timeout_ms)
    return opened


def wait_until(page, expression: str, timeout_ms: int) -> None:
    """Poll ``expression`` from outside the page: Playwright's own waiting evaluates strings
    inside it, which the views' Content-Security-Policy (no eval) rightly refuses."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page did not reach {expression!r} within {timeout_ms} ms")
        time.sleep(0.02)
