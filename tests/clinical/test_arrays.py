"""The array forms used by the simulator (sledai2k_table, doris_remission_2021_array) equal the scalar functions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lupuscart.clinical import doris_remission, doris_remission_2021_array, sledai2k, sledai2k_table
from lupuscart.clinical._sledai2k import visit_values
from lupuscart.exceptions import InvalidInputError

from .test_visit_table import FAST, visit


@FAST
@given(visits=st.lists(visit(), min_size=1, max_size=8), window=st.sampled_from([10, 30]))
def test_table_equals_scalar_with_items(visits: list[dict[str, Any]], window: int) -> None:
    try:
        expected = [sledai2k(v, window_days=window) for v in visits]
    except InvalidInputError:
        return
    rows = [visit_values(v) for v in visits]
    names = {k for r in rows for k in r}
    values = {k: np.concatenate([r.get(k, np.full(1, np.nan)) for r in rows]) for k in names}
    table = sledai2k_table(values, len(visits), window_days=window)
    for i, s in enumerate(expected):
        assert (int(table.total[i]), int(table.clinical[i]), table.items(i)) == (s.total, s.clinical, s.items)


def test_table_refuses_contradictions_and_bad_windows() -> None:
    with pytest.raises(InvalidInputError, match="arthritis"):
        sledai2k_table({"arthritis": np.array([0.0]), "arthritis_joints": np.array([4.0])}, 1)
    with pytest.raises(InvalidInputError, match="window_days"):
        sledai2k_table({}, 1, window_days=20)


@given(
    clinical=st.lists(st.integers(0, 20), min_size=1, max_size=10),
    data=st.data(),
)
def test_doris_array_equals_scalar(clinical: list[int], data: st.DataObject) -> None:
    n = len(clinical)
    pga = data.draw(st.lists(st.sampled_from([0.0, 0.49, 0.5, 1.0, 3.0]), min_size=n, max_size=n))
    pred = data.draw(st.lists(st.sampled_from([0.0, 4.9, 5.0, 5.1, 20.0]), min_size=n, max_size=n))
    expected = [
        doris_remission(clinical_sledai=c, pga=g, prednisone_mg_per_day=p)
        for c, g, p in zip(clinical, pga, pred, strict=True)
    ]
    assert doris_remission_2021_array(clinical, pga, pred).tolist() == expected
