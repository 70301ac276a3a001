"""SBML export of one planned patient: the model definition with its scheduled doses, as SBML Level 3 Version 2.

Everything is generated from the one model definition (``lupuscart.model``); nothing is typed twice:

* base parameters are constant SBML parameters holding the patient's values;
* assignments (derived parameters, pre-treatment steady state) are constant parameters with an
  ``initialAssignment``, so a simulator that changes a base parameter and resets gets consistent derived values;
* states are non-constant parameters with a ``rateRule`` (robust in libRoadRunner and COPASI, and free of the
  amount/concentration questions species raise) and an ``initialAssignment`` from the state's initial formula;
* expressions and observables are ``assignmentRule`` parameters; observables keep the ``timecourse.csv`` names;
* scheduled doses are events, one per dose time, adding the dose amounts (``dose_*`` parameters) to the dosed states.

SBML time 0 is the journey's first day (``plan.t_start``, e.g. day −42) and time runs in days (``timeUnits`` is a
``day`` unit definition). Every parameter, state, expression and observable carries its declared unit as an SBML
unit definition (``_sbml_units``: ``cells/uL`` is ``item / 1e-06 litre``), numbers in formulas are
``dimensionless`` (or have the unit of the value they stand for: an initial value ``0``, a trigger day), so
libsbml's unit check can follow every formula (:func:`sbml_unit_warnings`; docs/engine.md, "Units").

Formula strings are translated from their Python syntax through the Python AST into fully parenthesised SBML L3
infix text (``**`` → ``^``, ``log`` → ``ln``: the L3 parser reads ``log(x)`` as log10).
State-dependent management (tocilizumab, steroids) is not part of the export: it is a journey policy, not an ODE.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from ..exceptions import ModelDefinitionError
from ..model import REFERENCES, CompiledModel, default_model
from ._sbml_units import SbmlUnit, sbml_unit

if TYPE_CHECKING:
    from ..journey import PatientPlan

#: SBML level and version written.
SBML_LEVEL, SBML_VERSION = 3, 2
#: The model's time unit (the unit string of a day).
DAY = "d"

_FUNCTIONS = {"log": "ln", "exp": "exp", "sqrt": "sqrt"}
_BINOPS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}


def to_l3_formula(formula: str, number_unit: str | None = None) -> str:
    """Translate a model formula (Python syntax) into fully parenthesised SBML L3 infix syntax.

    ``number_unit`` (a unit id) is written after every number, so that libsbml's unit check knows the units of
    the literals (L3 infix ``2.0 dimensionless`` becomes ``<cn sbml:units="dimensionless">``).

    >>> to_l3_formula("-a*log(b)**2 + exp(c/d)")
    '(((-a) * (ln(b) ^ 2.0)) + exp((c / d)))'
    >>> to_l3_formula("t >= 1.5e-3", "day")
    '(time >= 0.0015 day)'
    """
    return _emit(ast.parse(formula, mode="eval").body, f" {number_unit}" if number_unit else "")


def _emit(node: ast.expr, unit: str) -> str:
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return f"({_emit(node.left, unit)} {_BINOPS[type(node.op)]} {_emit(node.right, unit)})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return f"({sign}{_emit(node.operand, unit)})"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        return f"{_FUNCTIONS[node.func.id]}({', '.join(_emit(a, unit) for a in node.args)})"
    if isinstance(node, ast.Name):
        return "time" if node.id == "t" else node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return f"{float(node.value)!r}{unit}"
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.GtE):
        return f"({_emit(node.left, unit)} >= {_emit(node.comparators[0], unit)})"
    raise ModelDefinitionError(f"cannot translate {ast.unparse(node)!r} to SBML; this is a bug, please report it")


def _is_number(formula: str) -> bool:
    """Whether a formula is just a (signed) number, such as the initial value ``0``: its unit is the target's."""
    node = ast.parse(formula, mode="eval").body
    while isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant)


