"""Page 2, Trial (placeholder until lupuscart.trial lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import html

if TYPE_CHECKING:
    import dash


def layout() -> html.Div:
    return html.Div([html.H2("Trial")])


def register(app: dash.Dash) -> None:
    pass
