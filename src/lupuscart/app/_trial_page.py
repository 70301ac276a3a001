"""Page 2, Trial: run a small virtual trial with chosen arms, or load one written by ``lupuscart trial --out``;
see the endpoint table with 95 % intervals, Kaplan–Meier curves and the comparison of arms.

Trials run in this process, one patient after another (about 0.2 s per patient and arm), so the page caps the
size at :data:`MAX_PATIENTS` per arm; larger trials belong to the command line (``--workers``), whose output
folder this page loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dash import Input, Output, State, dcc, html

from ..exceptions import InvalidInputError
from ._patient_figures import GRAPH_CONFIG

if TYPE_CHECKING:
    import dash
    import pandas as pd

#: Largest trial the page runs itself (patients per arm).
MAX_PATIENTS = 100

#: name -> (label, SimulationConfig overrides of the arm).
ARMS: dict[str, tuple[str, dict[str, Any]]] = {
    "cd19_1e6_erlangen": ("CD19 CAR T 1×10⁶/kg, Erlangen lymphodepletion", {}),
    "cd19_1e6_low_intensity": (
        "CD19 CAR T 1×10⁶/kg, low-intensity lymphodepletion",
        {"lymphodepletion": {"regimen": "low_intensity"}},
    ),
    "cd19_1e5_erlangen": ("CD19 CAR T 1×10⁵/kg, Erlangen lymphodepletion", {"product": {"dose_per_kg": 1e5}}),
    "cd19_prophylactic_tocilizumab": (
        "CD19 CAR T 1×10⁶/kg, prophylactic tocilizumab",
        {"management": {"tocilizumab": "prophylactic"}},
    ),
    "bcma_cd19_1e6_erlangen": (
        "BCMA-CD19 CAR T 1×10⁶/kg, Erlangen lymphodepletion",
        {"product": {"name": "bcma_cd19"}},
    ),
}


@dataclass
class TrialTables:
    """What the page draws: the endpoint object, the patient and visit tables, the arms in order."""

    endpoints: dict[str, Any]
    patients: pd.DataFrame
    visits: pd.DataFrame
    arms: list[str]
    source: str


def run_small_trial(arms: list[str], patients: int, seed: int) -> TrialTables:
    """Run a trial of the chosen preset arms (same virtual patients in every arm).

    Raises
    ------
    InvalidInputError
        No arm chosen, or a size outside 1..:data:`MAX_PATIENTS`.
    """
    from ..trial import load_trial_config, run_trial

    if not arms:
        raise InvalidInputError("Choose at least one arm.")
    if not 1 <= patients <= MAX_PATIENTS:
        raise InvalidInputError(
            f"The number of patients per arm must be between 1 and {MAX_PATIENTS} in the dashboard "
            f"(got {patients}); run larger trials with `lupuscart trial --out DIR` and load the folder."
        )
    config = load_trial_config({"name": "dashboard", "patients": patients, "seed": seed,
                                "arms": {a: ARMS[a][1] for a in arms}})  # fmt: skip
    result = run_trial(config)
    source = f"ran {patients} patients per arm, seed {seed}"
    return TrialTables(result.endpoints, result.patients, result.visits, list(config.arms), source)


def load_trial_folder(folder: str | Path) -> TrialTables:
    """Load ``endpoints.json``, ``patients.parquet`` and ``visits.parquet`` written by ``lupuscart trial --out``.

    Raises
    ------
    InvalidInputError
        The folder or one of its files is missing or unreadable, naming which.
    """
    import pandas as pd

    path = Path(str(folder).strip()).expanduser()
    if not path.is_dir():
        raise InvalidInputError(
            f"The trial results folder {str(path)!r} does not exist (write one with `lupuscart trial --out DIR`)."
        )
    needed = ("endpoints.json", "patients.parquet")
    missing = [n for n in needed if not (path / n).is_file()]
    if missing:
        raise InvalidInputError(
            f"The folder {str(path)!r} lacks {', '.join(missing)}; is it a `lupuscart trial --out` folder?"
        )
    try:
        endpoints = json.loads((path / "endpoints.json").read_text(encoding="utf-8"))
        patients = pd.read_parquet(path / "patients.parquet")
        visits = pd.read_parquet(path / "visits.parquet") if (path / "visits.parquet").is_file() else pd.DataFrame()
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"Cannot read the trial results in {str(path)!r}: {exc}") from exc
    arms = list(endpoints.get("arms") or dict.fromkeys(patients["arm"].unique()))
    return TrialTables(endpoints, patients, visits, arms, f"loaded from {path}")


def _field(label: str, control: Any) -> html.Label:
    return html.Label([html.Span(label, className="field-label"), control], className="field")


def layout() -> html.Div:
    """Run controls, the load-a-folder field, and the result area."""
    run = html.Div(
        [
            _field(
                "Arms",
                dcc.Checklist(
                    id="trial-arms",
                    options=[{"label": label, "value": name} for name, (label, _) in ARMS.items()],
                    value=["cd19_1e6_erlangen", "cd19_1e6_low_intensity"],
                ),
            ),
            _field(
                f"Patients per arm (1-{MAX_PATIENTS})", dcc.Input(id="trial-patients", type="number", value=20, step=1)
            ),
            _field("Seed", dcc.Input(id="trial-seed", type="number", value=0, min=0, step=1)),
            html.Div(html.Button("Run trial", id="trial-run", n_clicks=0)),
        ],
        className="controls",
    )
    load = html.Div(
        [
            _field(
                "…or load a results folder (from lupuscart trial --out DIR)",
                dcc.Input(id="trial-folder", type="text", placeholder="/path/to/trial-out", debounce=False),
            ),
            html.Div(html.Button("Load", id="trial-load", n_clicks=0)),
        ],
        className="controls",
    )
    return html.Div(
        [
            html.H2("Virtual trial"),
            run,
            load,
            html.Div(id="trial-error", className="error", role="alert"),
            dcc.Loading(
                html.Div(
                    [
                        html.Div(id="trial-status", className="summary"),
                        html.Div(id="trial-endpoints", className="table-scroll"),
                        dcc.Graph(id="trial-km", config=GRAPH_CONFIG, style={"display": "none"}),
                        dcc.Graph(id="trial-forest", config=GRAPH_CONFIG, style={"display": "none"}),
                    ]
                ),
                delay_show=300,
            ),
        ]
    )


def endpoint_table(endpoints: dict[str, Any]) -> html.Table:
    """The endpoint table (estimate [95 % interval] per arm)."""
    from ..report import endpoint_rows

    header, rows = endpoint_rows(endpoints)
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows]),
        ],
        id="trial-endpoint-table",
        className="data",
    )


def register(app: dash.Dash) -> None:
    """Attach the page's callback: Run or Load, then draw the table and both figures."""
    import dash

    @app.callback(
        Output("trial-error", "children"),
        Output("trial-status", "children"),
        Output("trial-endpoints", "children"),
        Output("trial-km", "figure"),
        Output("trial-km", "style"),
        Output("trial-forest", "figure"),
        Output("trial-forest", "style"),
        Input("trial-run", "n_clicks"),
        Input("trial-load", "n_clicks"),
        State("trial-arms", "value"),
        State("trial-patients", "value"),
        State("trial-seed", "value"),
        State("trial-folder", "value"),
        prevent_initial_call=True,
    )
    def _trial(
        _run: int, _load: int, arms: list[str] | None, patients: int | None, seed: int | None, folder: str | None
    ) -> tuple[Any, ...]:
        from ._trial_figures import forest_figure, km_figure

        keep = (dash.no_update,) * 6
        try:
            if dash.ctx.triggered_id == "trial-load":
                if not folder:
                    raise InvalidInputError("Type the path of a `lupuscart trial --out` folder to load.")
                tables = load_trial_folder(folder)
            else:
                tables = run_small_trial(list(arms or []), int(patients or 0), int(seed or 0))
        except InvalidInputError as exc:
            return (str(exc), *keep)
        e = tables.endpoints
        status = (
            f"Trial {tables.source}: {len(tables.arms)} arm(s); seed {e.get('seed')}; model {e.get('model_version')} "
            f"({e.get('model_fingerprint')})."
        )
        shown = {"display": "block"}
        km = km_figure(tables.patients, tables.visits, tables.arms)
        return "", status, endpoint_table(e), km, shown, forest_figure(e), shown
