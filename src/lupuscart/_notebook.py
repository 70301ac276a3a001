"""The notebook API: ``lupuscart.simulate(...)`` and ``lupuscart.trial(...)`` return results with DataFrames,
a ``plot()`` that returns a matplotlib Figure, and an HTML representation for Jupyter."""

from __future__ import annotations

import html
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

    from .journey import PatientResult
    from .trial import TrialResult


class Simulation:
    """One simulated patient: ``.timecourse`` (daily, wide), ``.visits`` (scored visits in the scorer's
    vocabulary), ``.events`` (NONMEM-style event table with prose), ``.summary``, ``.plot()``."""

    def __init__(self, result: PatientResult) -> None:
        self.result = result

    @property
    def summary(self) -> dict[str, Any]:
        """The ``simulate --json`` summary (a dict)."""
        return self.result.summary.as_dict()

    @cached_property
    def timecourse(self) -> pd.DataFrame:
        """One row per day (``timecourse.csv``)."""
        from .journey import timecourse_frame

        return timecourse_frame(self.result)

    @cached_property
    def visits(self) -> pd.DataFrame:
        """The visits as recorded and scored (``visits_scored.csv``)."""
        from .clinical import score_visits
        from .journey import visits_frame

        return score_visits(visits_frame(self.result))

    @cached_property
    def events(self) -> pd.DataFrame:
        """Doses (EVID 1) and journey/clinical events (EVID 2), as ``events.csv``."""
        from .io import event_table

        return event_table(self.result)

    def plot(self, *, last_day: float = 400.0) -> Any:
        """The patient panel (``patient.png``) as a matplotlib Figure."""
        from .report._patient_figure import build_patient_figure

        return build_patient_figure(self.result, last_day=last_day)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in self.summary.items()
            if not isinstance(v, list)
        )
        return f"<div><b>lupuscart simulation</b> (status {html.escape(self.result.status)})<table>{rows}</table></div>"

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"Simulation(status={self.result.status!r}, car_t_peak_day={s['car_t_peak_day']}, "
            f"b_cell_recovery_day={s['b_cell_recovery_day']}, doris_day90={s['doris_day90']})"
        )


