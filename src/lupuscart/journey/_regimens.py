"""Named lymphodepletion regimens and CAR T products (configuration, not code paths).

``erlangen``: fludarabine 25 mg/m²/day on days −5, −4, −3 and cyclophosphamide 1000 mg/m² on day −3, the assumed
schedule of the Erlangen SLE studies (Mackensen 2022, Müller 2024; the centre reports "Cy 1 g/m², Flu 75 mg",
clinical-instruments.md D7.3, tag P). ``low_intensity``: fludarabine 25 mg/m²/day and cyclophosphamide
250 mg/m²/day on days −5..−3, as in other autoimmune CAR T trials (model.md B2). ``none``: no chemotherapy (an
artefact-prone extreme: expansion is lymphopenia-gated, model.md A.7).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Regimen:
    """A lymphodepletion regimen: per-m² daily doses on the given days (day 0 = CAR T infusion)."""

    name: str
    fludarabine_mg_per_m2: float
    fludarabine_days: tuple[int, ...]
    cyclophosphamide_mg_per_m2: float
    cyclophosphamide_days: tuple[int, ...]
    description: str


REGIMENS: dict[str, Regimen] = {
    r.name: r
    for r in (
        Regimen(
            "erlangen",
            25.0,
            (-5, -4, -3),
            1000.0,
            (-3,),
            "Flu 25 mg/m2 d-5..-3 + Cy 1000 mg/m2 d-3 (Mackensen 2022, assumed per-m2 schedule)",
        ),
        Regimen(
            "low_intensity",
            25.0,
            (-5, -4, -3),
            250.0,
            (-5, -4, -3),
            "Flu 25 mg/m2 + Cy 250 mg/m2 daily d-5..-3 (other autoimmune CAR T trials)",
        ),
        Regimen("none", 0.0, (), 0.0, (), "no lymphodepletion"),
    )
}


@dataclass(frozen=True)
class Product:
    """A CAR T product: which targets it kills besides CD19⁺ B cells."""

    name: str
    bcma_activity: float
    description: str


PRODUCTS: dict[str, Product] = {
    p.name: p
    for p in (
        Product("cd19", 0.0, "autologous 4-1BB anti-CD19 CAR T (MB-CART19.1, Mackensen 2022)"),
        Product("bcma_cd19", 1.0, "BCMA-CD19 compound CAR T: also depletes CD19- long-lived plasma cells"),
    )
}
