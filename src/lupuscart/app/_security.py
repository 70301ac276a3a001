"""What the dashboard's web server enforces on every request and response, and the guard around its callbacks.

* **Host header.** A page on another site can make the browser talk to ``127.0.0.1:8050`` through a domain it
  controls that resolves to 127.0.0.1 (DNS rebinding); the browser then sends that domain as ``Host``. Requests
  are answered only when ``Host`` names a loopback address (``127.0.0.1``, ``localhost``, ``::1``) or the
  address given with ``--host``; bound to every interface (``--host 0.0.0.0``), any name is accepted, since the
  user chose to expose the server. Anything else gets ``400 Bad Request``.
* **Response headers.** ``X-Content-Type-Options: nosniff``; ``X-Frame-Options: DENY`` and CSP
  ``frame-ancestors 'none'`` (no framing, so no clickjacking); a Content Security Policy that lets scripts
  come only from this server plus Dash's own inline scripts, by their SHA-256 (``Dash.csp_hashes``), no
  ``eval``, no plugins, no foreign connections, forms or base URLs; ``Referrer-Policy: no-referrer``.
  Styles may be inline (Dash components and plotly.js set them), nothing else is.
* **Callbacks.** :func:`guarded` turns any exception a callback raises into a message on the page (the
  page's error area) instead of an HTTP 500 and an empty page; unexpected ones are logged with their traceback
  and shown as a bug to report.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ..exceptions import InvalidInputError

if TYPE_CHECKING:
    import flask

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})
_LOG = logging.getLogger("lupuscart.app")
F = TypeVar("F", bound=Callable[..., Any])


def allowed_hosts(bind_host: str) -> frozenset[str] | None:
    """Host names a request may carry when the server binds ``bind_host``; ``None``: any (all interfaces).

    >>> sorted(allowed_hosts("127.0.0.1"))
    ['127.0.0.1', '::1', 'localhost']
    >>> sorted(allowed_hosts("192.168.1.5"))
    ['127.0.0.1', '192.168.1.5', '::1', 'localhost']
    >>> allowed_hosts("0.0.0.0") is None
    True
    """
    host = bind_host.strip().strip("[]").lower()
    if host in _WILDCARDS:
        return None
    return LOOPBACK_NAMES | {host}


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without port or IPv6 brackets, lower case.

    >>> host_name("LocalHost:8050"), host_name("[::1]:8050"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The Content Security Policy of every page (``script_hashes``: quoted ``'sha256-…'`` sources).

    >>> "frame-ancestors 'none'" in content_security_policy(["'sha256-abc'"])
    True
    """
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' " + " ".join(script_hashes),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def install(server: flask.Flask, *, bind_host: str, script_hashes: Iterable[str]) -> None:
    """Check the ``Host`` header of every request and add the security headers to every response."""
    import flask

    hosts = allowed_hosts(bind_host)
    policy = content_security_policy(script_hashes)

    @server.before_request
    def _check_host() -> flask.Response | None:
        if hosts is None or host_name(flask.request.host) in hosts:
            return None
        return flask.Response(
            "Bad Request: this dashboard answers only to loopback names (127.0.0.1, localhost) unless "
            "started with --host.\n",
            status=400,
            mimetype="text/plain",
        )

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = policy
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response


def guarded(outputs: int, error_index: int = 0) -> Callable[[F], F]:
    """Decorate a Dash callback with ``outputs`` outputs: an exception becomes a message in output
    ``error_index`` (the page's error area) and ``no_update`` everywhere else, never an HTTP 500.

    :class:`~lupuscart.exceptions.InvalidInputError` messages are shown as they are; anything else is logged with
    its traceback and shown as an internal error to report.
    """

    def decorate(callback: F) -> F:
        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            import dash
            from dash.exceptions import PreventUpdate

            try:
                return callback(*args, **kwargs)
            except PreventUpdate:
                raise
            except InvalidInputError as exc:
                message = str(exc)
            except Exception as exc:  # a failed callback must not leave an empty page
                _LOG.exception("dashboard callback %s failed", callback.__name__)
                message = f"Internal error ({type(exc).__name__}); this is a bug, please report it."
            out: list[Any] = [dash.no_update] * outputs
            out[error_index] = message
            return out if outputs > 1 else message

        return wrapper  # type: ignore[return-value]

    return decorate
