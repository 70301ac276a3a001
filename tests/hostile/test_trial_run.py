"""Trial runs that used to look fine (issue 12, defects 1, 9 and 11): patients that error, caps bypassed on the
command line, scheduler addresses that are not addresses, enormous resampling, visit days past follow-up."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from lupuscart.cli import main
from lupuscart.exceptions import InvalidConfigError, SolverError
from lupuscart.journey import load_config
from lupuscart.trial import RUN_ARGUMENTS, load_trial_config, small_trial_probabilities
from lupuscart.trial import _resample as resample

from ._cli import assert_refused, lupuscart
from ._trial import write_config

# -- defect 1: a trial in which patients error does not exit 0 -----------------------------------------------------


def _run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def _failing(kind: str, every: bool = True) -> object:
    from lupuscart.journey import simulate_patient

    calls = {"n": 0}

    def fake(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if every or calls["n"] <= 2:  # the first patient's attempt and its retry
            raise TypeError("'<' not supported") if kind == "bug" else SolverError("fast engine failed")
        return simulate_patient(*args, **kwargs)  # type: ignore[arg-type]

    return fake


def test_patients_that_error_make_the_trial_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import lupuscart.journey

    monkeypatch.setattr(lupuscart.journey, "simulate_patient", _failing("bug"))
    code, out, err = _run_main(["trial", "--patients", "2", "--json", "--out", str(tmp_path / "o")], capsys)
    assert code == 1
    assert out == ""  # no endpoints that look like a result
    assert "2 of 2 patient simulations failed with an internal error" in err
    assert "this is a bug" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()  # nothing that looks like a result


def test_a_trial_whose_every_solve_failed_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import lupuscart.journey

    monkeypatch.setattr(lupuscart.journey, "simulate_patient", _failing("solver"))
    code, out, err = _run_main(["trial", "--patients", "2", "--json"], capsys)
    assert code == 2
    assert out == ""
    assert "every patient's solve failed" in err
    assert "model_parameters" in err


def test_some_failed_solves_are_reported_and_counted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import lupuscart.journey

    monkeypatch.setattr(lupuscart.journey, "simulate_patient", _failing("solver", every=False))
    code, out, err = _run_main(["trial", "--patients", "2", "--json"], capsys)
    assert code == 0
    assert '"solver_failures": 1' in out
    assert "warning: 1 of 2 patient simulations failed to solve" in err


# -- defect 11: the configuration's caps hold on the command line too -------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--patients", str(RUN_ARGUMENTS["patients"].high + 1)], "--patients"),  # type: ignore[union-attr]
        (["--seed", str(2**63)], "--seed"),
        (["--seed", "-1"], "--seed"),
        (["--chunk-size", str(10**9)], "--chunk-size"),
        (["--workers", "100000"], "--workers"),
    ],
)
def test_command_line_cannot_exceed_the_configuration_caps(args: list[str], option: str) -> None:
    assert_refused(lupuscart("trial", *args), option)


def test_simulate_seed_has_the_same_cap() -> None:
    result = lupuscart("simulate", "--seed", str(2**63))
    assert result.returncode == 2
    assert "--seed" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_config_over_the_cap_is_refused_and_a_duplicate_cannot_sneak_it_in(tmp_path: Path) -> None:
    over = RUN_ARGUMENTS["patients"].high + 1  # type: ignore[union-attr]
    assert_refused(lupuscart("trial", "--config", write_config(tmp_path, {"patients": over})), "patients")


# -- defect 11: --scheduler that is not an address ---------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["not a url", "tcp://", "tcp://host", "tcp://host:0", "tcp://host:99999", "x" * 10_000]
)
def test_a_scheduler_that_is_not_an_address_is_refused_at_once(address: str) -> None:
    start = time.monotonic()
    result = lupuscart("trial", "--patients", "1", "--scheduler", address)
    assert time.monotonic() - start < 30  # was a 10 s wait for a connection, then a traceback
    assert_refused(result, "--scheduler", "tcp://HOST:PORT")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "tls://scheduler.example.org:8786", "10.0.0.5:8786"])
def test_well_formed_addresses_pass_the_check(address: str) -> None:
    RUN_ARGUMENTS["scheduler"].check("scheduler", address, caller="cli")


# -- defect 9: small_trial.draws 1,000,000 ------------------------------------------------------------------------


def test_a_million_draws_runs_in_flat_memory(tmp_path: Path) -> None:
    cfg = write_config(
        tmp_path, {"protocol": {"followup": {"days": 120}}, "small_trial": {"sizes": [2], "draws": 1_000_000}}
    )
    result = lupuscart("trial", "--config", cfg, "--patients", "3", "--json", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"small_trial"' in result.stdout


def test_resampling_memory_does_not_grow_with_draws() -> None:
    flags = np.random.default_rng(0).random(300) < 0.5
    tracemalloc.start()
    try:
        small_trial_probabilities(flags, 15, 1_000_000, np.random.default_rng(1))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024**2  # all at once: 1e6 × 300 keys = 2.4 GB


def test_resampling_in_blocks_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    flags = np.random.default_rng(2).random(57) < 0.7
    whole = small_trial_probabilities(flags, 5, 3001, np.random.default_rng(9))
    monkeypatch.setattr(resample, "_BLOCK_VALUES", 100)
    assert small_trial_probabilities(flags, 5, 3001, np.random.default_rng(9)) == whole


def test_huge_resampling_draws_successes_directly() -> None:
    """Past MAX_KEYS the number of successes is drawn from its hypergeometric law: same distribution."""
    from scipy.stats import hypergeom

    flags = np.zeros(1_000_000, dtype=bool)
    flags[:600_000] = True
    start = time.monotonic()
    r = small_trial_probabilities(flags, 5, 1_000_000, np.random.default_rng(3))
    assert time.monotonic() - start < 10
    exact = hypergeom(1_000_000, 600_000, 5).pmf(5)
    assert r["p_all"] == pytest.approx(exact, abs=5 * np.sqrt(exact * (1 - exact) / 1_000_000))


# -- defect 11: visit days past follow-up -------------------------------------------------------------------------


def test_explicit_visit_days_past_follow_up_are_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("followup: {days: 400, visit_days: [7, 90, 500, 730]}\n")
    assert_refused(lupuscart("simulate", "--config", cfg), "followup.visit_days", "[500, 730]", "followup.days 400")


def test_visit_days_past_follow_up_in_a_trial_arm_are_refused() -> None:
    with pytest.raises(InvalidConfigError, match=r"arms\.short\.followup\.visit_days: \[540\]"):
        load_trial_config({"arms": {"short": {"followup": {"days": 365, "visit_days": [90, 540]}}}})


def test_the_standard_schedule_follows_the_follow_up() -> None:
    assert load_config({"followup": {"days": 400}}).followup.visit_days[-1] == 365
    assert load_config({"followup": {"days": 3650}}).followup.visit_days[-1] == 1095


def test_days_option_extends_a_standard_schedule_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("followup: {days: 400}\n")
    code, out, _ = _run_main(["simulate", "--config", str(cfg), "--days", "800", "--json"], capsys)
    assert code == 0
    assert '"drug_free_remission_day365"' in out
