"""docs/model.md is generated from the definition and must not go stale."""

from __future__ import annotations

from pathlib import Path

from lupuscart.model import build_model, model_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"


def test_model_doc_is_up_to_date() -> None:
    assert DOC.read_text() == model_markdown(build_model()), "run: .venv/bin/python scripts/model_docs.py"


def test_every_state_and_parameter_is_documented() -> None:
    text = model_markdown(build_model())
    for p in build_model().parameters:
        assert f"| {p.name} |" in text
    for s in build_model().states:
        assert f"| {s.name} |" in text
