"""Build the Dash application and serve it on loopback.

Everything the browser loads comes from this server: Dash's own JavaScript bundles (``serve_locally``), plotly.js
from the installed package, the stylesheet inline. The development tools and Dash's version check (a request
to plotly.com) are switched off, so nothing leaves the machine.
"""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING

from ..exceptions import InvalidInputError

if TYPE_CHECKING:
    import dash

#: Largest request body the server accepts (bytes); uploads are limited further by the Score page.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def create_app() -> dash.Dash:
    """The dashboard as a :class:`dash.Dash` application (not yet serving).

    Examples
    --------
    >>> app = create_app()
    >>> app.config.serve_locally, app.title
    (True, 'lupuscart')
    """
    import dash
    from dash import Input, Output

    from . import _patient_page, _score_page, _trial_page
    from ._layout import INDEX_STRING, page_for, shell

    pages = {"/": _patient_page.layout, "/trial": _trial_page.layout, "/score": _score_page.layout}
    app = dash.Dash(
        "lupuscart",
        title="lupuscart",
        serve_locally=True,
        assets_ignore=".*",
        include_assets_files=False,
        suppress_callback_exceptions=True,
        update_title="",
    )
    app.index_string = INDEX_STRING
    app.enable_dev_tools(
        debug=False,
        dev_tools_ui=False,
        dev_tools_props_check=False,
        dev_tools_hot_reload=False,
        dev_tools_disable_version_check=True,
        dev_tools_silence_routes_logging=True,
    )
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.layout = shell()
    app.validation_layout = dash.html.Div([shell(), *(build() for build in pages.values())])  # type: ignore[assignment]

    @app.callback(Output("page-content", "children"), Input("url", "pathname"))
    def _route(pathname: str | None) -> object:
        return page_for(pathname, pages)

    for page in (_patient_page, _trial_page, _score_page):
        page.register(app)
    return app


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`~lupuscart.exceptions.InvalidInputError` when ``host:port`` cannot be bound."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InvalidInputError(
                    f"The port {port} on {host} is already in use; choose another with --port."
                ) from exc
            raise InvalidInputError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from exc


def serve(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> None:
    """Serve the dashboard until interrupted; ``host`` is loopback unless another address is given explicitly.

    Raises
    ------
    InvalidInputError
        The port is out of range, in use, or the address cannot be bound.
    """
    if not 1 <= port <= 65535:
        raise InvalidInputError(f"The port must be between 1 and 65535. Got {port} instead.")
    check_port_free(host, port)
    app = create_app()
    print(f"lupuscart dashboard on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=host, port=port, debug=False, dev_tools_disable_version_check=True)
