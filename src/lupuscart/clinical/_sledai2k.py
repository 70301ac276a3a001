"""SLEDAI-2K: the 24 descriptors, their weights and lab rules, declared once.

Gladman DD, Ibañez D, Urowitz MB. Systemic lupus erythematosus disease activity index 2000.
J Rheumatol 2002;29:288–91. 30-day window: Touma Z et al. Lupus 2010;19:49–51, doi:10.1177/0961203309346505.

The tables :data:`DESCRIPTORS`, :data:`MEASUREMENT_RULES` and :data:`FIELD_SPECS` are the single declaration
of weights, fields, operators and thresholds. :func:`scored_matrix` evaluates them on numpy arrays; the scalar
:func:`sledai2k` (one visit) and the table scorer :func:`lupuscart.clinical.score_visits` (many visits) both
call it, so the two can never disagree on a threshold.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import check_bool, check_choice, check_count, check_real, fail

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Descriptor:
    """One SLEDAI-2K descriptor: glossary number, canonical name, weight and LLDAS major-organ flag."""

    number: int
    name: str
    weight: int
    major_organ: bool
    serology: bool = False


@dataclass(frozen=True)
class MeasurementRule:
    """A lab or count rule: ``field <op> threshold`` (or ``field <op> reference`` for lab limits)."""

    descriptor: str
    field: str
    op: Callable[[Any, Any], Any]
    symbol: str
    threshold: float | None = None
    reference: str | None = None


@dataclass(frozen=True)
class FieldSpec:
    """Allowed values of a measurement field; the upper bounds catch unit mix-ups (°F, /µL, mg/dL)."""

    name: str
    unit: str
    count: bool = False
    low: float = 0.0
    high: float = math.inf
    low_inclusive: bool = True
    hint: str = ""


#: The 24 descriptors in glossary order (weights 8×8, 6×4, 7×2, 3×1; total 0–105). ``major_organ`` is the
#: LLDAS criterion-1 set: CNS and vasculitis (1–8), renal (11–14), pleurisy/pericarditis (18–19), fever (22).
DESCRIPTORS: tuple[Descriptor, ...] = (
    Descriptor(1, "seizure", 8, True),
    Descriptor(2, "psychosis", 8, True),
    Descriptor(3, "organic_brain_syndrome", 8, True),
    Descriptor(4, "visual_disturbance", 8, True),
    Descriptor(5, "cranial_nerve_disorder", 8, True),
    Descriptor(6, "lupus_headache", 8, True),
    Descriptor(7, "cva", 8, True),
    Descriptor(8, "vasculitis", 8, True),
    Descriptor(9, "arthritis", 4, False),
    Descriptor(10, "myositis", 4, False),
    Descriptor(11, "urinary_casts", 4, True),
    Descriptor(12, "hematuria", 4, True),
    Descriptor(13, "proteinuria", 4, True),
    Descriptor(14, "pyuria", 4, True),
    Descriptor(15, "rash", 2, False),
    Descriptor(16, "alopecia", 2, False),
    Descriptor(17, "mucosal_ulcers", 2, False),
    Descriptor(18, "pleurisy", 2, True),
    Descriptor(19, "pericarditis", 2, True),
    Descriptor(20, "low_complement", 2, False, serology=True),
    Descriptor(21, "increased_dna_binding", 2, False, serology=True),
    Descriptor(22, "fever", 1, True),
    Descriptor(23, "thrombocytopenia", 1, False),
    Descriptor(24, "leukopenia", 1, False),
)
DESCRIPTOR_NAMES: tuple[str, ...] = tuple(d.name for d in DESCRIPTORS)
WEIGHTS: npt.NDArray[np.int64] = np.array([d.weight for d in DESCRIPTORS], dtype=np.int64)
SEROLOGY: BoolArray = np.array([d.serology for d in DESCRIPTORS], dtype=np.bool_)
MAJOR_ORGAN: BoolArray = np.array([d.major_organ for d in DESCRIPTORS], dtype=np.bool_)

#: Lab and count rules (strict inequalities as in the glossary; arthritis is ≥ 2 joints in SLEDAI-2K).
MEASUREMENT_RULES: tuple[MeasurementRule, ...] = (
    MeasurementRule("arthritis", "arthritis_joints", operator.ge, "≥", threshold=2),
    MeasurementRule("hematuria", "hematuria_rbc_per_hpf", operator.gt, ">", threshold=5),
    MeasurementRule("proteinuria", "proteinuria_g_per_24h", operator.gt, ">", threshold=0.5),
    MeasurementRule("pyuria", "pyuria_wbc_per_hpf", operator.gt, ">", threshold=5),
    MeasurementRule("low_complement", "c3_g_per_l", operator.lt, "<", reference="c3_lln_g_per_l"),
    MeasurementRule("low_complement", "c4_g_per_l", operator.lt, "<", reference="c4_lln_g_per_l"),
    MeasurementRule("increased_dna_binding", "anti_dsdna", operator.gt, ">", reference="anti_dsdna_uln"),
    MeasurementRule("fever", "temperature_c", operator.gt, ">", threshold=38.0),
    MeasurementRule("thrombocytopenia", "platelets_10e9_per_l", operator.lt, "<", threshold=100),
    MeasurementRule("leukopenia", "wbc_10e9_per_l", operator.lt, "<", threshold=3.0),
)

_COMPLEMENT_HINT = "; complement is in g/L (divide mg/dL by 100)"
#: Allowed values of every measurement and lab-limit field.
FIELD_SPECS: dict[str, FieldSpec] = {
    s.name: s
    for s in (
        FieldSpec("arthritis_joints", "joints", count=True, high=100),
        FieldSpec("hematuria_rbc_per_hpf", "RBC/hpf"),
        FieldSpec("proteinuria_g_per_24h", "g/24 h", high=50, hint="; proteinuria is in g/24 h, not mg"),
        FieldSpec("pyuria_wbc_per_hpf", "WBC/hpf"),
        FieldSpec("temperature_c", "°C", low=25, high=45, hint="; temperature is in °C, not °F"),
        FieldSpec("platelets_10e9_per_l", "×10⁹/L", high=5000, hint="; platelets are ×10⁹/L, not /µL"),
        FieldSpec("wbc_10e9_per_l", "×10⁹/L", high=500, hint="; WBC is ×10⁹/L, not /µL"),
        FieldSpec("c3_g_per_l", "g/L", high=10, hint=_COMPLEMENT_HINT),
        FieldSpec("c3_lln_g_per_l", "g/L", high=10, low_inclusive=False, hint=_COMPLEMENT_HINT),
        FieldSpec("c4_g_per_l", "g/L", high=10, hint=_COMPLEMENT_HINT),
        FieldSpec("c4_lln_g_per_l", "g/L", high=10, low_inclusive=False, hint=_COMPLEMENT_HINT),
        FieldSpec("anti_dsdna", "lab units"),
        FieldSpec("anti_dsdna_uln", "lab units", low_inclusive=False),
    )
}
#: Lab value field → the lab-limit field it must come with.
REFERENCE_OF: dict[str, str] = {r.field: r.reference for r in MEASUREMENT_RULES if r.reference is not None}
WINDOWS_DAYS: tuple[int, ...] = (10, 30)
NOT_DUE_SUFFIX = "_not_due_to_sle"
DAYS_SINCE_SUFFIX = "_days_since"


@dataclass(frozen=True)
class Sledai2kScore:
    """A SLEDAI-2K score.

    Attributes
    ----------
    total : int
        Sum of the weights of the descriptors that scored, 0–105.
    clinical : int
        ``total`` minus the two serology descriptors (low complement, increased DNA binding); used by DORIS.
    items : tuple of str
        Names of the descriptors that scored, in glossary order.
    window_days : int
        Look-back window the score used (10, or 30 for the validated 30-day variant).
    """

    total: int
    clinical: int
    items: tuple[str, ...]
    window_days: int

    @property
    def serology(self) -> int:
        """Points from low complement and increased DNA binding (0, 2 or 4)."""
        return self.total - self.clinical


@dataclass(frozen=True)
class Conflict:
    """Rows where two inputs about one descriptor contradict each other."""

    field: str
    rows: BoolArray
    message: str


def scored_matrix(values: Mapping[str, FloatArray], n: int, window_days: int) -> tuple[BoolArray, list[Conflict]]:
    """Evaluate the declaration on arrays: which descriptor scores in which visit.

    ``values`` maps field names to float arrays of length ``n`` where NaN means *not recorded*: descriptor
    booleans as 1.0/0.0, measurement fields in their units, ``<descriptor>_not_due_to_sle`` as 1.0/0.0 and
    ``<descriptor>_days_since`` in days. Absent keys are all-missing. A descriptor is *present at the visit*
    when its boolean is 1 or any of its measurement rules fires (a comparison with NaN never fires); it
    *scores* when present at the visit or last present at most ``window_days`` days ago, and is not
    attributed to another cause. Returns the ``(n, 24)`` boolean matrix and the contradictions found.
    """
    missing = np.full(n, np.nan)
    fires: dict[str, BoolArray] = {d.name: np.zeros(n, dtype=np.bool_) for d in DESCRIPTORS}
    with np.errstate(invalid="ignore"):
        for rule in MEASUREMENT_RULES:
            x = values.get(rule.field, missing)
            limit = rule.threshold if rule.reference is None else values.get(rule.reference, missing)
            fires[rule.descriptor] = fires[rule.descriptor] | np.asarray(rule.op(x, limit), dtype=np.bool_)
    out = np.zeros((n, len(DESCRIPTORS)), dtype=np.bool_)
    conflicts: list[Conflict] = []
    for j, d in enumerate(DESCRIPTORS):
        flag = values.get(d.name, missing)
        at_visit = (flag == 1.0) | fires[d.name]
        contradicted = (flag == 0.0) & fires[d.name]
        if contradicted.any():
            conflicts.append(
                Conflict(d.name, contradicted, f"{d.name}=False contradicts a measurement that meets its rule")
            )
        since = values.get(d.name + DAYS_SINCE_SUFFIX, missing)
        late = at_visit & (since > 0)
        if late.any():
            conflicts.append(
                Conflict(
                    d.name + DAYS_SINCE_SUFFIX,
                    late,
                    f"{d.name} is present at the visit, so days since last present must be 0",
                )
            )
        excluded = values.get(d.name + NOT_DUE_SUFFIX, missing) == 1.0
        out[:, j] = (at_visit | (since <= window_days)) & ~excluded
    return out, conflicts


def totals(scored: BoolArray) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Total and clinical SLEDAI-2K of each row of a scored matrix."""
    total = scored.astype(np.int64) @ WEIGHTS
    clinical = (scored & ~SEROLOGY).astype(np.int64) @ WEIGHTS
    return total, clinical


