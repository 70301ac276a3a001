"""The self-contained HTML report of a virtual trial (``lupuscart trial --out DIR`` writes ``report.html``).

One file, no external resources: figures are embedded as base64 data URLs, the stylesheet is inline. It states
what a reader needs to reproduce the run: the protocol and the full configuration, the seed, the number of
patients, the lupuscart version and the model version with its fingerprint.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from ._endpoint_table import arms_of, endpoint_rows

_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d3557; max-width: 1100px;
       margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 24px; } h2 { font-size: 18px; border-bottom: 1px solid #dee2e6; padding-bottom: 4px; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { border: 1px solid #dee2e6; padding: 4px 8px; text-align: right; }
th { background: #e9ecef; } td:first-child, th:first-child { text-align: left; }
figure { margin: 16px 0; } figure img { max-width: 100%; border: 1px solid #dee2e6; }
figcaption { font-size: 13px; color: #6c757d; }
pre { background: #f8f9fa; padding: 8px; overflow: auto; font-size: 12px; }
.facts td:first-child { font-weight: 600; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def embed_figure(path: Path) -> str:
    """A ``<figure>`` with the image inlined as a data URL (PNG, JPEG or SVG), captioned with its file name."""
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise ValueError(f"cannot embed {path.name}: figures must be one of {sorted(_MIME)}")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    caption = path.stem.replace("_", " ")
    image = f'<img alt="{_e(caption)}" src="data:{mime};base64,{data}">'
    return f"<figure>{image}<figcaption>{_e(caption)}</figcaption></figure>"


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
    from ..trial import PREDICTION_INTERVAL

    return (
        f"<p>PI: {_e(PREDICTION_INTERVAL)} ({_e(u['replicates'])} replicates; parameters drawn: "
        f"{_e(', '.join(u['parameters']))}).</p>"
    )


def render_trial_report(result: Any, figures: list[Path] | tuple[Path, ...] = ()) -> str:
    """The report as one HTML string (see :func:`write_trial_report`)."""
    from .. import __version__

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
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>lupuscart trial report: {_e(name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Virtual trial report: {_e(name)}</h1>",
        "<p>In silico CD19 CAR T cell therapy for systemic lupus erythematosus, simulated with lupuscart. "
        "Rates are over infused patients (manufacturing failure over all enrolled) with Wilson 95 % intervals; "
        "medians with distribution-free 95 % intervals; means with t intervals.</p>",
        _prediction_note(endpoints),
        "<h2>Run</h2>",
        _table(["", ""], facts, "facts").replace("<thead><tr><th></th><th></th></tr></thead>", ""),
        "<h2>Endpoints</h2>",
        _table(header, rows, "endpoints"),
    ]
    if figures:
        parts.append("<h2>Figures</h2>")
        parts += [embed_figure(Path(f)) for f in figures]
    parts.append("<h2>Protocol</h2>")
    for arm, protocol in _protocols(result, arms):
        shown = json.dumps(protocol, indent=2, sort_keys=True) if protocol else "(embedded defaults)"
        parts.append(f"<h3>Arm {_e(arm)}</h3><pre>{_e(shown)}</pre>")
    parts.append("<h3>Full configuration</h3>")
    parts.append(f"<pre>{_e(json.dumps(config, indent=2, sort_keys=True, default=str))}</pre>")
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
