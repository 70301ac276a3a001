"""The web dashboard (Dash): Patient, Trial and Score pages, served on loopback by ``lupuscart app``.

Serve it with ``lupuscart app`` (http://127.0.0.1:8050/) or from Python:

>>> from lupuscart.app import create_app
>>> app = create_app()  # then app.run(port=8050), or lupuscart.app.serve(8050)
>>> any("patient-timeline.figure" in key for key in app.callback_map)
True
"""

from ._headless import CHROMIUM as CHROMIUM
from ._headless import CHROMIUM_ARGS as CHROMIUM_ARGS
from ._headless import serve_in_background as serve_in_background
from ._server import create_app as create_app
from ._server import serve as serve

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "create_app", "serve", "serve_in_background"]