@dataclass(frozen=True)
class Sledai2kTable:
    """SLEDAI-2K of many visits at once: which descriptor scored in which visit, and the totals."""

    scored: BoolArray
    total: npt.NDArray[np.int64]
    clinical: npt.NDArray[np.int64]
    window_days: int

    def items(self, row: int) -> tuple[str, ...]:
        """Names of the descriptors that scored in visit ``row``, in glossary order."""
        return tuple(name for name, hit in zip(DESCRIPTOR_NAMES, self.scored[row], strict=True) if hit)


def sledai2k_table(values: Mapping[str, FloatArray], n: int, *, window_days: int = 10) -> Sledai2kTable:
    """SLEDAI-2K of ``n`` visits given as arrays (the declaration-driven core of :func:`sledai2k`, vectorised).

    ``values`` maps the :func:`sledai2k` field names (and ``<descriptor>_not_due_to_sle``,
    ``<descriptor>_days_since``) to float arrays of length ``n``; NaN means *not recorded*, descriptor booleans
    are 1.0/0.0. Values are not range-checked here (use :func:`sledai2k` or ``score_visits`` for user data); a
    contradiction between inputs raises :class:`~lupuscart.exceptions.InvalidInputError`.

    Examples
    --------
    >>> import numpy as np
    >>> t = sledai2k_table({"arthritis_joints": np.array([2.0, 1.0]), "rash": np.array([1.0, 0.0])}, 2)
    >>> t.total.tolist(), t.items(0)
    ([6, 0], ('arthritis', 'rash'))
    """
    scored, conflicts = scored_matrix(values, n, _check_window(window_days))
    if conflicts:
        raise fail(conflicts[0].field, "consistent with the other inputs", conflicts[0].message)
    total, clinical = totals(scored)
    return Sledai2kTable(scored, total, clinical, int(window_days))


