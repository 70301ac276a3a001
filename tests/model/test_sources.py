"""Every citation resolves: each source key used by a parameter, an IIV row or a calibration target is either a
reference with a DOI listed in the shipped docs/model-sources.md, or a shipped document."""

from __future__ import annotations

from pathlib import Path

from lupuscart.model import DOCUMENTS, REFERENCES, default_model
from lupuscart.population._variability import DEFAULT_IIV

ROOT = Path(__file__).resolve().parents[2]


def _used_keys() -> set[str]:
    keys = {p.source for p in default_model().definition.parameters}
    keys |= {v.source for v in DEFAULT_IIV}
    return keys


def test_every_source_key_resolves_to_a_reference_with_doi_or_a_shipped_document() -> None:
    unresolved = []
    for key in sorted(_used_keys()):
        if key in DOCUMENTS:
            if not (ROOT / DOCUMENTS[key]).is_file():
                unresolved.append(f"{key}: document {DOCUMENTS[key]} is not shipped")
        elif key not in REFERENCES:
            unresolved.append(f"{key}: not in REFERENCES")
        elif not REFERENCES[key].doi:
            unresolved.append(f"{key}: reference has no DOI")
    assert unresolved == []


def test_model_sources_document_lists_every_reference_with_its_doi() -> None:
    text = (ROOT / "docs" / "model-sources.md").read_text(encoding="utf-8")
    assert "## A. Core model" in text
    assert "## B. What the product needs beyond the core" in text
    assert "## C. Sources" in text
    for key, ref in REFERENCES.items():
        assert f"**{key}**" in text, key
        if ref.doi:
            assert ref.doi in text, key


def test_the_modelmd_reference_points_to_the_shipped_document() -> None:
    assert "docs/model-sources.md" in REFERENCES["modelmd"].citation
    assert DOCUMENTS["modelmd"] == "docs/model-sources.md"
