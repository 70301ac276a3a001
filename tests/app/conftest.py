"""Fixtures for the dashboard tests: a live server on a free loopback port and Debian's headless Chromium.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium`` (installed by
``scripts/ensure-chromium.sh``, run by ``make test``). Without it the browser tests skip with the reason, except
under CI (``CI=true``), where they fail: CI must really run them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from lupuscart.app import CHROMIUM, CHROMIUM_ARGS, serve_in_background


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; CI must run the browser tests (make browser installs Debian's chromium).")
    pytest.skip(f"{reason}; run `make browser` (as root) to install Debian's chromium.")


@pytest.fixture(scope="session")
def dash_url() -> Iterator[str]:
    """Serve :func:`lupuscart.app.create_app` from a background thread on ``127.0.0.1:<free port>``."""
    with serve_in_background() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched by Playwright with a fresh profile directory."""
    if not CHROMIUM.exists():
        _missing_browser(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the dev requirements
        _missing_browser("the playwright Python package is not installed")
    # Playwright refuses --user-data-dir in ``args``; ``launch`` always starts from a fresh temporary profile.
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, dash_url: str) -> Iterator[Any]:
    """A fresh page; every request it makes is recorded on ``page.lupuscart_requests`` (all must be local)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda req: requests.append(req.url))
    pg.lupuscart_requests = requests
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        context.close()
