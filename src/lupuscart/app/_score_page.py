"""Page 3, Score: upload a visits CSV, see it scored with the clinical instruments, download the result.

The scorer is :func:`lupuscart.clinical.score_visits_csv`; its :class:`~lupuscart.exceptions.InvalidInputError`
messages (naming rows and columns) are shown as they are. Uploads above :data:`MAX_UPLOAD_BYTES` are refused
twice: in the browser before they are sent, and again on the server (a client cannot bypass the limit).
"""

from __future__ import annotations

import base64
import binascii
import io
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import dash
from dash import Input, Output, State, dcc, html

from ..exceptions import InvalidInputError, excerpt, shorten
from ._security import guarded

if TYPE_CHECKING:
    import pandas as pd

#: Largest visits file accepted (bytes).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Rows shown in the page's table (the download has them all).
SHOWN_ROWS = 200

_SIZE_CHECK_JS = """
function(contents, filename, limit) {
    if (!contents) { return [window.dash_clientside.no_update, ""]; }
    var b64 = contents.split(",")[1] || "";
    var size = Math.floor(b64.length * 3 / 4);
    if (size > limit) {
        return [null, "Refused: " + filename + " is " + (size / 1048576).toFixed(1) +
                " MB; uploads are limited to " + (limit / 1048576).toFixed(0) + " MB."];
    }
    return [{"contents": contents, "filename": filename}, ""];
}
"""


def too_large_message(filename: str, size: int, limit: int = MAX_UPLOAD_BYTES) -> str:
    """The refusal shown for an oversized upload (same wording in the browser and on the server).

    Examples
    --------
    >>> too_large_message("v.csv", 6 * 1024 * 1024)
    'Refused: v.csv is 6.0 MB; uploads are limited to 5 MB.'
    """
    return f"Refused: {filename} is {size / 1048576:.1f} MB; uploads are limited to {limit / 1048576:.0f} MB."


def decode_upload(contents: str, filename: str, *, limit: int = MAX_UPLOAD_BYTES) -> str:
    """Decode a ``dcc.Upload`` data URL to text, refusing files over ``limit`` bytes or not UTF-8.

    Raises
    ------
    InvalidInputError
        Too large, not a data URL, or not UTF-8 text.

    Examples
    --------
    >>> decode_upload("data:text/csv;base64," + base64.b64encode(b"patient_id\\np1\\n").decode(), "v.csv")
    'patient_id\\np1\\n'
    """
    _, sep, payload = contents.partition(",")
    if not sep:
        raise InvalidInputError(f"The upload of {filename} is not a file (expected a base64 data URL).")
    approx = len(payload) * 3 // 4
    if approx > limit + 3:
        raise InvalidInputError(too_large_message(filename, approx, limit))
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError(f"The upload of {filename} could not be decoded: {exc}") from exc
    if len(raw) > limit:
        raise InvalidInputError(too_large_message(filename, len(raw), limit))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"The visits file {filename} must be UTF-8 text: {exc}") from exc


def score_text(text: str, *, window_days: int = 10) -> pd.DataFrame:
    """Score the text of a visits CSV (see :func:`lupuscart.clinical.score_visits_csv`)."""
    from ..clinical import score_visits_csv

    return score_visits_csv(io.StringIO(text), window_days=window_days)


