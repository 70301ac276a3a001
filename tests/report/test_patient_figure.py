"""What patient.png encodes: linear time parts (no symlog bend), plotted values equal the time course, plain tick
labels, proteinuria drawn, the vaccine-specific share on its own % axis, SLEDAI-2K as a step, no floor lines."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from lupuscart.journey import simulate_patient
from lupuscart.report._patient_figure import FIRST_DAY, build_patient_figure

matplotlib.use("Agg")


def _line(ax: object, gid: str) -> object:
    return next(line for line in ax.lines if line.get_gid() == gid)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def figure_and_result() -> tuple[object, object]:
    result = simulate_patient()
    fig = build_patient_figure(result, last_day=400)
    fig.canvas.draw()
    return fig, result


def test_time_axes_are_linear_and_broken_not_symlog(figure_and_result: tuple[object, object]) -> None:
    fig, _ = figure_and_result
    for ax in fig.axes:  # type: ignore[attr-defined]
        assert ax.get_xscale() == "linear"
    left, right = fig.lupuscart_panels["car_t"]  # type: ignore[attr-defined]
    assert left.get_xlim() == (FIRST_DAY, 35.0)
    assert right.get_xlim() == (35.0, 400.0)


@pytest.mark.parametrize(
    ("panel", "column"),
    [("car_t", "car_t_per_ul"), ("proteinuria", "proteinuria_g_24h"), ("anc", "anc_10e9_l"), ("c3", "c3_g_l")],
)
def test_plotted_values_are_the_time_course(figure_and_result: tuple[object, object], panel: str, column: str) -> None:
    fig, result = figure_and_result
    line = _line(fig.lupuscart_panels[panel][1], column)  # type: ignore[attr-defined]
    days = result.days  # type: ignore[attr-defined]
    keep = (days >= FIRST_DAY) & (days <= 400)
    expected = np.asarray(result.observables[column])[keep]  # type: ignore[attr-defined]
    np.testing.assert_array_equal(line.get_xdata(), days[keep])
    drawn = np.asarray(line.get_ydata(), dtype=float)
    shown = ~np.isnan(drawn)
    np.testing.assert_array_equal(drawn[shown], expected[shown])
    assert np.all(expected[~shown] <= 1e-3)  # only values below a log axis's floor are left out (a gap)


def test_no_flat_line_at_the_log_floor(figure_and_result: tuple[object, object]) -> None:
    fig, _ = figure_and_result
    y = np.asarray(_line(fig.lupuscart_panels["b_cells"][1], "b_cells_per_ul").get_ydata(), dtype=float)  # type: ignore[attr-defined]
    assert np.isnan(y).any()  # B-cell aplasia: a gap, not a line at 0.001
    assert not np.any(y == 1e-3)


def test_ticks_are_plain_numbers(figure_and_result: tuple[object, object]) -> None:
    fig, _ = figure_and_result
    for ax in fig.axes:  # type: ignore[attr-defined]
        for label in ax.get_yticklabels():
            text = label.get_text()
            assert "times" not in text
            assert "^" not in text
            assert "×" not in text
    il6 = [t.get_text() for t in fig.lupuscart_panels["il6"][0].get_yticklabels()]  # type: ignore[attr-defined]
    assert "2" in il6
    assert "5" in il6


def test_vaccine_share_has_its_own_percent_axis_and_proteinuria_is_drawn(
    figure_and_result: tuple[object, object],
) -> None:
    fig, _ = figure_and_result
    igg_left, _igg_right = fig.lupuscart_panels["igg"]  # type: ignore[attr-defined]
    assert igg_left.get_ylabel() == "total IgG (g/L)"
    percent = [ax for ax in fig.axes if "vaccine-specific IgG, % of baseline" in ax.get_ylabel()]  # type: ignore[attr-defined]
    assert len(percent) == 1
    assert percent[0].get_ylim()[1] > 100
    assert fig.lupuscart_panels["proteinuria"][0].get_ylabel() == "proteinuria (g/24 h)"  # type: ignore[attr-defined]


def test_sledai_is_a_step_at_the_visits(figure_and_result: tuple[object, object]) -> None:
    fig, result = figure_and_result
    step = _line(fig.lupuscart_panels["sledai2k"][1], "sledai2k")  # type: ignore[attr-defined]
    assert step.get_drawstyle() == "steps-post"
    visits = [v.sledai2k for v in result.visits if v.day <= 400]  # type: ignore[attr-defined]
    assert list(step.get_ydata()) == visits