def _check(value: Any, what: str) -> Any:
    """Raise if a libsbml call failed (``None`` object or a negative/non-success integer status)."""
    import libsbml

    if value is None:
        raise RuntimeError(f"libsbml: {what} returned None; this is a bug in the SBML exporter, please report it")
    if isinstance(value, int) and not isinstance(value, bool) and value != libsbml.LIBSBML_OPERATION_SUCCESS:
        message = libsbml.OperationReturnValue_toString(value).strip()
        raise RuntimeError(f"libsbml: {what} failed with code {value} ({message}); this is a bug, please report it")
    return value


def _math(formula: str, what: str, number_unit: str) -> Any:
    import libsbml

    ast_node = libsbml.parseL3Formula(to_l3_formula(formula, number_unit))
    if ast_node is None:
        raise RuntimeError(f"libsbml could not parse {what}: {libsbml.getLastParseL3Error()}")
    return ast_node


def _sid(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_").lower()


#: Time origins of the export: SBML time 0 at the journey's first day (the contract) or at the CAR T infusion.
TIME_ORIGINS = ("journey", "infusion")


def to_sbml(plan: PatientPlan, model: CompiledModel | None = None, *, time_origin: str = "journey") -> str:
    """The planned patient's model with its scheduled doses as an SBML L3V2 document (a string).

    Parameters
    ----------
    plan:
        A :class:`~lupuscart.journey.PatientPlan` (``plan_patient(load_config(...))``): its full parameter vector,
        doses and journey start.
    model:
        The compiled model (default: :func:`lupuscart.model.default_model`).

    time_origin:
        ``"journey"`` (default, architecture.md): SBML time 0 is the journey's first day ``plan.t_start``, so a
        simulation from 0 covers the journey. ``"infusion"``: SBML time is the day of ``timecourse.csv`` (0 = CAR T
        infusion); the initial values then hold at ``plan.t_start`` (also stored as the constant parameter
        ``journey_start_day``), so simulate from there, e.g. ``rr.simulate(plan.t_start, 365)``.

    Returns
    -------
    str
        SBML text; time in days. Observables are assignment-rule parameters named as the ``timecourse.csv``
        columns.

    Examples
    --------
    >>> from lupuscart.journey import load_config, plan_patient
    >>> text = to_sbml(plan_patient(load_config(None)))
    >>> '<assignmentRule variable="b_cells_per_ul">' in text
    True
    """
    import libsbml

    if time_origin not in TIME_ORIGINS:
        raise ValueError(f"time_origin must be one of {TIME_ORIGINS}; got {time_origin!r}")
    offset = plan.t_start if time_origin == "journey" else 0.0
    model = model or default_model()
    d = model.definition
    full = plan.full_parameters
    doc = libsbml.SBMLDocument(SBML_LEVEL, SBML_VERSION)
    m = _check(doc.createModel(), "createModel")
    _check(m.setId(d.name), "model id")
    _check(m.setName(f"lupuscart {d.name}, fingerprint {d.fingerprint}"), "model name")
    _check(m.setMetaId(f"meta_{d.name}"), "model metaid")
    declared = [
        *(p.unit for p in d.parameters),
        *(a.unit for a in d.assignments),
        *(s.unit for s in d.states),
        *(e.unit for e in d.expressions),
        *(o.unit for o in d.observables),
    ]
    units = {text: sbml_unit(text) for text in dict.fromkeys([DAY, *declared])}
    _add_units(m, units)
    _add_references(m)
    _check(
        m.setNotes(
            '<body xmlns="http://www.w3.org/1999/xhtml"><p>Exported by lupuscart. Time in days. '
            + (
                f"SBML time 0 is journey day {plan.t_start:g} (day 0 = CAR T infusion); simulate from 0."
                if time_origin == "journey"
                else f"SBML time is the day after CAR T infusion (as timecourse.csv); the initial values hold at "
                f"the journey start, day {plan.t_start:g} (parameter journey_start_day): simulate from there."
            )
            + " Scheduled doses only (no management policies).</p></body>"
        ),
        "model notes",
    )

    def parameter(pid: str, value: float, constant: bool, label: str, unit: str) -> None:
        p = _check(m.createParameter(), f"createParameter {pid}")
        _check(p.setId(pid), f"id {pid}")
        _check(p.setValue(float(value)), f"value of {pid}")
        _check(p.setConstant(constant), f"constant of {pid}")
        _check(p.setName(label), f"name of {pid}")
        _check(p.setUnits(units[unit].id), f"units of {pid}")

    def math(formula: str, what: str, unit: str) -> Any:
        """A formula's math; its numbers are dimensionless, or have ``unit`` where the formula is one number."""
        return _math(formula, what, units[unit].id if _is_number(formula) else "dimensionless")

    def initial_assignment(pid: str, formula: str, unit: str) -> None:
        ia = _check(m.createInitialAssignment(), f"initialAssignment {pid}")
        _check(ia.setSymbol(pid), f"symbol of initialAssignment {pid}")
        _check(ia.setMath(math(formula, pid, unit)), f"math of initialAssignment {pid}")

    for p in d.parameters:
        parameter(
            p.name,
            full[model.full_index[p.name]],
            True,
            f"{p.description} [{p.unit}] ({p.source}, {p.evidence})",
            p.unit,
        )
    for a in d.assignments:
        parameter(a.name, full[model.full_index[a.name]], True, f"{a.description} [{a.unit}]", a.unit)
        initial_assignment(a.name, a.formula, a.unit)
    y0 = model.initial_state(full)
    for i, s in enumerate(d.states):
        parameter(s.name, y0[i], False, f"{s.description} [{s.unit}]", s.unit)
        initial_assignment(s.name, s.initial, s.unit)
        rr = _check(m.createRateRule(), f"rateRule {s.name}")
        _check(rr.setVariable(s.name), f"variable of rateRule {s.name}")
        _check(rr.setMath(_math(d.rate_laws[s.name], s.name, "dimensionless")), f"math of rateRule {s.name}")
    for kind, items in (("expression", d.expressions), ("observable", d.observables)):
        for e in items:
            parameter(e.name, 0.0, False, f"{e.description} [{e.unit}] ({kind})", e.unit)
            ar = _check(m.createAssignmentRule(), f"assignmentRule {e.name}")
            _check(ar.setVariable(e.name), f"variable of assignmentRule {e.name}")
            _check(ar.setMath(math(e.formula, e.name, e.unit)), f"math of assignmentRule {e.name}")
    parameter("journey_start_day", plan.t_start, True, "first day of the journey (day 0 = CAR T infusion) [day]", DAY)
    _add_doses(m, plan, parameter, offset, {s.name: s.unit for s in d.states}, units[DAY].id)

    errors = doc.checkInternalConsistency()
    if errors:
        raise RuntimeError(f"libsbml: exported document is inconsistent: {doc.getErrorLog().toString()}")
    return str(libsbml.writeSBMLToString(doc))


def _add_units(m: Any, units: dict[str, SbmlUnit]) -> None:
    """One ``unitDefinition`` per distinct unit (see ``_sbml_units``) and the model's units: time in days;
    substance and extent ``item`` (cells), volume ``litre``."""
    import libsbml

    for unit in {u.id: u for u in units.values() if u.factors}.values():
        ud = _check(m.createUnitDefinition(), f"unitDefinition {unit.id}")
        _check(ud.setId(unit.id), f"id of unit {unit.id}")
        _check(ud.setName(unit.name), f"name of unit {unit.id}")
        for kind, exponent, multiplier in unit.factors:
            u = _check(ud.createUnit(), f"unit of {unit.id}")
            _check(u.setKind(libsbml.UnitKind_forName(kind)), f"kind {kind} of {unit.id}")
            _check(u.setExponent(exponent), f"exponent of {unit.id}")
            _check(u.setScale(0), f"scale of {unit.id}")
            _check(u.setMultiplier(multiplier), f"multiplier of {unit.id}")
    _check(m.setTimeUnits(units[DAY].id), "model timeUnits")
    _check(m.setSubstanceUnits("item"), "model substanceUnits")
    _check(m.setExtentUnits("item"), "model extentUnits")
    _check(m.setVolumeUnits("litre"), "model volumeUnits")


def _add_references(m: Any) -> None:
    """Attach every reference's DOI to the model as ``bqmodel:isDescribedBy`` (identifiers.org URIs)."""
    import libsbml

    dois = sorted({r.doi for r in REFERENCES.values() if r.doi})
    if not dois:
        return
    term = libsbml.CVTerm(libsbml.MODEL_QUALIFIER)
    _check(term.setModelQualifierType(libsbml.BQM_IS_DESCRIBED_BY), "qualifier isDescribedBy")
    for doi in dois:
        _check(term.addResource(f"http://identifiers.org/doi/{doi}"), f"resource {doi}")
    _check(m.addCVTerm(term), "model CVTerm")


def _add_doses(
    m: Any, plan: PatientPlan, parameter: Any, offset: float, state_units: dict[str, str], time_unit: str
) -> None:
    """One event per dose time; each dose amount is a constant parameter (in the dosed state's unit) so a simulator
    can change it."""
    by_time: dict[float, list[tuple[str, str]]] = {}
    for k, dose in enumerate(sorted(plan.doses), start=1):
        pid = f"dose_{k}_{_sid(dose.label or dose.state)}"
        label = f"{dose.label} on day {dose.time_day:g} [{dose.state}, {state_units[dose.state]}]"
        parameter(pid, dose.amount, True, label, state_units[dose.state])
        by_time.setdefault(dose.time_day, []).append((dose.state, pid))
    for day, targets in sorted(by_time.items()):
        if not plan.t_start <= day <= plan.t_end:
            continue
        sbml_time = day - offset
        ev = _check(m.createEvent(), f"event day {day}")
        _check(ev.setId(f"doses_day_{_sid(f'{day:g}'.replace('-', 'm'))}"), "event id")
        _check(ev.setName(f"scheduled doses on day {day:g}"), "event name")
        _check(ev.setUseValuesFromTriggerTime(True), "event useValuesFromTriggerTime")
        trig = _check(ev.createTrigger(), "event trigger")
        # Journey origin: initialValue=false, so a dose at SBML time 0 fires at t0 (libRoadRunner's ``t0=true``).
        # Infusion origin: the simulation starts at a negative time, and a simulator that first evaluates the
        # triggers at time 0 would see ``time >= -5`` true and fire at the start; initialValue=true (no dose is at
        # the journey's first day) makes each dose fire when its day is reached.
        _check(trig.setInitialValue(offset == 0.0 and day > plan.t_start), "trigger initialValue")
        _check(trig.setPersistent(True), "trigger persistent")
        _check(trig.setMath(_math(f"t >= {sbml_time!r}", "trigger", time_unit)), "trigger math")
        for state, pid in targets:
            ea = _check(ev.createEventAssignment(), f"eventAssignment {pid}")
            _check(ea.setVariable(state), f"variable of eventAssignment {pid}")
            _check(ea.setMath(_math(f"{state} + {pid}", pid, "dimensionless")), f"math of eventAssignment {pid}")


def sbml_consistency_errors(text: str) -> list[str]:
    """libsbml's full consistency check of an SBML string, units included: messages of severity error or fatal.

    >>> from lupuscart.journey import load_config, plan_patient
    >>> sbml_consistency_errors(to_sbml(plan_patient(load_config(None))))
    []
    """
    import libsbml

    return [message for severity, _, message in _consistency_log(text) if severity >= libsbml.LIBSBML_SEV_ERROR]


def sbml_unit_warnings(text: str) -> list[str]:
    """The messages of libsbml's unit-consistency check (SBML L3 makes consistent units a recommendation, so libsbml
    reports them as warnings, not errors).

    The default patient's export has one (docs/engine.md, "Units"): the ``0.06`` that turns an eGFR in mL/min into
    a clearance in L/h is a dimensionless literal, and libsbml, unlike the model's own check, compares the scale of
    the terms of a sum.
    """
    import libsbml

    return [
        message for _, category, message in _consistency_log(text) if category == libsbml.LIBSBML_CAT_UNITS_CONSISTENCY
    ]


def _consistency_log(text: str) -> list[tuple[int, int, str]]:
    """``(severity, category, message)`` of every message of libsbml's full consistency check, units included."""
    import libsbml

    doc = libsbml.readSBMLFromString(text)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
    doc.checkConsistency()
    log = doc.getErrorLog()
    return [
        (e.getSeverity(), e.getCategory(), f"{e.getSeverityAsString()}: {e.getMessage().strip()}")
        for e in (log.getError(i) for i in range(log.getNumErrors()))
    ]
