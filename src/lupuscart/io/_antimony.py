"""Antimony export of one planned patient: the SBML export converted to Antimony text by libAntimony.

Antimony (Smith 2009) is the human-readable text form of SBML that Tellurium and libRoadRunner users edit by hand.
The text is libAntimony's translation of the document :func:`lupuscart.io.to_sbml` writes, not a second writer,
so the two exports cannot drift apart: the same parameters, initial assignments, rate rules, assignment rules,
unit definitions (``unit cell_per_uL = item / 1e-06 litre``, ``x has cell_per_uL``) and dose events
(``doses_day_0: at time >= 42 day, t0=false: car_t_effector = car_t_effector + dose_5_car_t_infusion_cd19``).
Loaded back with libAntimony, it gives an SBML document that libRoadRunner simulates like the direct export
(tests/io/test_antimony.py; docs/engine.md, "Antimony export").

References: Smith LP et al. Antimony: a modular model definition language. Bioinformatics 2009;25:2452-2454,
doi:10.1093/bioinformatics/btp401.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._sbml import to_sbml

if TYPE_CHECKING:
    from ..journey import PatientPlan
    from ..model import CompiledModel


def to_antimony(plan: PatientPlan, model: CompiledModel | None = None, *, time_origin: str = "journey") -> str:
    """The planned patient's model with its scheduled doses as Antimony text (see :func:`lupuscart.io.to_sbml` for
    the parameters and ``time_origin``).

    libAntimony keeps its loaded modules in process-wide state; this clears them before and after, so a call
    neither sees nor leaves another model behind (not safe to call from two threads at once).

    Examples
    --------
    >>> from lupuscart.journey import load_config, plan_patient
    >>> text = to_antimony(plan_patient(load_config(None)))
    >>> "b_cells_per_ul :=" in text and "unit day = 86400 second;" in text
    True
    """
    import antimony

    sbml = to_sbml(plan, model, time_origin=time_origin)
    antimony.clearPreviousLoads()
    try:
        if antimony.loadSBMLString(sbml) < 0:
            problem = antimony.getLastError()
            raise RuntimeError(
                f"libAntimony could not read the SBML export: {problem}; this is a bug, please report it"
            )
        return str(antimony.getAntimonyString(antimony.getMainModuleName()))
    finally:
        antimony.clearPreviousLoads()