class Trial:
    """A virtual trial: ``.endpoints`` (the ``trial --json`` object), ``.endpoint_table``, ``.patients``,
    ``.visits``, ``.events`` (per-patient clinical events, long), ``.timecourse`` (observed-vs-simulated fractions
    at the published days, long), ``.plot(kind)``."""

    def __init__(self, result: TrialResult) -> None:
        self.result = result

    @property
    def endpoints(self) -> dict[str, Any]:
        """The ``trial --json`` object."""
        return self.result.endpoints

    @property
    def patients(self) -> pd.DataFrame:
        """One row per patient and arm."""
        return self.result.patients

    @property
    def visits(self) -> pd.DataFrame:
        """One row per scored visit (patient_id, arm, day, sledai2k, doris_2021, ...)."""
        return self.result.visits

    @cached_property
    def endpoint_table(self) -> pd.DataFrame:
        """Endpoints (rows) by arm (columns), formatted "estimate [95 % interval]" as in the report."""
        import pandas as pd

        from .report import endpoint_rows

        header, rows = endpoint_rows(self.endpoints)
        return pd.DataFrame(rows, columns=header).set_index(header[0])

    @cached_property
    def events(self) -> pd.DataFrame:
        """Clinical events per patient (``patient_id, arm, day, kind``): CRS and ICANS onsets, LICATS, infections,
        first DORIS remission, B-cell recovery, lupus flare — what the swimmer plot draws."""
        import pandas as pd

        rows = []
        single = {"crs_onset_day": "crs", "icans_onset_day": "icans", "remission_onset_day": "remission",
                  "b_cell_recovery_day": "b_cell_recovery", "flare_day": "flare"}  # fmt: skip
        for _, p in self.patients.iterrows():
            for column, kind in single.items():
                if column in p and p[column] is not None and p[column] == p[column]:
                    rows.append((p["patient_id"], p["arm"], float(p[column]), kind))
            for column, kind in (("licats_onset_days", "licats"), ("infection_days", "infection")):
                for d in str(p.get(column) or "").split(";"):
                    if d:
                        rows.append((p["patient_id"], p["arm"], float(d), kind))
        frame = pd.DataFrame(rows, columns=["patient_id", "arm", "day", "kind"])
        return frame.sort_values(["arm", "patient_id", "day"], kind="stable").reset_index(drop=True)

    @cached_property
    def timecourse(self) -> pd.DataFrame:
        """Each patient's fractions at the published days (long: ``patient_id, arm, observable, day, value``)."""
        import pandas as pd

        from .trial._vpc import column, published_days

        rows = []
        for name, days in published_days().items():
            for day in days:
                col = column(name, day)
                if col in self.patients:
                    part = self.patients[["patient_id", "arm", col]].rename(columns={col: "value"})
                    rows.append(part.assign(observable=name, day=day))
        frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
        return frame[["patient_id", "arm", "observable", "day", "value"]] if rows else frame

    def plot(self, kind: str = "km") -> Any:
        """A trial figure as a matplotlib Figure: ``"km"``, ``"swimmer"`` (first arm) or ``"vpc"`` (first arm)."""
        first = next(iter(self.result.config.arms))
        if kind == "km":
            from .report._trial import build_km_figure

            return build_km_figure(self.result)
        if kind == "swimmer":
            from .report._swimmer import build_swimmer

            return build_swimmer(self.patients[self.patients["arm"] == first], arm=first)
        if kind == "vpc":
            from .report._vpc_figure import build_vpc

            return build_vpc(self.result, first)
        raise InvalidInputError(f"The 'kind' argument of plot must be one of 'km', 'swimmer', 'vpc'. Got {kind!r}.")

    def _repr_html_(self) -> str:
        table = self.endpoint_table.to_html(escape=True)
        return f"<div><b>lupuscart virtual trial</b> (seed {html.escape(str(self.endpoints.get('seed')))}){table}</div>"

    def __repr__(self) -> str:
        return f"Trial(arms={list(self.result.config.arms)}, patients_per_arm={self.result.config.patients})"


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def simulate(
    config: str | Path | dict[str, Any] | None = None,
    *,
    seed: int = 0,
    days: int | None = None,
    management: bool = True,
    engine: str = "reference",
    events: str | Path | None = None,
) -> Simulation:
    """Simulate one patient (as ``lupuscart simulate``) and return a :class:`Simulation`.

    ``config`` is a YAML path, a mapping or ``None`` (the embedded defaults); ``days`` overrides
    ``followup.days``; ``events`` is an event table whose doses replace the protocol's.

    Examples
    --------
    >>> import lupuscart
    >>> sim = lupuscart.simulate(days=120)
    >>> sim.timecourse["day"].iloc[-1], "sledai2k" in sim.visits, sim.events["EVID"].isin([1, 2]).all()
    (np.int64(120), True, np.True_)
    """
    from .journey import load_config, plan_patient, simulate_patient
    from .journey._config import with_followup_days

    cfg = load_config(config)
    if days is not None:
        cfg = with_followup_days(cfg, days)
    doses = None
    if events is not None:
        from .io import read_event_table

        plan = plan_patient(cfg)
        doses = read_event_table(events, t_start=plan.t_start, t_end=plan.t_end)
    return Simulation(simulate_patient(cfg, seed=seed, management=management, engine=engine, doses=doses))


def trial(
    config: str | Path | dict[str, Any] | None = None,
    *,
    patients: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: bool = False,
) -> Trial:
    """Run a virtual trial (as ``lupuscart trial``) and return a :class:`Trial`.

    Examples
    --------
    >>> import lupuscart
    >>> t = lupuscart.trial(patients=2, seed=1)
    >>> list(t.endpoint_table.columns), set(t.events["kind"]) <= {"crs", "icans", "remission", "b_cell_recovery",
    ...     "flare", "licats", "infection"}
    (['cd19_1e6_erlangen'], True)
    """
    from .trial import load_trial_config, run_trial

    return Trial(run_trial(load_trial_config(config), patients=patients, seed=seed, workers=workers, progress=progress))