def sledai2k(visit: Mapping[str, Any] | None = None, /, *, window_days: int = 10, **fields: Any) -> Sledai2kScore:
    """SLEDAI-2K disease activity score of one visit (Gladman 2002).

    A descriptor scores (with its fixed weight, once, whatever its severity) when it is present at the visit
    or was present within the previous ``window_days`` days, and it is attributable to SLE. Total 0–105;
    the clinical SLEDAI-2K drops the two serology items.

    Parameters
    ----------
    visit : mapping, optional
        Field name → value; the same fields may be given as keywords (a field given both ways is an error).
    window_days : {10, 30}
        Look-back window: 10 days (Gladman 2002) or the validated 30-day variant (Touma 2010).
    **fields
        Descriptor booleans by canonical name (``rash=True``; ``None`` = not recorded) and/or measurements:
        ``arthritis_joints`` (count, scores at ≥ 2), ``hematuria_rbc_per_hpf`` (> 5),
        ``proteinuria_g_per_24h`` (> 0.5 g/24 h), ``pyuria_wbc_per_hpf`` (> 5), ``temperature_c``
        (> 38.0 °C), ``platelets_10e9_per_l`` (< 100), ``wbc_10e9_per_l`` (< 3.0), ``c3_g_per_l`` with
        ``c3_lln_g_per_l`` and ``c4_g_per_l`` with ``c4_lln_g_per_l`` (below the lab LLN), ``anti_dsdna``
        with ``anti_dsdna_uln`` (above the lab ULN). Also ``not_due_to_sle`` (iterable of descriptor names
        with another cause: drug, infection, CRS, menses, stone…; these never score) and ``days_since``
        (descriptor name → days since last present, 0 = at the visit).

    Returns
    -------
    Sledai2kScore

    Raises
    ------
    InvalidInputError
        Unknown field or descriptor name, wrong type, NaN, negative count, value outside the plausible range
        of its unit, a lab value without its lab limit, or contradictory inputs (``arthritis=False`` with
        ``arthritis_joints=4``; a finding present at the visit with ``days_since`` > 0).

    Notes
    -----
    Boundaries (each tested on both sides): thresholds are strict as in the glossary (haematuria 5 RBC/hpf
    does not score, 6 does; fever 38.0 °C does not, 38.1 does; platelets 100 do not, 99.9 do); arthritis
    scores at exactly 2 joints (SLEDAI-2K "≥ 2 joints", not the original SLEDAI's "more than 2"); a finding
    last present exactly ``window_days`` days ago still scores ("at the visit or in the preceding 10 days").
    A measurement and a boolean for the same descriptor combine by *or*. Missing (``None``) never scores.
    Proteinuria is by 24-h collection only; a UPCR equivalence is not part of the 2K glossary.

    References
    ----------
    Gladman DD et al. J Rheumatol 2002;29:288–91. Touma Z et al. Lupus 2010;19:49–51,
    doi:10.1177/0961203309346505.

    Examples
    --------
    >>> s = sledai2k(arthritis_joints=2, rash=True, c3_g_per_l=0.7, c3_lln_g_per_l=0.9)
    >>> s.total, s.clinical, s.items
    (8, 6, ('arthritis', 'rash', 'low_complement'))
    >>> sledai2k(temperature_c=38.6, not_due_to_sle=["fever"]).total
    0
    """
    window = _check_window(window_days)
    merged = _merge(visit, fields)
    values = visit_values(merged)
    scored, conflicts = scored_matrix(values, 1, window)
    if conflicts:
        raise fail(conflicts[0].field, "consistent with the other inputs", conflicts[0].message)
    return score_from_row(scored[0], window)


