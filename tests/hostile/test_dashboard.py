"""The dashboard against crafted requests (issue 12, defect 10): malformed trial folders and callback values
(never an HTTP 500), the results root (no probing of the disk), DNS rebinding (Host header), security headers.

Requests go through Flask's test client as a browser would send them; the Content Security Policy is also
checked in headless Chromium (``tests/app/test_browser.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lupuscart.app import create_app
from lupuscart.app._trial_page import folder_in_root, load_trial_folder
from lupuscart.exceptions import InvalidInputError

from ._cli import assert_refused, lupuscart

HOST = "127.0.0.1:8050"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results root with one good trial folder and several malformed ones."""
    from lupuscart.trial import load_trial_config, run_trial

    base = tmp_path_factory.mktemp("results")
    run_trial(load_trial_config({"patients": 2, "seed": 1, "protocol": {"followup": {"days": 120}}})).write(
        base / "good"
    )
    bad = {
        "not-json": {"endpoints.json": b"{not json", "patients.parquet": b"PAR1"},
        "list-endpoints": {"endpoints.json": b"[1, 2]"},
        "string-arms": {"endpoints.json": b'{"arms": "x"}'},
        "binary-parquet": {"endpoints.json": b"{}", "patients.parquet": bytes(range(256))},
        "empty-files": {"endpoints.json": b"", "patients.parquet": b""},
    }
    for name, files in bad.items():
        (base / name).mkdir()
        for file, data in files.items():
            (base / name / file).write_bytes(data)
        if "patients.parquet" not in files:
            (base / name / "patients.parquet").hardlink_to(base / "good" / "patients.parquet")
    foreign = base / "foreign-table"
    foreign.mkdir()
    (foreign / "endpoints.json").write_text(json.dumps({"arms": {"a": {"crs_any_rate": "high"}}}))
    import pandas as pd

    pd.DataFrame({"x": [1, 2]}).to_parquet(foreign / "patients.parquet")
    wrong_types = base / "wrong-types"
    wrong_types.mkdir()
    (wrong_types / "endpoints.json").write_text(json.dumps({"arms": {"a": {"crs_any_rate": "high", "seed": []}}}))
    pd.DataFrame({"arm": ["a"], "status": [3], "patient_id": ["z"]}).to_parquet(wrong_types / "patients.parquet")
    (base / "escape").symlink_to("/etc")
    return base


@pytest.fixture(scope="module")
def client(root: Path) -> Any:
    return create_app(results_root=root).server.test_client()


def _callback(client: Any, output_prefix: str, values: dict[str, Any], trigger: str) -> tuple[int, Any]:
    """POST a Dash callback request as the browser does, with ``values`` for its inputs and states."""
    layout = client.get("/_dash-dependencies", headers={"Host": HOST}).get_json()
    dep = next(d for d in layout if d["output"].startswith(output_prefix))

    def fill(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [dict(i, value=values.get(f"{i['id']}.{i['property']}")) for i in items]

    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]} for part in dep["output"].strip(".").split("...")
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": fill(dep["inputs"]),
        "state": fill(dep["state"]),
        "changedPropIds": [trigger],
    }
    response = client.post("/_dash-update-component", json=body, headers={"Host": HOST})
    return response.status_code, response.get_json(silent=True)


def _trial_error(client: Any, **values: Any) -> str:
    trigger = "trial-load.n_clicks" if "trial-folder.value" in values else "trial-run.n_clicks"
    status, data = _callback(client, "..trial-error.children", {"trial-load.n_clicks": 1, **values}, trigger)
    assert status == 200, data
    return str(data["response"]["trial-error"]["children"])


# -- malformed trial folders and crafted callback values: a message, never HTTP 500 --------------------------------


def test_a_good_folder_inside_the_root_loads(client: Any) -> None:
    assert _trial_error(client, **{"trial-folder.value": "good"}) == ""


@pytest.mark.parametrize(
    ("folder", "named"),
    [
        ("not-json", "Cannot read the trial results"),
        ("list-endpoints", "not a `lupuscart trial` endpoints object"),
        ("string-arms", "not a `lupuscart trial` endpoints object"),
        ("binary-parquet", "Cannot read the trial results"),
        ("empty-files", "Cannot read the trial results"),
        ("foreign-table", "not in the layout"),
        ("wrong-types", "not in the layout"),
        ("missing", "does not exist"),
    ],
)
def test_malformed_folders_give_a_message(client: Any, folder: str, named: str) -> None:
    assert named in _trial_error(client, **{"trial-folder.value": folder})


@pytest.mark.parametrize(
    "values",
    [
        {"trial-patients.value": "abc"},
        {"trial-patients.value": 1e300},
        {"trial-patients.value": 2.5},
        {"trial-patients.value": [1]},
        {"trial-seed.value": -1},
        {"trial-seed.value": 2**80},
        {"trial-seed.value": {"a": 1}},
        {"trial-arms.value": ["no_such_arm"]},
        {"trial-arms.value": "cd19_1e6_erlangen"},
        {"trial-arms.value": [1, 2]},
        {"trial-folder.value": ["x"], "trial-load.n_clicks": 1},
        {"trial-folder.value": 12},
        {"trial-folder.value": "x" * 100_000},
        {"trial-folder.value": "a\x00b"},
    ],
)
def test_crafted_trial_values_give_a_message(client: Any, values: dict[str, Any]) -> None:
    values = {"trial-arms.value": ["cd19_1e6_erlangen"], "trial-patients.value": 1, **values}
    message = _trial_error(client, **values)
    assert message
    assert len(message) < 600


