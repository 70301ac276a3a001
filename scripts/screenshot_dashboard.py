"""Save a screenshot of the dashboard's Patient page to docs/figures/dashboard.png (for the README).

Serves the app on a free loopback port in a background thread and drives Debian's headless Chromium with
Playwright (never a downloaded browser). Usage::

    .venv/bin/python scripts/screenshot_dashboard.py [OUTPUT.png]
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from lupuscart.app import create_app

    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1250}, device_scale_factor=1)
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            page.locator("#patient-value-car-t-peak").wait_for(timeout=60_000)
            page.wait_for_function("document.querySelectorAll('#patient-graph-sledai .scatterlayer .trace').length > 0")
            page.wait_for_timeout(500)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/figures/dashboard.png"))
