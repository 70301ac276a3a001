"""Render the model definition as a readable specification (Markdown), straight from the one definition."""

from __future__ import annotations

from ._calibrated import calibration_record
from ._definition import ModelDefinition
from ._references import REFERENCES
from ._spec import EVIDENCE_TAGS


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def model_markdown(definition: ModelDefinition) -> str:
    """The whole model as Markdown: per block, its description, parameters, states with rate laws, observables.

    >>> from lupuscart.model import build_model
    >>> "| car_kill_per_cell_day | 3 |" in model_markdown(build_model())
    True
    """
    lines = [
        f"# Model specification: `{definition.name}`",
        "",
        "Generated from `src/lupuscart/model/` by `scripts/model_docs.py`; do not edit by hand. Time in days,",
        "day 0 = CAR T infusion. Evidence tags: " + "; ".join(f"**{k}** {v}" for k, v in EVIDENCE_TAGS.items()) + ".",
        "",
        f"{len(definition.states)} states, {len(definition.parameters)} parameters, "
        f"{len(definition.assignments)} derived quantities, {len(definition.observables)} observables. "
        f"Fingerprint `{definition.fingerprint}`. Every unit is parsed and every formula dimension-checked "
        "(`ModelDefinition.check_units`); each block lists the names it takes from other blocks (*inputs*); each "
        "transfer between two states is a *flux*, written once and assembled into both rate laws (the d/dt "
        "column shows the assembled law).",
    ]
    for b in definition.blocks:
        lines += ["", f"## {b.name.replace('_', ' ').capitalize()}", "", " ".join(b.description.split()), ""]
        if b.inputs:
            lines += ["Inputs: " + ", ".join(f"`{name}`" for name in b.inputs) + ".", ""]
        if b.parameters:
            lines += ["| parameter | value | unit | meaning | source | evidence |", "|---|---|---|---|---|---|"]
            lines += [
                f"| {p.name} | {_fmt(p.value)} | {p.unit} | {p.description} | {p.source} | {p.evidence} |"
                for p in b.parameters
            ]
            lines.append("")
        if b.assignments:
            lines += ["| derived | formula | unit |", "|---|---|---|"]
            lines += [f"| {a.name} | `{a.formula}` | {a.unit} |" for a in b.assignments]
            lines.append("")
        if b.expressions:
            lines += ["| expression | formula | unit |", "|---|---|---|"]
            lines += [f"| {e.name} | `{e.formula}` | {e.unit} |" for e in b.expressions]
            lines.append("")
        if b.states:
            lines += ["| state | unit | d/dt | initial |", "|---|---|---|---|"]
            lines += [f"| {s.name} | {s.unit} | `{definition.rate_laws[s.name]}` | `{s.initial}` |" for s in b.states]
            lines.append("")
        if b.fluxes:
            lines += ["| flux | from | to | rate | unit |", "|---|---|---|---|---|"]
            lines += [f"| {f.name} | {f.source} | {f.target} | `{f.rate}` | {f.unit} |" for f in b.fluxes]
            lines.append("")
        if b.observables:
            lines += ["| observable | formula | unit |", "|---|---|---|"]
            lines += [f"| {o.name} | `{o.formula}` | {o.unit} |" for o in b.observables]
    calibrated = calibration_record().get("typical", {})
    if calibrated:
        defaults = definition.default_values
        lines += [
            "",
            "## Calibrated values (the default parameter set)",
            "",
            "Fitted to Mackensen 2022 by `scripts/calibrate.py` (see docs/calibration.md) and applied on top of "
            "the starting values above unless a configuration sets `parameter_set: starting`.",
            "",
            "| parameter | starting value | calibrated value |",
            "|---|---|---|",
        ]
        lines += [f"| {k} | {_fmt(defaults[k])} | {_fmt(float(v))} |" for k, v in sorted(calibrated.items())]
    lines += ["", "## References", ""]
    lines += [f"- **{r.key}**: {r.citation}" + (f" doi:{r.doi}" if r.doi else "") for r in REFERENCES.values()]
    return "\n".join(lines) + "\n"
