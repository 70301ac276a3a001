"""Page 1, Patient: choose a profile and a protocol, see the journey and the time courses of one patient.

One simulation takes about a quarter of a second; results are cached by input, so going back to an earlier
choice is instant.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import dash
from dash import Input, Output, dcc, html

from ..exceptions import InvalidInputError, excerpt
from ..journey import PRODUCTS, REGIMENS, load_config, simulate_patient
from ._patient_figures import GRAPH_CONFIG, PANELS, timecourse_figures, timeline_figure
from ._profiles import PROFILES, protocol_config
from ._security import guarded

if TYPE_CHECKING:
    from ..journey import PatientResult

_WINDOWS = {"60": "first 60 days", "365": "first year", "all": "whole follow-up"}
_TOCILIZUMAB = {"asco": "on demand (ASCO 2021)", "prophylactic": "prophylactic (day 0)", "none": "never"}


def _field(label: str, control: Any) -> html.Label:
    return html.Label([html.Span(label, className="field-label"), control], className="field")


def layout() -> html.Div:
    """The page's components: the controls, a summary line, the timeline and one graph per panel."""
    controls = html.Div(
        [
            _field(
                "Patient profile",
                dcc.Dropdown(
                    id="patient-profile",
                    options=[{"label": label, "value": name} for name, (label, _) in PROFILES.items()],
                    value="nephritis",
                    clearable=False,
                ),
            ),
            _field(
                "CAR T dose (10⁶ cells/kg)",
                dcc.Input(id="patient-dose", type="number", value=1.0, step="any", debounce=True),
            ),
            _field(
                "Lymphodepletion",
                dcc.Dropdown(
                    id="patient-regimen",
                    options=[{"label": f"{n}: {r.description}", "value": n} for n, r in REGIMENS.items()],
                    value="erlangen",
                    clearable=False,
                ),
            ),
            _field(
                "Product",
                dcc.Dropdown(
                    id="patient-product",
                    options=[{"label": f"{n}: {p.description}", "value": n} for n, p in PRODUCTS.items()],
                    value="cd19",
                    clearable=False,
                ),
            ),
            _field(
                "Tocilizumab",
                dcc.RadioItems(
                    id="patient-tocilizumab",
                    options=[{"label": v, "value": k} for k, v in _TOCILIZUMAB.items()],
                    value="asco",
                ),
            ),
            _field(
                "Toxicity management",
                dcc.Checklist(
                    id="patient-management",
                    options=[{"label": "apply tocilizumab / steroid policies", "value": "on"}],
                    value=["on"],
                ),
            ),
            _field("Seed", dcc.Input(id="patient-seed", type="number", value=0, min=0, step=1, debounce=True)),
            _field(
                "Show",
                dcc.RadioItems(
                    id="patient-window", options=[{"label": v, "value": k} for k, v in _WINDOWS.items()], value="365"
                ),
            ),
        ],
        className="controls",
    )
    graphs = [dcc.Graph(id=f"patient-graph-{key}", config=GRAPH_CONFIG) for key, *_ in PANELS]
    return html.Div(
        [
            html.H2("Patient"),
            controls,
            html.Div(id="patient-error", className="error", role="alert"),
            html.Div(id="patient-summary", className="summary"),
            dcc.Loading(
                [
                    dcc.Graph(id="patient-timeline", config=GRAPH_CONFIG),
                    html.Div(graphs, className="grid"),
                ],
                delay_show=400,
            ),
        ]
    )


@lru_cache(maxsize=64)
def simulate_cached(
    profile: str, dose: float, regimen: str, product: str, tocilizumab: str, management: bool, seed: int
) -> PatientResult:
    """Simulate one patient for a dashboard choice (memoised: results are immutable once made).

    Raises
    ------
    InvalidInputError
        A choice the configuration refuses (e.g. a dose out of range), with the field named.
    """
    cfg = protocol_config(profile, dose_million_per_kg=dose, regimen=regimen, product=product, tocilizumab=tocilizumab)
    return simulate_patient(load_config(cfg), seed=seed, management=management)


