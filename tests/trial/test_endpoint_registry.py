"""One endpoint registry: every registered endpoint is computed, and every view (terminal table, HTML report,
dashboard) shows exactly the registered endpoints with their labels."""

from __future__ import annotations

import pytest

from lupuscart.report import endpoint_rows
from lupuscart.trial import ENDPOINTS, RATE_KEYS, endpoint, load_trial_config, run_trial


@pytest.fixture(scope="module")
def endpoints() -> dict[str, object]:
    return run_trial(load_trial_config({"patients": 3, "seed": 5, "engine": "fast"})).endpoints


def test_keys_are_unique_and_rates_have_intervals(endpoints: dict[str, object]) -> None:
    keys = [e.key for e in ENDPOINTS]
    assert len(keys) == len(set(keys))
    for e in ENDPOINTS:
        assert e.key in endpoints, e.key
        if e.kind in {"rate", "median", "mean"}:
            assert f"{e.key}_ci" in endpoints, e.key
    assert set(RATE_KEYS) == {e.key for e in ENDPOINTS if e.kind == "rate"}
    assert all(k.endswith("_rate") for k in RATE_KEYS)


def test_report_rows_follow_the_registry(endpoints: dict[str, object]) -> None:
    _, rows = endpoint_rows(endpoints)
    assert [r[0] for r in rows[1:]] == [e.label for e in ENDPOINTS]


def test_terminal_table_follows_the_registry(endpoints: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    from lupuscart.cli.trial import print_summary

    print_summary(endpoints, "t")  # type: ignore[arg-type]
    out = capsys.readouterr().out
    for e in ENDPOINTS:
        assert e.label[:20] in out, e.label


def test_unknown_endpoint_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown endpoint"):
        endpoint("cure_rate")
