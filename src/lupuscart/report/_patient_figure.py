"""The one-patient figure panel (``simulate --out DIR`` writes ``patient.png``).

Ten panels: CAR T, B cells (with the naive share), anti-dsDNA, C3, IgG (with the vaccine-specific share on its own
axis, in % of baseline), IL-6 with CRS/ICANS grades, proteinuria (the lupus nephritis readout), SLEDAI-2K at visits
(a step: the score holds until the next visit), neutrophils, and the journey's clinical events. Time runs on a
*broken* linear axis (:mod:`._time_axis`): the first five weeks stretched on the left, the follow-up on the right,
with break marks between — no symlog bend that reads like biology. Log axes carry plain numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._time_axis import SPLIT_DAY, broken_axes, plain_log_ticks

if TYPE_CHECKING:
    from ..journey import PatientResult

#: Colour of each toxicity grade in the patient figures (report and dashboard alike).
GRADE_COLOURS = {1: "#f4d35e", 2: "#ee964b", 3: "#f95738", 4: "#7b0828"}
#: First day drawn (lymphodepletion starts on day -5; the washout before it is flat).
FIRST_DAY = -14.0
#: Lanes of the events panel: event kind -> (lane label, marker, colour).
EVENT_LANES = {
    "lymphodepletion": ("lymphodepletion", "s", "#e9c46a"),
    "infusion": ("CAR T infusion", "D", "#2a9d8f"),
    "crs_grade": ("CRS grade change", "o", "#ee964b"),
    "icans_onset": ("ICANS", "o", "#5e60ce"),
    "tocilizumab": ("tocilizumab", "v", "#1d3557"),
    "dexamethasone": ("dexamethasone", "v", "#6a4c93"),
    "licats": ("LICATS", "^", "#e76f51"),
    "infection": ("infection", "x", "#d62828"),
    "b_cell_recovery": ("B-cell recovery", "|", "#264653"),
    "flare": ("lupus flare", "v", "#000000"),
}


def _panel(fig: Any, cell: Any, end: float) -> tuple[Any, Any]:
    return broken_axes(fig, cell, start=FIRST_DAY, split=SPLIT_DAY, end=end, ratio=0.8)


def build_patient_figure(result: PatientResult, *, last_day: float = 400.0) -> Any:
    """The panel as a matplotlib Figure; ``fig.lupuscart_panels`` maps each panel name to its (left, right) axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    obs, days = result.observables, result.days
    end = min(float(last_day), float(days[-1]))
    keep = (days >= FIRST_DAY) & (days <= end)
    d = days[keep]
    fig = plt.figure(figsize=(15, 17))
    grid = fig.add_gridspec(5, 2, hspace=0.45, wspace=0.42)
    panels: dict[str, tuple[Any, Any]] = {}
    names = ["car_t", "b_cells", "anti_dsdna", "c3", "igg", "il6", "proteinuria", "sledai2k", "anc", "events"]
    for k, name in enumerate(names):
        panels[name] = _panel(fig, grid[k // 2, k % 2], end)

    def line(name: str, key: str, ylabel: str, colour: str, log: bool = False) -> None:
        left, right = panels[name]
        y = np.asarray(obs[key])[keep]
        if log:
            y = np.where(y > 1e-3, y, np.nan)  # below the axis floor: not drawn (a gap), not a flat line
        for ax in (left, right):
            ax.plot(d, y, color=colour, lw=2, gid=key)
        left.set_ylabel(ylabel)
        if log:
            left.set_yscale("log")
            plain_log_ticks(left)

    labs = result.plan.config.labs
    line("car_t", "car_t_per_ul", "CAR T cells / µL", "#2a9d8f", log=True)
    line("b_cells", "b_cells_per_ul", "CD19⁺ B cells / µL", "#264653", log=True)
    line("anti_dsdna", "anti_dsdna_iu_ml", "anti-dsDNA (IU/mL)", "#e76f51")
    line("c3", "c3_g_l", "C3 (g/L)", "#6a4c93")
    line("igg", "igg_g_l", "total IgG (g/L)", "#1d3557")
    line("il6", "il6_pg_ml", "IL-6 (pg/mL)", "#d62828", log=True)
    line("proteinuria", "proteinuria_g_24h", "proteinuria (g/24 h)", "#b5838d")
    line("anc", "anc_10e9_l", "neutrophils, ANC (10⁹/L)", "#588157")
    for name, level, text in (
        ("b_cells", 1.0, "1/µL (aplasia threshold)"),
        ("anti_dsdna", labs.anti_dsdna_uln_iu_ml, "upper limit of normal"),
        ("c3", labs.c3_lln_g_l, "lower limit of normal"),
        ("proteinuria", 0.5, "0.5 g/24 h (SLEDAI-2K threshold)"),
        ("anc", 0.5, "0.5 × 10⁹/L (grade 4)"),
    ):
        for ax in panels[name]:
            ax.axhline(level, color="grey", ls=":", lw=1)
        panels[name][1].annotate(text, (1.0, level), xycoords=("axes fraction", "data"), ha="right", va="bottom",
                                 fontsize=7, color="grey")  # fmt: skip
    b = np.asarray(obs["b_cells_per_ul"])[keep]
    naive = np.where(b > 1e-2, 100 * np.asarray(obs["naive_b_fraction"])[keep], np.nan)
    twin = panels["b_cells"][1].twinx()
    twin.plot(d, naive, color="#e9c46a", lw=1.5, ls="--")
    twin.set_ylim(0, 105)
    twin.set_ylabel("naive share of B cells, % (dashed)")
    vaccine = 100 * np.asarray(obs["vaccine_igg_fraction"])[keep]
    twin_v = panels["igg"][1].twinx()
    twin_v.plot(d, vaccine, color="#457b9d", lw=1.2, ls="--")
    twin_v.set_ylim(0, 110)
    twin_v.set_ylabel("vaccine-specific IgG, % of baseline (dashed)")
    il6_left, il6_right = panels["il6"]
    for ax in (il6_left, il6_right):
        ax.plot(d, np.where(obs["il6_signalling_pg_ml"][keep] > 1e-3, obs["il6_signalling_pg_ml"][keep], np.nan),
                color="#d62828", lw=1, ls="--")  # fmt: skip
        for day, grade in result.crs_grade_by_day.items():
            if grade > 0 and day <= end:
                ax.axvspan(day, day + 1, color=GRADE_COLOURS[min(grade, 4)], alpha=0.5, lw=0)
        for day, grade in result.icans_grade_by_day.items():
            if grade > 0 and day <= end:
                ax.axvspan(day, day + 1, ymax=0.12, color="#5e60ce", alpha=0.8, lw=0)
    crs = max(result.crs_grade_by_day.values(), default=0)
    icans = max(result.icans_grade_by_day.values(), default=0)
    il6_left.set_title(f"shaded: CRS (worst grade {crs}); strip: ICANS (worst grade {icans}); dashed: IL-6 not "
                       "blocked by tocilizumab", fontsize=8, loc="left")  # fmt: skip
    visits = [v for v in result.visits if v.day <= end]
    vd = [max(float(v.day), FIRST_DAY) for v in visits]  # screening (journey start) drawn at the first day shown
    for ax in panels["sledai2k"]:
        ax.step(vd, [v.sledai2k for v in visits], where="post", color="#333333", gid="sledai2k")
        ax.scatter(vd, [v.sledai2k for v in visits], c=["#2a9d8f" if v.doris else "#e76f51" for v in visits], zorder=3)
    panels["sledai2k"][0].set_ylabel("SLEDAI-2K at visits")
    panels["sledai2k"][0].set_title("step: the score holds until the next visit; green: DORIS remission", fontsize=8,
                                    loc="left")  # fmt: skip
    lanes = list(EVENT_LANES)
    for ax in panels["events"]:
        for e in result.events:
            if e.kind in EVENT_LANES and FIRST_DAY <= e.day <= end:
                _, marker, colour = EVENT_LANES[e.kind]
                ax.plot(e.day, lanes.index(e.kind), marker, color=colour, ms=7, mew=1.5)
    panels["events"][0].set_yticks(range(len(lanes)), [EVENT_LANES[k][0] for k in lanes], fontsize=7)
    panels["events"][0].set_ylim(len(lanes) - 0.5, -0.5)
    for left, right in panels.values():
        for ax in (left, right):
            ax.axvline(0.0, color="black", lw=0.6, alpha=0.4)
            ax.grid(alpha=0.25)
        left.set_xticks(np.arange(FIRST_DAY, SPLIT_DAY + 1, 7.0))
        left.set_xlabel("day (0 = infusion)", fontsize=8)
        right.set_xlabel("day", fontsize=8)
    s = result.summary
    fig.suptitle(
        f"lupuscart patient (seed {result.seed}): CAR T peak {s.car_t_peak_per_ul:.1f}/µL on day "
        f"{s.car_t_peak_day}, B-cell recovery day {s.b_cell_recovery_day}, SLEDAI-2K "
        f"{s.sledai2k_baseline} → {s.sledai2k_day90} at day 90\n"
        f"time: days {FIRST_DAY:g} to {SPLIT_DAY:g} stretched (left of each break), then to day {end:g}",
        fontsize=12,
    )
    fig.lupuscart_panels = panels  # type: ignore[attr-defined]
    return fig


def patient_figure(result: PatientResult, path: Path, *, last_day: float = 400.0) -> Path:
    """Write :func:`build_patient_figure` to ``path`` (PNG) and return it."""
    import matplotlib.pyplot as plt

    fig = build_patient_figure(result, last_day=last_day)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