def _fmt(value: Any, spec: str = ".3g") -> str:
    return "—" if value is None else format(value, spec)


def summary_children(result: PatientResult) -> list[Any]:
    """The key numbers of one patient as labelled spans (each has an id for tests and screen readers)."""
    s = result.summary
    items = [
        ("car-t-peak", "CAR T peak", f"{_fmt(s.car_t_peak_per_ul)} cells/µL on day {_fmt(s.car_t_peak_day)}"),
        ("aplasia", "B-cell aplasia from day", _fmt(s.b_cell_aplasia_day)),
        ("recovery", "B-cell recovery day", _fmt(s.b_cell_recovery_day)),
        ("crs", "CRS max grade", str(s.crs_max_grade)),
        ("icans", "ICANS max grade", str(s.icans_max_grade)),
        ("sledai", "SLEDAI-2K baseline → day 90", f"{s.sledai2k_baseline} → {_fmt(s.sledai2k_day90)}"),
        ("doris", "DORIS remission day 90", "yes" if s.doris_day90 else "no"),
        ("tocilizumab", "Tocilizumab doses", str(s.tocilizumab_doses)),
    ]
    out: list[Any] = []
    if result.status != "ok":
        out.append(html.Strong(f"Status: {result.status} ", className="status"))
    for key, label, text in items:
        out.append(html.Span([f"{label}: ", html.B(text, id=f"patient-value-{key}")], className="metric"))
    return out


def register(app: dash.Dash) -> None:
    """Attach the page's callback: any control change re-simulates and redraws every figure."""
    outputs = [
        Output("patient-error", "children"),
        Output("patient-summary", "children"),
        Output("patient-timeline", "figure"),
        *[Output(f"patient-graph-{key}", "figure") for key, *_ in PANELS],
    ]
    inputs = [
        Input("patient-profile", "value"),
        Input("patient-dose", "value"),
        Input("patient-regimen", "value"),
        Input("patient-product", "value"),
        Input("patient-tocilizumab", "value"),
        Input("patient-management", "value"),
        Input("patient-seed", "value"),
        Input("patient-window", "value"),
    ]

    @app.callback(outputs, inputs)
    @guarded(outputs=len(outputs))
    def _update(
        profile: object,
        dose: object,
        regimen: object,
        product: object,
        tocilizumab: object,
        management: object,
        seed: object,
        window: object,
    ) -> list[Any]:
        no_change = [dash.no_update] * (len(PANELS) + 2)
        if isinstance(dose, bool) or not isinstance(dose, int | float) or not 0 < dose < float("inf"):
            return ["The CAR T dose must be a positive number of 10⁶ cells/kg.", *no_change]
        for name, value, allowed in (
            ("patient profile", profile, PROFILES),
            ("lymphodepletion regimen", regimen, REGIMENS),
            ("product", product, PRODUCTS),
            ("tocilizumab policy", tocilizumab, _TOCILIZUMAB),
            ("time window", window, _WINDOWS),
        ):
            if not isinstance(value, str) or value not in allowed:
                raise InvalidInputError(f"The {name} must be one of {sorted(allowed)}. Got {excerpt(value)}.")
        if management is not None and not isinstance(management, list):
            raise InvalidInputError(f"The management choice must be a list. Got {excerpt(management)}.")
        if seed is None or seed == "":
            seed = 0
        if isinstance(seed, bool) or not isinstance(seed, int | float) or seed != int(seed) or not 0 <= seed < 2**63:
            raise InvalidInputError(f"The seed must be a whole number in [0, 2^63 - 1]. Got {excerpt(seed)}.")
        result = simulate_cached(str(profile), float(dose), str(regimen), str(product), str(tocilizumab),
                                 bool(management), int(seed))  # fmt: skip
        last_day = None if window == "all" else float(str(window))
        figs = timecourse_figures(result, last_day=last_day)
        return [
            "",
            summary_children(result),
            timeline_figure(result, last_day=last_day),
            *[figs[key] for key, *_ in PANELS],
        ]
