"""The dashboard's shell: header with navigation, the page container, a footer, and the HTML page template.

The template carries the stylesheet inline, so the browser loads nothing but what Dash serves from this machine.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from .. import __version__

#: path -> navigation label.
PAGES = {"/": "Patient", "/trial": "Trial", "/score": "Score"}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d3557;
       background: #f8f9fa; }
header { background: #1d3557; color: white; padding: 10px 24px; display: flex; align-items: center; gap: 32px; }
header h1 { font-size: 20px; margin: 0; }
header nav a { color: #f1faee; margin-right: 18px; text-decoration: none; font-weight: 600; }
header nav a:hover { text-decoration: underline; }
main { padding: 12px 24px; }
footer { padding: 8px 24px; font-size: 12px; color: #6c757d; }
.controls { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px 20px;
            background: white; padding: 12px; border-radius: 6px; }
.field { display: flex; flex-direction: column; font-size: 13px; }
.field-label { font-weight: 600; margin-bottom: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 8px; }
.summary { margin: 10px 0; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 14px; }
.error { color: #9d0208; font-weight: 600; white-space: pre-wrap; margin: 6px 0; }
.error:empty { display: none; }
.upload { border: 2px dashed #457b9d; border-radius: 6px; padding: 24px; text-align: center; background: white;
          cursor: pointer; margin: 10px 0; }
.row { display: flex; gap: 24px; align-items: center; margin: 8px 0; }
.table-scroll { overflow: auto; max-height: 520px; margin-top: 8px; }
table.data { border-collapse: collapse; font-size: 12px; background: white; }
table.data th, table.data td { border: 1px solid #dee2e6; padding: 3px 6px; text-align: right; }
table.data th { background: #e9ecef; position: sticky; top: 0; }
table.data th.scored { background: #a8dadc; }
button { padding: 6px 14px; border-radius: 4px; border: 1px solid #457b9d; background: white; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: default; }
"""

INDEX_STRING = (
    """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <style>"""
    + _CSS
    + """</style>
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""
)


def shell() -> html.Div:
    """The frame around every page: title, navigation links, the page container and the footer note."""
    from ..model import MODEL_VERSION

    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.Header(
                [
                    html.H1("lupuscart · CD19 CAR T in SLE"),
                    html.Nav([dcc.Link(label, href=path, id=f"nav-{label.lower()}") for path, label in PAGES.items()]),
                ]
            ),
            html.Main(id="page-content"),
            html.Footer(
                f"lupuscart {__version__}, model {MODEL_VERSION}. Runs on this machine only: no telemetry, "
                "no external resources. In silico results for research and teaching, not for treatment decisions."
            ),
        ]
    )


def page_for(pathname: str | None, pages: dict[str, Any]) -> Any:
    """The layout of the page at ``pathname`` (unknown paths get a short note with the valid ones).

    Examples
    --------
    >>> page_for("/nowhere", {"/": lambda: "patient"}).children[0]
    'No page at /nowhere. Pages: /'
    """
    build = pages.get(pathname or "/")
    if build is None:
        return html.Div([f"No page at {pathname}. Pages: {', '.join(pages)}"], className="error")
    return build()
