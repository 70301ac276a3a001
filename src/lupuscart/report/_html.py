"""The self-contained HTML report of a virtual trial (``lupuscart trial --out DIR`` writes ``report.html``).

One file, no external resources: figures are embedded as base64 data URLs with real captions, the stylesheet is
inline. In reading order: the run facts, the baseline characteristics of the virtual population (Table 1, next to
the published cohort), each arm's protocol, the endpoint table, the paired differences between arms, the
small-trial table, the figures, and — collapsed — the full configuration. It states what a reader needs to
reproduce the run: the configuration, the seed, the lupuscart version and the model version with its fingerprint.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..journey import SimulationConfig
from ..trial import PREDICTION_INTERVAL, endpoint
from ..trial._endpoints import PAIRED_MEANS
from ._endpoint_table import arms_of, endpoint_rows
from ._table_one import table_one
from ._trial import FIGURE_CAPTIONS

_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d3557; max-width: 1100px;
       margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 24px; } h2 { font-size: 18px; border-bottom: 1px solid #dee2e6; padding-bottom: 4px; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { border: 1px solid #dee2e6; padding: 4px 8px; text-align: right; }
th { background: #e9ecef; } td:first-child, th:first-child { text-align: left; }
figure { margin: 16px 0; } figure img { max-width: 100%; border: 1px solid #dee2e6; }
figcaption { font-size: 13px; color: #495057; max-width: 1000px; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
.note { font-size: 13px; color: #495057; }
pre { background: #f8f9fa; padding: 8px; overflow: auto; font-size: 12px; }
.facts td:first-child { font-weight: 600; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def embed_figure(path: Path, caption: str | None = None) -> str:
    """A ``<figure>`` with the image inlined as a data URL (PNG, JPEG or SVG) and its caption (default: the
    caption registered for the file name in :data:`~lupuscart.report._trial.FIGURE_CAPTIONS`, else the name)."""
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise ValueError(f"cannot embed {path.name}: figures must be one of {sorted(_MIME)}")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    text = caption or FIGURE_CAPTIONS.get(path.name) or path.stem.replace("_", " ").capitalize()
    image = f'<img alt="{_e(text)}" src="data:{mime};base64,{data}">'
    return f"<figure>{image}<figcaption>{_e(text)}</figcaption></figure>"


def _config_of(result: Any) -> dict[str, Any]:
    config = getattr(result, "config", None)
    if config is not None and hasattr(config, "model_dump"):
        dumped: dict[str, Any] = config.model_dump(mode="json")
        return dumped
    meta = getattr(result, "metadata", {}) or {}
    return dict(meta.get("config", {}))


def _protocols(result: Any, arms: list[str]) -> list[tuple[str, dict[str, Any]]]:
    config = getattr(result, "config", None)
    if config is not None and hasattr(config, "arm_config"):
        return [(arm, config.arm_config(arm)) for arm in arms if arm in getattr(config, "arms", {})]
    return []


def _prediction_note(endpoints: dict[str, Any]) -> str:
    """A sentence saying what the "PI" intervals are, when the trial ran replicates (else nothing)."""
    u = endpoints.get("parameter_uncertainty")
    if not u:
        return ""

    return (
        f"<p>PI: {_e(PREDICTION_INTERVAL)} ({_e(u['replicates'])} replicates; parameters drawn: "
        f"{_e(', '.join(u['parameters']))}).</p>"
    )


def _protocol_table(protocols: list[tuple[str, dict[str, Any]]]) -> str:
    """One row per arm: product, dose, lymphodepletion, toxicity management, manufacturing, follow-up."""
    rows = []
    for arm, protocol in protocols:
        c = SimulationConfig.model_validate(protocol)
        rows.append([
            arm, c.product.name, f"{c.product.dose_per_kg:.3g}", c.lymphodepletion.regimen,
            c.management.tocilizumab, c.management.steroids, str(c.manufacturing.days), str(c.followup.days),
        ])  # fmt: skip
    header = ["Arm", "Product", "CAR T cells/kg", "Lymphodepletion", "Tocilizumab", "Steroids",
              "Manufacturing (days)", "Follow-up (days)"]  # fmt: skip
    return _table(header, rows, "protocols")


def _paired_section(endpoints: dict[str, Any]) -> list[str]:
    paired = endpoints.get("paired_differences") or {}
    if not paired:
        return []
    arms = list(paired)
    keys = [k for k in next(iter(paired.values())) if k != "reference"]
    rows = []
    for key in keys:
        label = endpoint(key).label if key.endswith("_rate") else PAIRED_MEANS.get(key, key)
        unit = " pp" if key.endswith("_rate") else ""
        scale = 100.0 if key.endswith("_rate") else 1.0
        cells = []
        for arm in arms:
            d = paired[arm][key]
            if d["estimate"] is None:
                cells.append("—")
                continue
            text = f"{scale * d['estimate']:+.3g}{unit}"
            if None not in d["ci"]:
                text += f" [{scale * d['ci'][0]:+.3g}, {scale * d['ci'][1]:+.3g}]"
            cells.append(f"{text} (n={d['pairs']})")
        rows.append([label, *cells])
    reference = paired[arms[0]]["reference"]
    return [
        "<h2>Paired differences between arms</h2>",
        f'<p class="note">The same virtual patients are given every arm, so each arm is compared with the first '
        f"arm ({_e(reference)}) within patient, over the patients infused under both. Rates: difference in "
        "percentage points (pp) with Tango's score 95 % interval for paired proportions; continuous outcomes: "
        "mean paired difference with a BCa bootstrap 95 % interval.</p>",
        _table(["Endpoint", *(f"{a} − {reference}" for a in arms)], rows, "paired"),
    ]


def _small_trial_section(endpoints: dict[str, Any]) -> list[str]:
    questions = {
        "doris_month3": "all in DORIS remission at month 3",
        "drug_free_remission_month12": "all in drug-free remission at month 12",
        "crs_any": "at least one CRS",
        "crs_grade2plus": "at least one CRS grade ≥ 2",
        "icans_any": "at least one ICANS",
        "serious_infection_month12": "at least one serious infection by month 12",
    }
    parts: list[str] = []
    for arm, values in arms_of(endpoints).items():
        table = values.get("small_trial") or {}
        if not table:
            continue
        sizes = list(table)
        rows = [
            [q, *(_small_cell(table[n].get(key)) for n in sizes)]
            for key, q in questions.items()
            if any(key in table[n] for n in sizes)
        ]
        parts += [f"<h3>Arm {_e(arm)}</h3>", _table(["A trial of n patients sees …", *(f"n = {n}" for n in sizes)],
                                                   rows, "small-trial")]  # fmt: skip
    if not parts:
        return []
    return [
        "<h2>Small-trial realism</h2>",
        '<p class="note">If the virtual population were the truth, how often would a trial of n patients (drawn '
        "from the simulated infused patients) see each result? Probability, with the 5th–95th percentile of the "
        "observed rate in brackets for the remission questions. Mackensen 2022 saw 5/5 in DORIS remission at "
        "month 3 and no CRS grade ≥ 2.</p>",
        *parts,
    ]


def _small_cell(d: dict[str, Any] | None) -> str:
    if not d:
        return "—"
    text = f"{100 * d['p']:.0f} %"
    if d.get("question") == "all":
        text += f" [{100 * d['rate_p5']:.0f}–{100 * d['rate_p95']:.0f} %]"
    return text


def render_trial_report(result: Any, figures: list[Path] | tuple[Path, ...] = ()) -> str:
    """The report as one HTML string (see :func:`write_trial_report`)."""
    endpoints: dict[str, Any] = dict(result.endpoints)
    meta: dict[str, Any] = dict(getattr(result, "metadata", {}) or {})
    config = _config_of(result)
    arms = list(arms_of(endpoints))
    name = config.get("name", "virtual trial")
    seed = endpoints.get("seed", meta.get("seed"))
    facts = [
        ["Trial", str(name)],
        ["Arms", ", ".join(arms)],
        ["Patients per arm", str(meta.get("patients_per_arm", config.get("patients", endpoints.get("patients"))))],
        ["Seed", str(seed)],
        ["Model version", str(endpoints.get("model_version", meta.get("model_version")))],
        ["Model fingerprint", str(endpoints.get("model_fingerprint", meta.get("model_fingerprint")))],
        ["lupuscart", __version__],
    ]
    header, rows = endpoint_rows(endpoints)
    protocols = _protocols(result, arms)
    patients = getattr(result, "patients", None)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>lupuscart trial report: {_e(name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Virtual trial report: {_e(name)}</h1>",
        "<p>In silico CD19 CAR T cell therapy for systemic lupus erythematosus, simulated with lupuscart. "
        "Rates are over infused patients (manufacturing failure over all enrolled) with Wilson 95 % intervals; "
        "medians with distribution-free 95 % intervals; means with t intervals; Kaplan–Meier estimates with "
        "log(−log) Greenwood intervals (events seen only at visits are interval-censored).</p>",
        _prediction_note(endpoints),
        "<h2>Run</h2>",
        _table(["", ""], facts, "facts").replace("<thead><tr><th></th><th></th></tr></thead>", ""),
    ]
    if patients is not None and len(patients):
        t1_header, t1_rows = table_one(patients)
        parts += [
            "<h2>Baseline characteristics (Table 1)</h2>",
            '<p class="note">The virtual population (every enrolled patient; the same patients in every arm), '
            "median [interquartile range] or n (%), next to the published cohort.</p>",
            _table(t1_header, t1_rows, "table-one"),
        ]
    if protocols:
        parts += ["<h2>Protocol of each arm</h2>", _protocol_table(protocols)]
    parts += ["<h2>Endpoints</h2>", _table(header, rows, "endpoints")]
    parts += _paired_section(endpoints)
    parts += _small_trial_section(endpoints)
    if figures:
        parts.append("<h2>Figures</h2>")
        parts += [embed_figure(Path(f)) for f in figures]
    parts.append("<h2>Configuration</h2>")
    for arm, protocol in protocols:
        shown = json.dumps(protocol, indent=2, sort_keys=True) if protocol else "(embedded defaults)"
        parts.append(f"<details><summary>Arm {_e(arm)}: overrides</summary><pre>{_e(shown)}</pre></details>")
    parts.append(
        "<details><summary>Full configuration (JSON)</summary>"
        f"<pre>{_e(json.dumps(config, indent=2, sort_keys=True, default=str))}</pre></details>"
    )
    parts.append(
        f"<p><small>Reproduce with the same configuration, <code>--seed {_e(seed)}</code> and model fingerprint "
        f"{_e(endpoints.get('model_fingerprint', meta.get('model_fingerprint')))}. Not for treatment decisions."
        "</small></p></body></html>"
    )
    return "\n".join(parts) + "\n"


def write_trial_report(result: Any, out_dir: str | Path, figures: list[Path] | tuple[Path, ...] = ()) -> Path:
    """Write ``report.html`` into ``out_dir``: self-contained (figures inlined), with the endpoint table, the
    protocol and configuration, the model version and fingerprint, and the seed.

    Parameters
    ----------
    result:
        A :class:`lupuscart.trial.TrialResult` (``endpoints``, ``config``, ``metadata``).
    out_dir:
        Directory to write into (created if missing).
    figures:
        Image files (PNG, JPEG or SVG) to embed, in order, e.g. from :func:`lupuscart.report.trial_figures`.

    Returns
    -------
    pathlib.Path
        The report's path.

    Examples
    --------
    >>> import tempfile, types
    >>> fake = types.SimpleNamespace(endpoints={"seed": 7, "arms": {"a": {"crs_any_rate": 0.5}}}, metadata={})
    >>> path = write_trial_report(fake, tempfile.mkdtemp())
    >>> text = path.read_text(encoding="utf-8")
    >>> path.name, "50.0 %" in text, "Seed</td><td>7" in text
    ('report.html', True, True)
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    tmp = out / ".report.html.tmp"
    tmp.write_text(render_trial_report(result, figures), encoding="utf-8")
    tmp.replace(path)
    return path
