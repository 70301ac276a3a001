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
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html

from ..exceptions import InvalidInputError, excerpt
from ..report import endpoint_rows
from ..trial import load_trial_config, run_trial
from ._patient_figures import GRAPH_CONFIG
from ._security import guarded
from ._trial_figures import forest_figure, km_figure

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
        No arm chosen, an arm that is not a preset, a size outside 1..:data:`MAX_PATIENTS`, a seed outside the
        trial configuration's range.
    """
    if not arms:
        raise InvalidInputError("Choose at least one arm.")
    unknown = [a for a in arms if a not in ARMS]
    if unknown:
        raise InvalidInputError(f"Unknown arm {excerpt(unknown[0])}; choose among {sorted(ARMS)}.")
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


#: Largest endpoints.json read (bytes); a real one is a few tens of kilobytes.
MAX_ENDPOINTS_BYTES = 16 * 1024 * 1024


def folder_in_root(folder: object, root: str | Path) -> Path:
    """The folder named by ``folder`` (relative to ``root``, or absolute), which must lie inside ``root`` once
    links are resolved. ``~`` is not expanded. The refusal is the same whether or not the path exists, so the
    field cannot be used to probe the disk.

    Raises
    ------
    InvalidInputError
        Not text, empty, or outside ``root``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> folder_in_root("run1", root) == root.resolve() / "run1"
    True
    >>> folder_in_root("../etc", root)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidInputError: The trial results folder must be inside the results root ...
    """
    base = Path(root).resolve()
    if not isinstance(folder, str) or not folder.strip() or "\x00" in folder or len(folder) > 4096:
        raise InvalidInputError(
            f"Type the path of a `lupuscart trial --out` folder inside the results root {str(base)!r}."
        )
    text = folder.strip()
    try:
        path = (base / text).resolve()  # an absolute text replaces base
    except (OSError, RuntimeError):
        path = None
    if path is None or not path.is_relative_to(base):
        raise InvalidInputError(
            f"The trial results folder must be inside the results root {str(base)!r} (set it with "
            f"`lupuscart app --results-root DIR`). Got {excerpt(text, 80)}."
        )
    return path


def load_trial_folder(folder: str | Path, *, root: str | Path | None = None) -> TrialTables:
    """Load ``endpoints.json``, ``patients.parquet`` and ``visits.parquet`` written by ``lupuscart trial --out``.

    With ``root`` (as the dashboard does), ``folder`` must lie inside it (:func:`folder_in_root`).

    Raises
    ------
    InvalidInputError
        The folder is outside ``root``, or it or one of its files is missing, unreadable or not in the layout
        ``lupuscart trial --out`` writes, naming which.
    """
    path = folder_in_root(str(folder), root) if root is not None else Path(str(folder).strip())
    shown = excerpt(str(path), 200)
    if not path.is_dir():
        raise InvalidInputError(
            f"The trial results folder {shown} does not exist (write one with `lupuscart trial --out DIR`)."
        )
    needed = ("endpoints.json", "patients.parquet")
    missing = [n for n in needed if not (path / n).is_file()]
    if missing:
        raise InvalidInputError(
            f"The folder {shown} lacks {', '.join(missing)}; is it a `lupuscart trial --out` folder?"
        )
    try:
        if (path / "endpoints.json").stat().st_size > MAX_ENDPOINTS_BYTES:
            raise InvalidInputError(f"The endpoints.json in {shown} is too large to be a trial's endpoints.")
        endpoints = json.loads((path / "endpoints.json").read_text(encoding="utf-8"))
        patients = pd.read_parquet(path / "patients.parquet")
        visits = pd.read_parquet(path / "visits.parquet") if (path / "visits.parquet").is_file() else pd.DataFrame()
    except InvalidInputError:
        raise
    except Exception as exc:  # OSError, JSON, Parquet (pyarrow) errors: a damaged or foreign file
        raise InvalidInputError(
            f"Cannot read the trial results in {shown}: {type(exc).__name__}: {excerpt(str(exc), 200)}"
        ) from None
    arms_data = endpoints.get("arms") if isinstance(endpoints, dict) else None
    if not isinstance(endpoints, dict) or not (arms_data is None or isinstance(arms_data, dict)):
        raise InvalidInputError(f"The endpoints.json in {shown} is not a `lupuscart trial` endpoints object.")
    lacking = [c for c in ("arm", "status", "patient_id") if c not in patients.columns]
    if lacking or (not visits.empty and not {"arm", "patient_id", "day"} <= set(visits.columns)):
        raise InvalidInputError(
            f"The tables in {shown} are not in the layout `lupuscart trial --out` writes (patients.parquet lacks "
            f"{lacking or 'nothing'}; visits.parquet needs arm, patient_id, day)."
        )
    arms = [str(a) for a in (arms_data or dict.fromkeys(patients["arm"].unique()))]
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
    root = Path(app.server.config.get("LUPUSCART_RESULTS_ROOT") or Path.cwd())

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
    @guarded(outputs=7)
    def _trial(
        _run: object, _load: object, arms: object, patients: object, seed: object, folder: object
    ) -> tuple[Any, ...]:
        if dash.ctx.triggered_id == "trial-load":
            tables = load_trial_folder(str(folder_in_root(folder, root)), root=root)
        else:
            tables = run_small_trial(_arm_list(arms), _integer("patients per arm", patients, 1, MAX_PATIENTS),
                                     _integer("seed", seed, 0, 2**63 - 1))  # fmt: skip
        e = tables.endpoints
        status = (
            f"Trial {tables.source}: {len(tables.arms)} arm(s); seed {e.get('seed')}; model {e.get('model_version')} "
            f"({e.get('model_fingerprint')})."
        )
        shown = {"display": "block"}
        try:
            km = km_figure(tables.patients, tables.visits, tables.arms)
            forest = forest_figure(e)
            table = endpoint_table(e)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise InvalidInputError(
                f"The trial results ({tables.source}) are not in the layout `lupuscart trial --out` writes "
                f"({type(exc).__name__}: {excerpt(str(exc), 120)})."
            ) from None
        return "", status, table, km, shown, forest, shown


def _arm_list(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise InvalidInputError(f"The arms must be a list of preset arm names. Got {excerpt(value)}.")
    return value


def _integer(name: str, value: object, low: int, high: int) -> int:
    """A whole number from a form field (``None`` is the low end); anything else is refused naming the field."""
    if value is None or value == "":
        return low if name == "seed" else 0
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or abs(value) > 2**63:
        raise InvalidInputError(f"The {name} must be a whole number in [{low}, {high}]. Got {excerpt(value)}.")
    if float(value) != int(value) or not low <= int(value) <= high:
        if name != "seed" and float(value) == int(value):
            return int(value)  # out of range: run_small_trial names the limit and what to do instead
        raise InvalidInputError(f"The {name} must be a whole number in [{low}, {high}]. Got {excerpt(value)}.")
    return int(value)
