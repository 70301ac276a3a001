"""End-to-end: the dashboard driven in Debian's headless Chromium (Playwright, sync API).

Waits use locators and ``expect``, never ``wait_for_function`` (Playwright evaluates its string in the page, which
the dashboard's Content Security Policy, rightly, refuses). Each page must render its figures and respond to a
changed input; the Score page must show the scorer's own
error for a malformed CSV and refuse an oversized one; every request the browser makes must stay on loopback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

_PLOTS = ".js-plotly-plot"


def _only_local(page: Any, base: str) -> None:
    outside = [u for u in page.lupuscart_requests if not (u.startswith(base) or u.startswith(("data:", "blob:")))]
    assert outside == [], f"the dashboard contacted other hosts: {outside}"


def test_patient_page_renders_and_responds_to_dose(page: Any, dash_url: str) -> None:
    page.goto(dash_url + "/")
    peak = page.locator("#patient-value-car-t-peak")
    peak.wait_for()
    assert page.locator(_PLOTS).count() == 10  # timeline + 9 time-course panels
    page.locator("#patient-graph-car-t .scatterlayer .trace").first.wait_for(state="attached")
    before = peak.inner_text()

    page.fill("#patient-dose", "5")
    page.press("#patient-dose", "Enter")
    expect(peak).not_to_have_text(before)
    after = peak.inner_text()
    assert float(after.split()[0]) > float(before.split()[0])  # five times the dose: a higher peak
    _only_local(page, dash_url)


def test_patient_page_shows_invalid_dose_message(page: Any, dash_url: str) -> None:
    page.goto(dash_url + "/")
    page.locator("#patient-value-car-t-peak").wait_for()
    page.fill("#patient-dose", "5000")  # above the configuration's 1e9 cells/kg limit
    page.press("#patient-dose", "Enter")
    page.locator("#patient-error", has_text="product.dose_per_kg").wait_for()


def test_score_page_scores_a_good_csv_and_offers_download(page: Any, dash_url: str, tmp_path: Path) -> None:
    good = tmp_path / "visits.csv"
    good.write_text("patient_id,day,rash,temperature_c\np1,0,yes,38.5\np1,30,no,36.8\n", encoding="utf-8")
    page.goto(dash_url + "/score")
    page.set_input_files("#score-upload input[type=file]", str(good))
    page.locator("#score-table").wait_for()
    assert "Scored 2 visits from visits.csv" in page.inner_text("#score-status")
    header = page.locator("#score-table th").all_inner_texts()
    assert "sledai2k" in header
    first = page.locator("#score-table tbody tr").first.locator("td").all_inner_texts()
    assert first[header.index("sledai2k")] == "3"  # rash 2 + fever 1
    with page.expect_download() as info:
        page.click("#score-download-button")
    saved = tmp_path / "scored.csv"
    info.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").splitlines()[0].endswith(",sledai2k,clinical_sledai2k")
    _only_local(page, dash_url)


def test_score_page_shows_the_scorers_error_for_a_malformed_csv(page: Any, dash_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("patient_id,day,rash,not_a_column\np1,0,maybe,1\n", encoding="utf-8")
    page.goto(dash_url + "/score")
    page.set_input_files("#score-upload input[type=file]", str(bad))
    error = page.locator("#score-error")
    error.filter(has_text="not_a_column").wait_for()
    assert page.locator("#score-table").count() == 0


def test_score_page_refuses_an_oversized_upload(page: Any, dash_url: str, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    row = "p1,0,yes,38.5\n"
    big.write_text("patient_id,day,rash,temperature_c\n" + row * (6 * 1024 * 1024 // len(row)), encoding="utf-8")
    page.goto(dash_url + "/score")
    page.set_input_files("#score-upload input[type=file]", str(big))
    page.locator("#score-client-error", has_text="limited to 5 MB").wait_for()
    assert page.locator("#score-table").count() == 0


def test_navigation_between_pages(page: Any, dash_url: str) -> None:
    page.goto(dash_url + "/")
    page.locator("#patient-value-car-t-peak").wait_for()
    page.click("#nav-score")
    page.locator("#score-upload").wait_for()
    page.click("#nav-patient")
    page.locator("#patient-value-car-t-peak").wait_for()


def test_trial_page_runs_a_tiny_trial_and_responds_to_the_arms(page: Any, dash_url: str) -> None:
    page.goto(dash_url + "/trial")
    page.fill("#trial-patients", "5")  # two arms x 5 patients: a 10-patient trial, a few seconds
    page.click("#trial-run")
    table = page.locator("#trial-endpoint-table")
    table.wait_for(timeout=120_000)
    header = table.locator("th").all_inner_texts()
    assert header == ["Endpoint", "cd19_1e6_erlangen", "cd19_1e6_low_intensity"]
    assert "DORIS remission, month 3" in table.inner_text()
    assert "[" in table.inner_text()  # intervals shown
    page.locator("#trial-km .scatterlayer .trace").first.wait_for(state="attached")
    assert page.locator(f"#trial-km {_PLOTS}, #trial-forest {_PLOTS}").count() == 2

    page.locator("#trial-arms input[type=checkbox]").nth(0).uncheck()  # keep only the low-intensity arm
    page.click("#trial-run")
    expect(table.locator("th")).to_have_count(2, timeout=120_000)
    assert table.locator("th").all_inner_texts() == ["Endpoint", "cd19_1e6_low_intensity"]
    _only_local(page, dash_url)


def test_trial_page_names_a_missing_folder(page: Any, dash_url: str, tmp_path: Path) -> None:
    page.goto(dash_url + "/trial")
    page.fill("#trial-folder", "nowhere")  # inside the results root (the server's working directory)
    page.click("#trial-load")
    page.locator("#trial-error", has_text="does not exist").wait_for()


def test_trial_page_refuses_a_folder_outside_the_results_root(page: Any, dash_url: str, tmp_path: Path) -> None:
    page.goto(dash_url + "/trial")
    page.fill("#trial-folder", str(tmp_path))
    page.click("#trial-load")
    page.locator("#trial-error", has_text="must be inside the results root").wait_for()


@pytest.mark.parametrize("path", ["/", "/trial", "/score"])
def test_pages_run_under_the_content_security_policy(page: Any, dash_url: str, path: str) -> None:
    """Every page renders with the restrictive CSP in force and the browser reports no violation."""
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(dash_url + path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-eval'" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    page.locator("#page-content > *").first.wait_for()
    if path == "/":
        page.locator("#patient-graph-car-t .scatterlayer .trace").first.wait_for(state="attached")
    if path == "/score":
        page.click("#score-example")  # a server callback and the clientside size check both run
        page.locator("#score-table").wait_for()
    page.wait_for_timeout(300)
    assert violations == []


# Rendered geometry: every plotted trace is a `g.trace` whose d3 datum is plotly's calcdata (`__data__[0].trace`
# is the full trace with its `meta`/`customdata` and axis ids); points are `path.point` with translate(px, py)
# in plot-area pixels, and a line is the `path.js-line` polyline. Axis `p2l` turns pixels back into data values,
# so these read what is drawn, not what was sent.
_RENDERED = """
graph => {
  const gd = document.querySelector(graph + ' .js-plotly-plot');
  const full = gd._fullLayout;
  const axis = id => full[id.replace('x', 'xaxis').replace('y', 'yaxis')];
  const nums = s => (s.match(/-?[0-9.]+(e-?[0-9]+)?/g) || []).map(Number);
  return Array.from(gd.querySelectorAll('g.trace.scatter')).map(el => {
    const t = el.__data__[0].trace;
    const xa = axis(t.xaxis), ya = axis(t.yaxis);
    const points = Array.from(el.querySelectorAll('path.point')).map(p => {
      const [px, py] = nums(p.getAttribute('transform'));
      return [xa.p2l(px), ya.p2l(py)];
    });
    const lines = Array.from(el.querySelectorAll('path.js-line')).map(p => {
      const v = nums(p.getAttribute('d'));
      const out = [];
      for (let i = 0; i + 1 < v.length; i += 2) out.push([xa.p2l(v[i]), ya.p2l(v[i + 1])]);
      return out;
    });
    return {meta: t.meta || null, customdata: t.customdata || null, points, lines};
  });
}
"""


def _table(page: Any) -> dict[str, dict[str, str]]:
    header = page.locator("#trial-endpoint-table th").all_inner_texts()
    rows = {}
    for row in page.locator("#trial-endpoint-table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return rows


def _leading_number(cell: str) -> float:
    return float(cell.split()[0])


def test_trial_figures_plot_the_values_of_the_endpoint_table(page: Any, dash_url: str) -> None:
    """The forest plot's markers sit at the table's rates (no offset along the value axis), and the KM curves
    pass through the table's Kaplan–Meier estimates (drug-free remission by month 12, median B-cell recovery)."""
    from lupuscart.trial import endpoint

    page.goto(dash_url + "/trial")
    page.fill("#trial-patients", "8")
    page.click("#trial-run")
    page.locator("#trial-endpoint-table").wait_for(timeout=180_000)
    page.locator("#trial-forest g.trace.scatter path.point").first.wait_for(state="attached")
    page.locator("#trial-km g.trace.scatter").first.wait_for(state="attached")
    table = _table(page)

    forest = page.evaluate(_RENDERED, "#trial-forest")
    checked = 0
    for trace in forest:
        arm = trace["meta"]["arm"]
        for key, (x, _y) in zip(trace["customdata"], trace["points"], strict=True):
            shown = _leading_number(table[endpoint(key).label][arm])  # "62.5 % [30.6, 86.3]" -> 62.5
            assert x == pytest.approx(shown, abs=0.051), (arm, key)  # the table rounds to 0.1 %
            checked += 1
    assert checked >= 8

    km = page.evaluate(_RENDERED, "#trial-km")
    for arm in ("cd19_1e6_erlangen", "cd19_1e6_low_intensity"):
        visits = next(t for t in km if t["meta"] == {"curve": "drug_free_remission", "arm": arm, "part": "visits"})
        at_365 = [y for x, y in visits["points"] if x == pytest.approx(365, abs=0.5)]
        cell = table[endpoint("drug_free_remission_reached_by_month12").label][arm]
        assert at_365, arm
        assert 100 * at_365[0] == pytest.approx(_leading_number(cell), abs=0.051), arm

        line = next(t for t in km if t["meta"] == {"curve": "b_cell_recovery", "arm": arm, "part": "estimate"})
        vertices = line["lines"][0]
        crossing = next((x for x, y in vertices if y >= 0.5 - 1e-9), None)
        median = table[endpoint("b_cell_recovery_km_median_day").label][arm]
        if median == "—":
            assert crossing is None
        else:
            assert crossing == pytest.approx(_leading_number(median), abs=0.5), arm
        assert max(x for x, _ in vertices) >= 365  # drawn to the end of follow-up, not to the last event
