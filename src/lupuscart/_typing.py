"""Domain type aliases used across the package (units live in the names, as in the rest of the code)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
Days: TypeAlias = float
PerMicrolitre: TypeAlias = float
