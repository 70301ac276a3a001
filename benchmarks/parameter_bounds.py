"""Which ``model_parameters`` overrides inside the declared bounds can the model be solved with?

For every model parameter, the default patient is simulated (full journey with management, both engines) with
the parameter set to each bound and to its value scaled by 10^-6 … 10^6 (where inside the bounds), one parameter
at a time. Each run ends ``ok``, ``refused`` (the configuration does not take it: patient-level parameters are set
in the patient section), in a clean ``SolverError`` (the work budget or a failed step: exit 2 at the command line,
``solver_failed`` in a trial), or in anything else (a crash: a bug).

Measured before the bounds were set (every parameter then had [0, inf) unless noted): zeros in denominators
(volumes, half-saturation constants, half-lives, clearances) crashed with ZeroDivisionError or divide-by-zero;
at 10^2 times their value flu_kill_l_per_mg_day and cy_kill_l_per_mg_day crashed (math domain error), and
car_growth_per_day, flu_myelotox_l_per_mg and cy_myelotox_l_per_mg failed to solve; cy_cl_l_h failed at 10^-2
times, car_effector_death_per_day crashed at 10^-2 times (Poisson overflow: CAR T never contract),
neutrophil_feedback crashed from 0.9 (WBC beyond 500 ×10⁹/L); at 10^300 every unbounded parameter failed, the
reference engine hanging for minutes before the work budget. So every parameter without bounds got
[value/100, value×100], narrowed to the last decade that solved for the parameters just named, and
neutrophil_feedback [0, 0.5]; with these bounds this script reports no failure on either engine.

Run: ``.venv/bin/python benchmarks/parameter_bounds.py [--engines reference fast] [--only NAME ...]``
Prints one line per failing (parameter, value, engine) and a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import warnings

from lupuscart.exceptions import InvalidInputError, SolverError
from lupuscart.journey import load_config, simulate_patient
from lupuscart.model import default_model

FACTORS = tuple(10.0**k for k in range(-6, 7) if k != 0)


def candidates(value: float, lower: float, upper: float) -> list[float]:
    """The bounds (finite ones) and the scaled values that lie within them."""
    out = {x for x in (lower, upper) if math.isfinite(x)}
    if value != 0:
        out |= {value * f for f in FACTORS if lower <= value * f <= upper}
    else:
        out |= {x for x in (1e-6, 1e-3, 1.0, 1e3, 1e6) if lower <= x <= upper}
    return sorted(out)


def outcome(name: str, x: float, engine: str) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            simulate_patient(load_config({"model_parameters": {name: x}}), engine=engine)
        result = "ok"
    except InvalidInputError as exc:
        result = f"refused: {str(exc)[:90]}"
    except SolverError as exc:
        result = f"SolverError: {str(exc)[:90]}"
    except Exception as exc:  # a crash is what this script looks for
        result = f"CRASH {type(exc).__name__}: {str(exc)[:90]}"
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", nargs="+", default=["reference", "fast"])
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    summary: dict[str, dict[str, list[str]]] = {}
    for p in default_model().definition.parameters:
        if args.only and p.name not in args.only:
            continue
        for x in candidates(p.value, p.lower, p.upper):
            for engine in args.engines:
                result, seconds = outcome(p.name, x, engine)
                if not result.startswith(("ok", "refused")) or seconds > 5:
                    print(
                        f"{p.name} = {x:g} [{p.lower:g}, {p.upper:g}] {engine}: {result} ({seconds:.1f} s)", flush=True
                    )
                    summary.setdefault(p.name, {}).setdefault(engine, []).append(f"{x:g}: {result[:40]}")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
