"""Save a screenshot of the dashboard's Patient page to docs/figures/dashboard.png (for the README).

Serves the app on a free loopback port in a background thread and drives Debian's headless Chromium with
Playwright (never a downloaded browser). Usage::

    .venv/bin/python scripts/screenshot_dashboard.py [OUTPUT.png]
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from lupuscart.app import CHROMIUM, CHROMIUM_ARGS, serve_in_background

    with serve_in_background() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1500, "height": 1250}, device_scale_factor=1)
        page.goto(f"{url}/")
        page.locator("#patient-value-car-t-peak").wait_for(timeout=60_000)
        page.wait_for_function("document.querySelectorAll('#patient-graph-sledai .scatterlayer .trace').length > 0")
        page.wait_for_timeout(500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=False)
        browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/figures/dashboard.png"))