@pytest.mark.parametrize(
    "values",
    [
        {"patient-dose.value": "abc"},
        {"patient-dose.value": [1]},
        {"patient-profile.value": "nobody"},
        {"patient-profile.value": ["nephritis"]},
        {"patient-regimen.value": None},
        {"patient-window.value": "1e9"},
        {"patient-seed.value": -5},
        {"patient-seed.value": "x"},
        {"patient-management.value": "on"},
    ],
)
def test_crafted_patient_values_give_a_message(client: Any, values: dict[str, Any]) -> None:
    good = {
        "patient-profile.value": "nephritis",
        "patient-dose.value": 1.0,
        "patient-regimen.value": "erlangen",
        "patient-product.value": "cd19",
        "patient-tocilizumab.value": "asco",
        "patient-management.value": ["on"],
        "patient-seed.value": 0,
        "patient-window.value": "365",
    }
    status, data = _callback(client, "..patient-error.children", good | values, "patient-dose.value")
    assert status == 200, data
    assert data["response"]["patient-error"]["children"]


@pytest.mark.parametrize(
    "values",
    [
        {"score-window.value": 7},
        {"score-window.value": "x"},
        {"score-payload.data": "not a dict"},
        {"score-payload.data": {"contents": 5, "filename": "v.csv"}},
        {"score-payload.data": {"contents": "data:text/csv;base64,!!!", "filename": "v.csv"}},
        {"score-payload.data": {"contents": "data:text/csv;base64,LCwsCg==", "filename": "v.csv"}},  # ",,,"
    ],
)
def test_crafted_score_values_give_a_message(client: Any, values: dict[str, Any]) -> None:
    status, data = _callback(
        client, "..score-error.children", {"score-window.value": 10} | values, "score-payload.data"
    )
    assert status == 200, data
    assert data["response"]["score-error"]["children"]


# -- the results root ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", ["/etc", "/", "~", "~/", "..", "../..", "good/../..", "escape", "/tmp", "/nonexistent"]
)
def test_paths_outside_the_root_are_refused_alike(client: Any, root: Path, folder: str) -> None:
    message = _trial_error(client, **{"trial-folder.value": folder})
    if folder in ("~", "~/"):  # not expanded: a folder named "~" inside the root, which does not exist
        assert "does not exist" in message
        return
    assert "must be inside the results root" in message
    assert str(root.resolve()) in message
    assert "does not exist" not in message  # the same answer whether or not the path exists: no probing


def test_absolute_path_inside_the_root_is_accepted(root: Path) -> None:
    assert load_trial_folder(root / "good", root=root).arms == ["cd19_1e6_erlangen"]
    assert folder_in_root(str(root / "good"), root) == (root / "good").resolve()


def test_the_root_must_exist() -> None:
    with pytest.raises(InvalidInputError, match="--results-root"):
        create_app(results_root="/nonexistent-results-root")
    assert_refused(lupuscart("app", "--results-root", "/nonexistent-results-root", "--port", "1"), "--results-root")


# -- DNS rebinding: the Host header ----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1:8050", "localhost:8050", "LOCALHOST", "[::1]:8050", "127.0.0.1"])
def test_loopback_host_names_are_answered(client: Any, host: str) -> None:
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example:8050", "attacker.test", "127.0.0.1.evil.example", "10.0.0.1:8050"])
def test_other_host_names_are_refused(client: Any, host: str) -> None:
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400
        assert b"loopback" in response.data
    assert client.post("/_dash-update-component", json={}, headers={"Host": host}).status_code == 400


def test_host_option_adds_its_address_and_a_wildcard_allows_any(root: Path) -> None:
    named = create_app(results_root=root, host="192.168.1.5").server.test_client()
    assert named.get("/", headers={"Host": "192.168.1.5:8050"}).status_code == 200
    assert named.get("/", headers={"Host": "evil.example"}).status_code == 400
    everywhere = create_app(results_root=root, host="0.0.0.0").server.test_client()
    assert everywhere.get("/", headers={"Host": "my-workstation.lan:8050"}).status_code == 200


# -- security headers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/trial", "/score", "/_dash-layout", "/_dash-dependencies", "/no-such-page"])
def test_security_headers_on_every_response(client: Any, path: str) -> None:
    headers = client.get(path, headers={"Host": HOST}).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'sha256-" in directives["script-src"]  # Dash's inline renderer script, by hash
    assert headers["Referrer-Policy"] == "no-referrer"


def test_inline_scripts_of_the_page_are_exactly_the_hashed_ones(client: Any) -> None:
    import base64
    import hashlib
    import re

    response = client.get("/", headers={"Host": HOST})
    html = response.get_data(as_text=True)
    allowed = set(re.findall(r"'sha256-([^']+)'", response.headers["Content-Security-Policy"]))
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, flags=re.S)
    executable = [body for attrs, body in inline if "application/json" not in attrs]
    assert executable
    for body in executable:
        assert base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() in allowed
