"""Regenerate docs/model.md from the model definition (tests fail when it is stale)."""

from __future__ import annotations

from pathlib import Path

from lupuscart.model import build_model, model_markdown

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "model.md"
    definition = build_model()
    definition.check_units()
    target.write_text(model_markdown(definition))
    print(f"wrote {target}")
