"""Build the Dash application and serve it on loopback.

Everything the browser loads comes from this server: Dash's own JavaScript bundles (``serve_locally``), plotly.js
from the installed package, the stylesheet inline. The development tools and Dash's version check (a request
to plotly.com) are switched off, so nothing leaves the machine. Every request's ``Host`` is checked and every
response carries the security headers (:mod:`._security`); the Trial page loads results folders only from inside
the results root.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import InvalidInputError

if TYPE_CHECKING:
    import dash

#: Largest request body the server accepts (bytes); uploads are limited further by the Score page.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def create_app(results_root: str | Path | None = None, host: str = DEFAULT_HOST) -> dash.Dash:
    """The dashboard as a :class:`dash.Dash` application (not yet serving).

    Parameters
    ----------
    results_root:
        The folder whose trial results (``lupuscart trial --out`` folders inside it) the Trial page may load;
        default: the current directory.
    host:
        The address the server will bind; ``Host`` headers must name it or a loopback name (see
        :mod:`._security`).

    Raises
    ------
    InvalidInputError
        ``results_root`` is not an existing folder.

    Examples
    --------
    >>> app = create_app()
    >>> app.config.serve_locally, app.title
    (True, 'lupuscart')
    """
    import dash
    from dash import Input, Output

    from . import _patient_page, _score_page, _security, _trial_page
    from ._layout import INDEX_STRING, page_for, shell

    root = Path.cwd() if results_root is None else Path(results_root)
    if not root.is_dir():
        raise InvalidInputError(f"The '--results-root' option must be an existing folder. Got {str(root)!r} instead.")

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
    app.server.config["LUPUSCART_RESULTS_ROOT"] = root.resolve()
    app.layout = shell()
    app.validation_layout = dash.html.Div([shell(), *(build() for build in pages.values())])  # type: ignore[assignment]

    @app.callback(Output("page-content", "children"), Input("url", "pathname"))
    def _route(pathname: str | None) -> object:
        return page_for(pathname, pages)

    for page in (_patient_page, _trial_page, _score_page):
        page.register(app)
    # After every callback is registered: the hashes cover Dash's inline scripts, clientside callbacks included.
    _security.install(app.server, bind_host=host, script_hashes=app.csp_hashes())
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


def serve(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, results_root: str | Path | None = None) -> None:
    """Serve the dashboard until interrupted; ``host`` is loopback unless another address is given explicitly;
    the Trial page loads results folders from inside ``results_root`` only (default: the current directory).

    Raises
    ------
    InvalidInputError
        The port is out of range, in use, the address cannot be bound, or ``results_root`` is not a folder.
    """
    if not 1 <= port <= 65535:
        raise InvalidInputError(f"The port must be between 1 and 65535. Got {port} instead.")
    check_port_free(host, port)
    app = create_app(results_root, host)
    print(f"lupuscart dashboard on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=host, port=port, debug=False, dev_tools_disable_version_check=True)
