"""The trial HTML report: one self-contained file with figures, endpoint table, protocol, model version, seed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from lupuscart.report._html import write_trial_report


@pytest.fixture(scope="module")
def tiny_trial() -> object:
    from lupuscart.trial import load_trial_config, run_trial

    config = {
        "name": "two-arms",
        "patients": 2,
        "seed": 11,
        "arms": {"erl": {}, "low": {"lymphodepletion": {"regimen": "low_intensity"}}},
    }
    return run_trial(load_trial_config(config))


def _png(path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(path)
    plt.close(fig)
    return path


def test_report_is_self_contained_and_complete(tiny_trial: object, tmp_path: Path) -> None:
    figure = _png(tmp_path / "km_curves.png")
    path = write_trial_report(tiny_trial, tmp_path / "out", [figure])
    text = path.read_text(encoding="utf-8")
    assert path.name == "report.html"
    # self-contained: every src/href is inline data, nothing to fetch
    assert all(u.startswith("data:") for u in re.findall(r'(?:src|href)="([^"]+)"', text))
    assert "data:image/png;base64," in text
    endpoints = tiny_trial.endpoints  # type: ignore[attr-defined]
    assert f"Seed</td><td>{endpoints['seed']}" in text
    assert endpoints["model_version"] in text
    assert endpoints["model_fingerprint"] in text
    assert "DORIS remission, month 3" in text
    assert "<th>erl</th><th>low</th>" in text
    assert "low_intensity" in text  # the protocol of each arm


def test_unknown_figure_type_is_refused(tiny_trial: object, tmp_path: Path) -> None:
    other = tmp_path / "data.csv"
    other.write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cannot embed data\.csv"):
        write_trial_report(tiny_trial, tmp_path, [other])


def test_report_has_table_one_paired_differences_small_trials_captions_and_a_collapsed_config(
    tiny_trial: object, tmp_path: Path
) -> None:
    from lupuscart.report import trial_figures
    from lupuscart.report._trial import FIGURE_CAPTIONS

    figures = trial_figures(tiny_trial, tmp_path / "figures")
    assert {f.name for f in figures} >= {"swimmer.png", "km.png", "vpc.png", "paired.png", "arms.png"}
    text = write_trial_report(tiny_trial, tmp_path / "out", figures).read_text(encoding="utf-8")
    assert "Baseline characteristics (Table 1)" in text
    assert "Mackensen 2022 (n=5)" in text
    assert "22 (18–24) [R]" in text
    assert "Paired differences between arms" in text
    assert "low − erl" in text
    assert "Tango" in text
    assert "Small-trial realism" in text
    assert "n = 5" in text
    for f in figures:  # real captions, not file stems
        assert f"<figcaption>{html.escape(FIGURE_CAPTIONS[f.name])}</figcaption>" in text
    # The raw configuration is collapsed: it appears only inside <details>.
    body, _, collapsed = text.partition("<h2>Configuration</h2>")
    assert "&quot;population&quot;" not in body
    assert "&quot;population&quot;" in collapsed
    assert collapsed.count("<details>") == 3  # two arms' overrides + the full configuration
    assert "snake_case" not in text
    assert "drug_free_remission_month12_rate" not in body
