"""Conversion of total-body lymphocyte numbers to blood concentrations (cells/µL).

Blood holds about 2 % of the body's lymphocytes in about 5 L; the model's cell states are total-body numbers and
observables report cells per µL of blood, as flow cytometry does.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Parameter

P = Parameter
BLOCK = Block(
    name="blood",
    description=__doc__ or "",
    parameters=(
        P(
            "blood_fraction",
            0.02,
            "1",
            "share of the body's lymphocytes that circulate in blood",
            "modelmd",
            "L",
            1e-4,
            1.0,
        ),
        P("blood_volume_ul", 5e6, "uL", "blood volume", "modelmd", "L", 1e6, 1e7),
    ),
    assignments=(
        Assignment(
            "per_ul_of_blood",
            "blood_fraction/blood_volume_ul",
            "1/uL",
            "factor from total-body cells to cells per uL of blood",
        ),
    ),
)
