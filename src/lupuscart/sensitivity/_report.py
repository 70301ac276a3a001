"""The sensitivity section of the HTML report: ``lupuscart sensitivity --out DIR`` writes ``DIR/report.html``.

One self-contained file (figures inlined, as the trial report): the run (method, seed, evaluations, model version
and fingerprint), the factors with their ranges and the rule that set each, then per output its ranked indices
with 95 % intervals and its tornado chart.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..report._html import _CSS, _table, embed_figure
from ._figures import top_table
from ._run import SensitivityResult


def _fmt(x: object) -> str:
    return "-" if x is None or (isinstance(x, float) and x != x) else f"{x:.3g}" if isinstance(x, float) else str(x)


def render_sensitivity_section(result: SensitivityResult, figures: dict[str, Path]) -> str:
    """The report section (HTML fragment): factors, then each output's top ten factors and figure."""
    s = result.summary
    parts = ["<h2>Global sensitivity analysis</h2>"]
    evaluations = {
        stage: next((o[stage]["evaluations"] for o in s["outputs"].values() if stage in o), 0)
        for stage in ("morris", "sobol")
    }
    facts = [
        ["Method", f"{s['method']} (SALib; Morris μ*, Sobol S1/ST with bootstrap 95 % intervals)"],
        ["Evaluations", ", ".join(f"{k}: {v}" for k, v in evaluations.items() if v)],
        ["Seed", str(s["seed"])],
        ["Engine", str(s["engine"])],
        ["Model version", f"{s['model_version']} (fingerprint {s['model_fingerprint']})"],
    ]
    parts.append(_table(["", ""], facts, "facts").replace("<thead><tr><th></th><th></th></tr></thead>", ""))
    for stage, factors in s["factors"].items():
        rows = [
            [f["name"], f["kind"], _fmt(f["nominal"]), f"{_fmt(f['low'])}-{_fmt(f['high'])}", f["unit"], f["rule"]]
            for f in factors
        ]
        parts.append(f"<h3>Factors of the {html.escape(stage)} stage ({len(factors)})</h3>")
        parts.append(_table(["Factor", "Kind", "Nominal", "Range", "Unit", "Range rule"], rows))
    for o in result.config.output_objects():
        info = s["outputs"][o.key]
        parts.append(f"<h3>{html.escape(o.label)} ({html.escape(o.unit)})</h3><p>{html.escape(o.definition)}.</p>")
        notes = [f"{m}: {info[m]['note']}" for m in ("morris", "sobol") if m in info and "note" in info[m]]
        if notes:
            parts.append(f"<p>{html.escape('; '.join(notes))}</p>")
        top = top_table(result, o.key, 10)
        if len(top):
            rows = [
                [str(r["factor"]), str(r["index"]), _fmt(r["value"]), f"{_fmt(r['ci_low'])} to {_fmt(r['ci_high'])}"]
                for r in top.to_dict("records")
            ]
            parts.append(_table(["Factor", "Index", "Value", "95 % interval"], rows))
        if o.key in figures:
            parts.append(embed_figure(figures[o.key]))
    return "\n".join(parts)


def write_sensitivity_report(result: SensitivityResult, out_dir: str | Path, figures: list[Path]) -> Path:
    """Write ``report.html`` (one self-contained file) to ``out_dir``."""
    by_output = {p.stem: p for p in figures}
    body = render_sensitivity_section(result, by_output)
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>lupuscart sensitivity report</title><style>{_CSS}</style></head><body>"
        "<h1>Which parameters decide the outcome</h1>"
        f"{body}</body></html>\n"
    )
    path = Path(out_dir) / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
