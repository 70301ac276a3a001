"""The dashboard without a browser: figures, upload decoding and limits, routing, loopback-only serving."""

from __future__ import annotations

import base64
import re
import socket
from pathlib import Path

import pytest

from lupuscart.app import create_app
from lupuscart.app._patient_figures import PANELS, journey_phases, timecourse_figures, timeline_figure
from lupuscart.app._patient_page import simulate_cached, summary_children
from lupuscart.app._score_page import MAX_UPLOAD_BYTES, decode_upload, score_text
from lupuscart.app._server import check_port_free
from lupuscart.exceptions import InvalidInputError


def _data_url(raw: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(raw).decode()


def test_every_panel_has_a_trace_and_the_journey_is_in_order() -> None:
    result = simulate_cached("nephritis", 1.0, "erlangen", "cd19", "asco", True, 0)
    figs = timecourse_figures(result, last_day=120)
    assert set(figs) == {p[0] for p in PANELS}
    assert all(len(f.data) >= 1 for f in figs.values())
    starts = [start for _, start, _ in journey_phases(result)]
    assert starts == sorted(starts)
    assert starts[0] < 0  # washout and manufacturing precede the infusion
    assert len(timeline_figure(result).data) >= 5
    assert any("CAR T peak" in str(c) for c in summary_children(result))


def test_higher_dose_gives_a_higher_car_t_peak() -> None:
    low = simulate_cached("nephritis", 0.5, "erlangen", "cd19", "asco", True, 0)
    high = simulate_cached("nephritis", 5.0, "erlangen", "cd19", "asco", True, 0)
    assert high.summary.car_t_peak_per_ul > low.summary.car_t_peak_per_ul


def test_out_of_range_dose_is_refused_with_the_field_named() -> None:
    with pytest.raises(InvalidInputError, match=r"product\.dose_per_kg"):
        simulate_cached("nephritis", 5000.0, "erlangen", "cd19", "asco", True, 0)


def test_upload_is_decoded_and_scored() -> None:
    text = decode_upload(_data_url(b"\xef\xbb\xbfpatient_id,day,rash\np1,0,yes\n"), "v.csv")
    assert score_text(text)["sledai2k"].tolist() == [2]


def test_upload_over_the_limit_is_refused_on_the_server() -> None:
    raw = b"x" * (MAX_UPLOAD_BYTES + 1)
    with pytest.raises(InvalidInputError, match="limited to 5 MB"):
        decode_upload(_data_url(raw), "big.csv")
    assert decode_upload(_data_url(b"x" * MAX_UPLOAD_BYTES), "ok.csv") == "x" * MAX_UPLOAD_BYTES


@pytest.mark.parametrize(
    ("contents", "message"),
    [("no comma here", "not a file"), ("data:text/csv;base64,@@@", "could not be decoded")],
)
def test_bad_upload_payloads_are_named(contents: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        decode_upload(contents, "f.csv")


def test_non_utf8_upload_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="UTF-8"):
        decode_upload(_data_url(b"patient_id\n\xff\xfe\n"), "latin.csv")


def test_malformed_csv_gives_the_scorers_message() -> None:
    with pytest.raises(InvalidInputError, match="not_a_column"):
        score_text("patient_id,day,not_a_column\np1,0,1\n")


def test_pages_load_only_local_resources() -> None:
    client = create_app().server.test_client()
    for path in ("/", "/trial", "/score"):
        html = client.get(path).get_data(as_text=True)
        urls = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
        assert urls, "expected Dash's scripts"
        assert all(u.startswith("/") for u in urls), urls
        assert "unpkg.com" not in html
        assert "cdn.plot.ly" not in html
        assert '"disable_version_check": true' in html.replace(
            '"disable_version_check":true', '"disable_version_check": true'
        )


def test_oversized_request_bodies_are_refused_by_the_server() -> None:
    client = create_app().server.test_client()
    body = b"x" * (17 * 1024 * 1024)
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


def test_busy_port_is_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(InvalidInputError, match=f"port {port} .* already in use"):
            check_port_free("127.0.0.1", port)


def test_trial_folder_written_by_the_cli_layout_loads_and_draws(tmp_path: Path) -> None:
    from lupuscart.app._trial_figures import forest_figure, km_figure
    from lupuscart.app._trial_page import endpoint_table, load_trial_folder, run_small_trial
    from lupuscart.trial import load_trial_config, run_trial

    config = load_trial_config({"patients": 3, "seed": 5, "arms": {"a": {}, "b": {"product": {"dose_per_kg": 1e5}}}})
    run_trial(config).write(tmp_path)
    tables = load_trial_folder(tmp_path)
    assert tables.arms == ["a", "b"]
    assert len(km_figure(tables.patients, tables.visits, tables.arms).data) >= 4
    assert {t.name for t in forest_figure(tables.endpoints).data} == {"a", "b"}
    assert "[" in str(endpoint_table(tables.endpoints))
    ran = run_small_trial(["cd19_1e6_erlangen"], 3, 5)
    assert ran.endpoints["patients"] == 3


@pytest.mark.parametrize(
    ("arms", "patients", "message"),
    [
        ([], 5, "at least one arm"),
        (["cd19_1e6_erlangen"], 0, "between 1 and 100"),
        (["cd19_1e6_erlangen"], 101, "lupuscart trial --out"),
    ],
)
def test_trial_run_limits_are_named(arms: list[str], patients: int, message: str) -> None:
    from lupuscart.app._trial_page import run_small_trial

    with pytest.raises(InvalidInputError, match=message):
        run_small_trial(arms, patients, 0)


def test_trial_folder_without_results_is_named(tmp_path: Path) -> None:
    from lupuscart.app._trial_page import load_trial_folder

    with pytest.raises(InvalidInputError, match=r"lacks endpoints\.json, patients\.parquet"):
        load_trial_folder(tmp_path)


def test_patient_figures_gap_below_the_log_floor_step_sledai_label_events_and_show_anc() -> None:
    import numpy as np

    from lupuscart.app._patient_figures import EVENT_MARKERS, LOG_FLOOR

    result = simulate_cached("nephritis", 1.0, "erlangen", "cd19", "asco", True, 0)
    figs = timecourse_figures(result, last_day=365)
    b = figs["b-cells"].data[0]
    y = np.asarray(b.y, dtype=float)
    assert np.isnan(y).any()  # aplasia is a gap ...
    assert not np.any(y == LOG_FLOOR)  # ... not a flat line at the floor
    observed = np.asarray(result.observables["b_cells_per_ul"])[result.days <= 365]
    np.testing.assert_array_equal(y[~np.isnan(y)], observed[~np.isnan(y)])
    assert figs["sledai"].data[0].line.shape == "hv"
    assert figs["anc"].data[0].meta == {"observable": "anc_10e9_l"}
    assert figs["proteinuria"].data[0].meta == {"observable": "proteinuria_g_24h"}
    timeline = timeline_figure(result)
    named = {t.name for t in timeline.data if t.showlegend}
    kinds = {e.kind for e in result.events if e.kind in EVENT_MARKERS}
    assert {EVENT_MARKERS[k][0] for k in kinds} <= named  # every event marker has a legend entry
    assert "CAR T infusion" in named
