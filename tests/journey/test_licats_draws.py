"""Issue 10, point 5: LICATS per organ, bounded, with a refractory period and a hazard that fades with time."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from lupuscart.journey._hazards import default_journey_values
from lupuscart.journey._stochastic import draw_licats

DAYS = np.arange(0.0, 365.0)
ORGANS = ("renal", "mucocutaneous", "musculoskeletal")


def _draw(seed: int, car_t: float = 200.0, **values: float) -> list:  # type: ignore[type-arg]
    v = {**default_journey_values(), **values}
    return draw_licats(np.random.default_rng(seed), DAYS, np.full(DAYS.size, car_t), np.ones(DAYS.size), ORGANS, v)


def test_events_per_organ_are_bounded_and_separated_by_the_refractory_period() -> None:
    for seed in range(20):
        events = _draw(seed, licats_hazard_per_car_t_organ=1.0)
        per_organ = Counter(e.organ for e in events)
        assert max(per_organ.values()) <= 2
        for organ in ORGANS:
            mine = sorted((e for e in events if e.organ == organ), key=lambda e: e.onset_day)
            for a, b in itertools.pairwise(mine):
                assert b.onset_day >= a.onset_day + a.duration_days + 21.0 - 1.0


def test_the_hazard_fades_so_events_cluster_early() -> None:
    onsets = [e.onset_day for s in range(200) for e in _draw(s, car_t=5.0)]
    assert onsets
    assert np.median(onsets) < 20
    slow = [e.onset_day for s in range(200) for e in _draw(s, car_t=5.0, licats_hazard_fade_days=200.0)]
    assert np.median(slow) > np.median(onsets)


def test_no_involved_organ_no_licats() -> None:
    v = default_journey_values()
    assert draw_licats(np.random.default_rng(0), DAYS, np.full(DAYS.size, 50.0), np.ones(DAYS.size), (), v) == []
