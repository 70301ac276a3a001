"""Serving the dashboard in-process and the Chromium flags for driving it headless (tests, screenshots).

Playwright drives Debian's Chromium (``/usr/bin/chromium``), never a browser it downloads. The flags keep it off
the network (this machine's network is closed; background services would only fail).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._server import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextmanager
def serve_in_background() -> Iterator[str]:
    """Serve :func:`lupuscart.app.create_app` on ``127.0.0.1:<free port>`` from a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="lupuscart-dashboard", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
