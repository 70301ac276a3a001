"""The notebook API: lupuscart.simulate / lupuscart.trial with DataFrames, plot() Figures and HTML reprs; the
package import stays light."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import lupuscart


def test_import_is_lazy() -> None:
    code = "import sys, lupuscart; print(any(m in sys.modules for m in ('scipy', 'pandas', 'matplotlib', 'numba')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_simulate_returns_tables_a_figure_and_html() -> None:
    from matplotlib.figure import Figure

    sim = lupuscart.simulate(days=120, seed=2)
    assert isinstance(sim.timecourse, pd.DataFrame)
    assert sim.timecourse["day"].iloc[-1] == 120
    assert {"patient_id", "sledai2k", "doris_2021", "proteinuria_g_per_24h"} <= set(sim.visits.columns)
    assert sim.visits["sledai2k"].tolist() == [v.sledai2k for v in sim.result.visits]
    assert list(sim.events.columns[:6]) == ["ID", "TIME", "EVID", "AMT", "CMT", "RATE"]
    fig = sim.plot()
    assert isinstance(fig, Figure)
    assert "car_t_peak_day" in sim._repr_html_()
    assert sim.summary["seed"] == 2
    import matplotlib.pyplot as plt

    plt.close("all")


def test_trial_returns_tables_figures_and_html() -> None:
    from matplotlib.figure import Figure

    t = lupuscart.trial({"arms": {"a": {}, "b": {"lymphodepletion": {"regimen": "low_intensity"}}}}, patients=2, seed=4)
    assert list(t.endpoint_table.columns) == ["a", "b"]
    assert "DORIS remission, month 3" in t.endpoint_table.index
    assert set(t.visits["arm"]) == {"a", "b"}
    assert {"patient_id", "arm", "day", "kind"} == set(t.events.columns)
    assert {"car_t_fraction", "proteinuria_fraction"} <= set(t.timecourse["observable"])
    import matplotlib.pyplot as plt

    for kind in ("km", "swimmer", "vpc"):
        assert isinstance(t.plot(kind), Figure)
    plt.close("all")
    with pytest.raises(lupuscart.exceptions.InvalidInputError, match="'kind'"):
        t.plot("pie")
    assert "<table" in t._repr_html_()
    import lupuscart.trial as package  # the subpackage is the same callable object

    assert callable(package)
    assert package is lupuscart.trial