def table(frame: pd.DataFrame, *, rows: int = SHOWN_ROWS) -> html.Table:
    """A plain HTML table of the first ``rows`` rows (scored columns highlighted)."""
    scored = {"sledai2k", "clinical_sledai2k", "doris_2021", "lldas"}
    head = html.Thead(html.Tr([html.Th(c, className="scored" if c in scored else None) for c in frame.columns]))
    body = html.Tbody(
        [
            html.Tr([html.Td("" if _missing(v) else str(v)) for v in row])
            for row in frame.head(rows).itertuples(index=False)
        ]
    )
    return html.Table([head, body], id="score-table", className="data")


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def layout() -> html.Div:
    """The upload area, the window choice, the messages, the table and the download button."""
    return html.Div(
        [
            html.H2("Score visits"),
            html.P(
                [
                    "Upload a visits CSV (columns: patient_id, day, then SLEDAI-2K descriptors and measurements, "
                    "pga, prednisone_mg_per_day; see ",
                    html.Code("lupuscart score --help"),
                    f"). Files up to {MAX_UPLOAD_BYTES // 1048576} MB. Scoring runs on this machine.",
                ]
            ),
            dcc.Upload(
                id="score-upload",
                children=html.Div(["Drag and drop or ", html.A("choose a visits CSV")]),
                className="upload",
                multiple=False,
            ),
            html.Div(
                [
                    html.Button("Score the example file", id="score-example", n_clicks=0),
                    html.Label(
                        [
                            "SLEDAI-2K window: ",
                            dcc.RadioItems(
                                id="score-window",
                                options=[{"label": "10 days", "value": 10}, {"label": "30 days", "value": 30}],
                                value=10,
                                inline=True,
                            ),
                        ]
                    ),
                ],
                className="row",
            ),
            dcc.Store(id="score-limit", data=MAX_UPLOAD_BYTES),
            dcc.Store(id="score-payload"),
            dcc.Store(id="score-csv"),
            html.Div(id="score-client-error", className="error", role="alert"),
            html.Div(id="score-error", className="error", role="alert"),
            html.Div(id="score-status", className="summary"),
            html.Button("Download scored CSV", id="score-download-button", n_clicks=0, disabled=True),
            dcc.Download(id="score-download"),
            dcc.Loading(html.Div(id="score-table-container", className="table-scroll"), delay_show=400),
        ]
    )


def register(app: dash.Dash) -> None:
    """Attach the page's callbacks: size check in the browser, scoring on the server, download."""
    app.clientside_callback(  # type: ignore[no-untyped-call]
        _SIZE_CHECK_JS,
        Output("score-payload", "data"),
        Output("score-client-error", "children"),
        Input("score-upload", "contents"),
        State("score-upload", "filename"),
        State("score-limit", "data"),
    )

    @app.callback(
        Output("score-error", "children"),
        Output("score-status", "children"),
        Output("score-table-container", "children"),
        Output("score-csv", "data"),
        Output("score-download-button", "disabled"),
        Input("score-payload", "data"),
        Input("score-example", "n_clicks"),
        Input("score-window", "value"),
        prevent_initial_call=True,
    )
    @guarded(outputs=5)
    def _score(payload: object, _example: object, window: object) -> tuple[Any, ...]:
        trigger = dash.ctx.triggered_id
        if window not in (10, 30):
            raise InvalidInputError(f"The SLEDAI-2K window must be 10 or 30 days. Got {excerpt(window)}.")
        if payload is not None and not (
            isinstance(payload, dict) and all(isinstance(payload.get(k, ""), str) for k in ("contents", "filename"))
        ):
            raise InvalidInputError("The upload is not a file (expected a data URL and a file name).")
        if trigger == "score-example" or (trigger == "score-window" and not payload):
            name = "example_visits.csv"
            text = files("lupuscart").joinpath("data", name).read_text(encoding="utf-8")
        elif isinstance(payload, dict) and payload:
            name = shorten(str(payload.get("filename") or "upload"), 80)
            text = decode_upload(str(payload.get("contents", "")), name)
        else:
            return "", "", None, None, True
        scored = score_text(text, window_days=int(window))
        more = f" (first {SHOWN_ROWS} shown)" if len(scored) > SHOWN_ROWS else ""
        status = f"Scored {len(scored)} visits from {name}{more}."
        from ..clinical import scored_csv_text

        return "", status, table(scored), {"name": name, "csv": scored_csv_text(scored)}, False

    @app.callback(
        Output("score-download", "data"),
        Input("score-download-button", "n_clicks"),
        State("score-csv", "data"),
        prevent_initial_call=True,
    )
    def _download(_clicks: object, stored: object) -> Any:
        if not isinstance(stored, dict) or not isinstance(stored.get("csv"), str):
            return dash.no_update
        stem = str(stored.get("name") or "visits").rsplit(".", 1)[0]
        return {"content": stored["csv"], "filename": f"{stem}_scored.csv", "type": "text/csv"}