def score_from_row(row: BoolArray, window_days: int) -> Sledai2kScore:
    """Build a :class:`Sledai2kScore` from one row of the scored matrix."""
    total, clinical = totals(row[np.newaxis, :])
    items = tuple(name for name, hit in zip(DESCRIPTOR_NAMES, row, strict=True) if hit)
    return Sledai2kScore(int(total[0]), int(clinical[0]), items, window_days)


def _check_window(window_days: object) -> int:
    if isinstance(window_days, bool) or window_days not in WINDOWS_DAYS:
        raise fail("window_days", f"one of {list(WINDOWS_DAYS)}", window_days)
    return int(window_days)


def _merge(visit: Mapping[str, Any] | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    if visit is None:
        return dict(fields)
    if not isinstance(visit, Mapping):
        raise fail("visit", "a mapping of field names to values", visit)
    both = sorted(set(visit) & set(fields))
    if both:
        raise fail(both[0], "given once (in the visit mapping or as a keyword, not both)", fields[both[0]])
    return {**visit, **fields}


def visit_values(visit: Mapping[str, Any]) -> dict[str, FloatArray]:
    """Validate one visit mapping and turn it into the length-1 arrays :func:`scored_matrix` reads."""
    values: dict[str, FloatArray] = {}
    for key, value in visit.items():
        if key == "not_due_to_sle":
            for name in _names(key, value):
                values[name + NOT_DUE_SUFFIX] = np.ones(1)
        elif key == "days_since":
            if not isinstance(value, Mapping):
                raise fail(key, "a mapping of descriptor name to days", value)
            for name, days in value.items():
                check_choice("days_since key", name, DESCRIPTOR_NAMES)
                d = check_real(f"days_since[{name!r}]", days, low=0, unit="days")
                values[name + DAYS_SINCE_SUFFIX] = np.array([d])
        elif key in DESCRIPTOR_NAMES:
            if value is not None:
                values[key] = np.array([1.0 if check_bool(key, value) else 0.0])
        elif key in FIELD_SPECS:
            if value is not None:
                values[key] = np.array([check_field(key, value)])
        else:
            raise fail(
                "visit field name",
                f"a SLEDAI-2K descriptor {list(DESCRIPTOR_NAMES)}, a measurement {list(FIELD_SPECS)}, "
                "'not_due_to_sle' or 'days_since'",
                key,
            )
    for field, reference in REFERENCE_OF.items():
        if field in values and reference not in values:
            raise fail(reference, f"given together with {field!r} (the lab's limit)", None)
    return values


def check_field(name: str, value: object) -> float:
    """Validate one measurement value against :data:`FIELD_SPECS`."""
    spec = FIELD_SPECS[name]
    if spec.count:
        return float(check_count(name, value, high=int(spec.high)))
    return check_real(
        name,
        value,
        low=spec.low,
        high=spec.high,
        low_inclusive=spec.low_inclusive,
        unit=spec.unit,
        hint=spec.hint,
    )


def _names(field: str, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise fail(field, f"an iterable of descriptor names from {list(DESCRIPTOR_NAMES)}", value)
    return [check_choice(field, name, DESCRIPTOR_NAMES) for name in value]
