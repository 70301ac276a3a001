"""Property-based fuzzing of the configuration reader (hypothesis): whatever the file holds, the reader returns a
validated configuration or raises :class:`InvalidConfigError` with one short paragraph, never anything else."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lupuscart._yaml import load_yaml
from lupuscart.exceptions import InvalidConfigError
from lupuscart.journey import load_config
from lupuscart.trial import load_trial_config

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Longest message a refusal may print (one paragraph: ten listed fields with short excerpts).
SHORT = 3000

GOOD = """\
name: fuzz
patients: 20
seed: 3
protocol:
  product: {dose_per_kg: 1e6}
  followup: {days: 400}
  model_parameters: {car_kill_per_cell_day: 2.5}
arms:
  low: {product: {dose_per_kg: 1.0e5}}
  high: {lymphodepletion: {regimen: low_intensity}}
small_trial: {sizes: [5, 15], draws: 100}
"""

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=30,
)


def _refusal_is_short(exc: InvalidConfigError) -> None:
    message = str(exc)
    assert len(message) <= SHORT, message[:200]
    assert "Traceback" not in message


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_is_a_config_or_a_short_refusal(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    for load in (load_config, load_trial_config):
        try:
            load(path)
        except InvalidConfigError as exc:
            _refusal_is_short(exc)


@FUZZ
@given(data=st.data())
def test_a_mutated_good_file_is_a_config_or_a_short_refusal(tmp_path: Path, data: st.DataObject) -> None:
    text = GOOD
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 5))
        insert = data.draw(st.sampled_from(["", ":", "-", "[", "{", "&a ", "*a", "\n", "  ", "'", "1e", "~", "x: 1\n"]))
        text = text[:at] + insert + text[at + cut :]
    try:
        cfg = load_trial_config(_write(tmp_path, text))
    except InvalidConfigError as exc:
        _refusal_is_short(exc)
        return
    for arm in cfg.arms:  # what was accepted is what runs: every arm's merged protocol is a valid simulation
        load_config(cfg.arm_config(arm) | {"patient": {}})


@FUZZ
@given(doc=documents)
def test_json_documents_read_as_json(doc: Any) -> None:
    """YAML 1.2 is a superset of JSON: a JSON document reads as the same values (no YAML 1.1 surprises)."""
    assert load_yaml(json.dumps(doc), "fuzz") == doc
    raw = json.dumps(doc, ensure_ascii=False)
    # Raw, YAML text may hold neither control characters nor (PyYAML reads YAML 1.1 line breaks) NEL, LS, PS.
    if not yaml.reader.Reader.NON_PRINTABLE.search(raw) and not any(c in raw for c in "\x85\u2028\u2029"):
        assert load_yaml(raw, "fuzz") == doc


def test_a_lone_surrogate_escape_is_refused() -> None:
    with pytest.raises(InvalidConfigError, match="lone surrogate"):
        load_yaml('name: "\\ud800x"', "fuzz")


@FUZZ
@given(x=st.floats(allow_nan=False))
def test_every_float_spelling_is_a_float(x: float) -> None:
    spellings = [repr(x), f"{x:e}", f"{x:E}"] if math.isfinite(x) else [".inf" if x > 0 else "-.inf"]
    for text in spellings:
        value = load_yaml(f"v: {text}", "fuzz")["v"]
        assert isinstance(value, float)
        assert value == float(text.replace(".inf", "inf"))


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(["patients", "seed", "name", "engine", "small_trial", "arms"]), documents))
def test_any_values_in_known_fields_are_validated(tmp_path: Path, doc: dict[str, Any]) -> None:
    message = ""
    try:
        load_trial_config(_write(tmp_path, json.dumps(doc)))
    except InvalidConfigError as exc:
        _refusal_is_short(exc)
        message = str(exc)
    assert not message or any(k in message for k in doc), message[:300]


@FUZZ
@given(key=st.text(min_size=1, max_size=8), first=scalars, second=scalars)
def test_a_repeated_key_is_always_refused(key: str, first: object, second: object) -> None:
    text = f"{json.dumps(key)}: {json.dumps(first)}\nother: 1\n{json.dumps(key)}: {json.dumps(second)}\n"
    assume(key != "other")
    with pytest.raises(InvalidConfigError, match="duplicate key"):
        load_yaml(text, "fuzz")


@FUZZ
@given(depth=st.integers(1, 200), width=st.integers(1, 12))
def test_alias_chains_are_bounded(depth: int, width: int) -> None:
    lines = ["a0: &a0 [1]"] + [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * width)}]" for k in range(1, depth)]
    try:
        data, message = load_yaml("\n".join(lines), "fuzz"), ""
    except InvalidConfigError as exc:
        data, message = None, str(exc)
    if message:
        assert "alias" in message or "levels deep" in message
        return
    assert width**depth <= 10**6  # it loaded: it was small
    assert yaml.safe_dump(data) is not None
