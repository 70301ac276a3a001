"""Figure of the exported PEtab problem: its measurements against the model at the nominal parameters.

Usage::

    .venv/bin/python scripts/petab_figure.py [--out docs/figures/petab_problem.png]

Exports the calibration problem (``lupuscart export petab``) to a temporary directory, simulates its SBML with
libRoadRunner (the independent simulator the SBML tests use), evaluates each PEtab observable formula on the
output (the ``observableParameter`` placeholders replaced per measurement) and plots the measurements with their
noise (log-normal, ×/÷ e^σ) over the simulated observables.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "docs" / "figures" / "petab_problem.png"))
    args = ap.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import roadrunner

    from lupuscart.io import write_petab
    from lupuscart.model import default_model

    directory = Path(tempfile.mkdtemp()) / "petab"
    write_petab(directory)
    obs = pd.read_csv(directory / "observables.tsv", sep="\t").set_index("observableId")
    meas = pd.read_csv(directory / "measurements.tsv", sep="\t", keep_default_na=False)
    params = pd.read_csv(directory / "parameters.tsv", sep="\t").set_index("parameterId")["nominalValue"].to_dict()
    rr = roadrunner.RoadRunner(str(directory / "model.xml"))
    # Each state's absolute tolerance from State.scale (the engines' rule, as tests/io/test_petab.py does): one
    # global absolute tolerance stalls CVODE after the first lymphodepletion dose since the tissue states.
    model = default_model()
    rr.integrator.relative_tolerance = 1e-8
    for name, atol in zip(model.state_names, model.absolute_tolerance(1e-8), strict=True):
        rr.integrator.setIndividualTolerance(name, float(atol))
    rr.integrator.setValue("maximum_num_steps", 100_000)
    names = sorted({n for f in obs["observableFormula"] for n in re.findall(r"[A-Za-z_]\w*", f)})
    model_names = [n for n in names if n in set(rr.model.getGlobalParameterIds())]
    rr.timeCourseSelections = ["time", *model_names]
    times = np.linspace(0.0, float(meas["time"].max()) + 30.0, 800)
    sim = pd.DataFrame(np.asarray(rr.simulate(times=times.tolist())), columns=["time", *model_names])
    from lupuscart.journey import load_config, plan_patient

    t_start = plan_patient(load_config()).t_start  # SBML/PEtab time 0 is the journey start
    fig, axes = plt.subplots(2, 3, figsize=(13, 6.5))
    for ax, (oid, row) in zip(axes.flat, obs.iterrows(), strict=True):
        m = meas[meas["observableId"] == oid]
        placeholder = f"observableParameter1_{oid}"
        scale = m["observableParameters"].iloc[0] if placeholder in row["observableFormula"] else ""
        env = {**params, **{n: sim[n].to_numpy() for n in model_names}}
        if scale:
            env[placeholder] = params[scale]
        y = eval(row["observableFormula"], {"__builtins__": {}}, env)  # formulas are plain arithmetic of names
        ax.plot(times + t_start, y, color="#1d3557", lw=1.3, label="model (nominal parameters)")
        for tag, colour in (("R", "#e63946"), ("R2", "#e76f51"), ("A", "#457b9d")):
            mt = m[m["datasetId"].str.endswith("_" + tag)]
            if mt.empty:
                continue
            lo = mt["measurement"] * (1 - np.exp(-mt["noiseParameters"]))
            hi = mt["measurement"] * (np.exp(mt["noiseParameters"]) - 1)
            ax.errorbar(
                mt["time"] + t_start,
                mt["measurement"],
                yerr=[lo, hi],
                fmt="o",
                color=colour,
                ms=4,
                capsize=2,
                label=f"Mackensen 2022 [{tag}]",
            )
        ax.set_yscale("log")
        ax.set_xlim(-10, times[-1] + t_start)
        ax.set_title(f"{oid}: {row.get('observableName', '')}", fontsize=8)
        ax.set_xlabel(f"days after infusion (PEtab time {t_start:+g})")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("lupuscart export petab: the calibration problem (measurements ×/÷ e^σ, model at nominal values)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
