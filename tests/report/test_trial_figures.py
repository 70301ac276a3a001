"""What the trial figures encode: the swimmer plot's lanes and events, the VPC's simulated bands and published
points, and the report's KM panels against the endpoints (read back from the matplotlib artists)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lupuscart.report._swimmer import build_swimmer
from lupuscart.report._vpc_figure import build_vpc


def _patients() -> pd.DataFrame:
    base = {"arm": "a", "status": "ok", "end_of_followup_day": 730.0, "crs_max_grade": 0, "b_cell_recovery_day": None,
            "crs_onset_day": None, "crs_end_day": None, "icans_onset_day": None, "icans_end_day": None,
            "licats_onset_days": "", "infection_days": "", "remission_onset_day": None, "flare_day": None}  # fmt: skip
    return pd.DataFrame(
        [
            {**base, "patient_id": 0, "crs_onset_day": 2.0, "crs_end_day": 5.0, "crs_max_grade": 2,
             "remission_onset_day": 90.0, "b_cell_recovery_day": 101.0, "infection_days": "12;400"},
            {**base, "patient_id": 1, "icans_onset_day": 6.0, "icans_end_day": 8.0, "licats_onset_days": "10",
             "remission_onset_day": 60.0, "flare_day": 540.0},
            {**base, "patient_id": 2, "status": "manufacturing_failed"},
        ]
    )  # fmt: skip


def _bars(ax: object) -> list[tuple[float, float, float, str]]:
    from matplotlib.colors import to_hex

    return [
        (
            round(p.get_x(), 6),
            round(p.get_width(), 6),
            round(p.get_y() + p.get_height() / 2, 6),
            to_hex(p.get_facecolor()),
        )
        for p in ax.patches  # type: ignore[attr-defined]
    ]


def _markers(ax: object) -> set[tuple[float, float, str]]:
    out = set()
    for line in ax.lines:  # type: ignore[attr-defined]
        xs, ys = line.get_xdata(), line.get_ydata()
        if len(xs) == 1 and line.get_marker() not in (None, "None", ""):
            out.add((float(xs[0]), float(ys[0]), str(line.get_marker())))
    return out


def test_swimmer_lanes_and_events_are_where_the_table_says() -> None:
    from lupuscart.report import GRADE_COLOURS

    fig = build_swimmer(_patients())
    left, right = fig.axes[:2]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels == ["#1", "#0"]  # infused only, sorted by remission onset (60 before 90)
    assert left.get_xlim() == (-1.0, 35.0)
    assert right.get_xlim() == (35.0, 730.0)
    assert left.get_xscale() == right.get_xscale() == "linear"
    bars = _bars(left)
    assert (2.0, 3.0, 1.0, GRADE_COLOURS[2]) in bars  # patient #0 (lane 1): CRS days 2-5, grade-2 colour
    assert any(b[0] == 6.0 and b[1] == 2.0 and abs(b[2] - (0 - 0.3)) < 1e-9 for b in bars)  # #1's ICANS
    marks = _markers(right)
    assert {(90.0, 1.0, "o"), (101.0, 1.0, "|"), (400.0, 1.0, "x"), (60.0, 0.0, "o"), (540.0, 0.0, "v")} <= marks
    assert (12.0, 1.0, "x") in _markers(left)
    assert (10.0, 0.0, "^") in _markers(left)


@pytest.fixture(scope="module")
def small_trial() -> object:
    from lupuscart.trial import load_trial_config, run_trial

    return run_trial(load_trial_config({"patients": 6, "seed": 5}))


def test_vpc_draws_the_simulated_percentiles_and_the_published_points(small_trial: object) -> None:
    from lupuscart.calibrate import time_targets
    from lupuscart.trial._vpc import column, published_days

    result = small_trial
    arm = next(iter(result.config.arms))  # type: ignore[attr-defined]
    fig = build_vpc(result, arm)
    ok = result.patients[result.patients["status"] == "ok"]  # type: ignore[attr-defined]
    ax = fig.axes[4]  # proteinuria
    assert ax.get_title() == "Proteinuria"
    median = next(line for line in ax.lines if line.get_marker() == "o" and len(line.get_xdata()) > 1)
    days = published_days()["proteinuria_fraction"]
    expected = [np.percentile(ok[column("proteinuria_fraction", d)].astype(float), 50) for d in days]
    np.testing.assert_allclose(median.get_xdata(), days)
    np.testing.assert_allclose(median.get_ydata(), expected, rtol=1e-12)
    published = {(t.day, t.value) for t in time_targets() if t.observable == "proteinuria_fraction"}
    drawn = {(float(c.get_xdata()[0]), float(c.get_ydata()[0])) for c in ax.lines if len(c.get_xdata()) == 1}
    assert published <= drawn
    assert ax.get_yscale() == "linear"
    assert fig.axes[1].get_yscale() == "log"
    ticks = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert not any("10^" in t or "times" in t for t in ticks)  # plain numbers on log axes


def test_report_km_panel_matches_the_endpoints(small_trial: object, tmp_path: object) -> None:
    from lupuscart.report import km_drawing
    from lupuscart.trial import km_curves

    result = small_trial
    arm = next(iter(result.config.arms))  # type: ignore[attr-defined]
    e = result.endpoints["arms"][arm]  # type: ignore[attr-defined]
    curves = km_curves(result.patients, result.visits)  # type: ignore[attr-defined]
    reached = km_drawing(curves["drug_free_remission"], incidence=True)
    assert reached.value_at(365.0) == pytest.approx(e["drug_free_remission_reached_by_month12"])
    recovery = km_drawing(curves["b_cell_recovery"], incidence=True)
    assert recovery.end >= 1095 - 1e-9  # drawn to the end of follow-up
    crossing = next((x for x, y in zip(recovery.line_x, recovery.line_y, strict=True) if y >= 0.5), None)
    assert crossing == e["b_cell_recovery_km_median_day"]


def test_figures_of_a_trial_where_every_product_failed_draw_without_warnings(tmp_path: object) -> None:
    """No infused patient: every figure is still written, the arms figure without an empty legend (pytest turns
    matplotlib's 'no artists with labels' warning into an error)."""
    from pathlib import Path

    from lupuscart.report import trial_figures
    from lupuscart.trial import load_trial_config, run_trial

    config = load_trial_config({"engine": "fast", "arms": {"a": {"manufacturing": {"failure_probability": 1.0}}}})
    result = run_trial(config, patients=6, seed=3)
    assert result.endpoints["arms"]["a"]["manufacturing_failure_rate"] == 1.0
    paths = trial_figures(result, Path(str(tmp_path)))
    assert {p.name for p in paths} >= {"arms.png", "km.png", "swimmer.png"}
    assert all(p.stat().st_size > 0 for p in paths)
