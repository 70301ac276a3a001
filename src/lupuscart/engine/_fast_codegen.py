"""Generate the fast engine's compiled kernels from the one model definition.

sympy reads every formula of the definition, substitutes the intermediate expressions into the rate laws and
differentiates them, so the right-hand side, the analytic Jacobian (with common subexpressions eliminated) and
the matrix of the linear drug pharmacokinetics all come from the same text as the reference solver's code. The
generated model functions fill the one slot of the kernel template (``templates/kernels.py.tmpl``: the Rodas4
integrator and the compiled patient journey), rendered with :class:`string.Template` into one Python file in a
cache folder named after :attr:`ModelDefinition.fingerprint` and the template's hash; importing it lets numba
compile with ``cache=True`` so a second process loads machine code instead of compiling (≈ 1 s instead of ≈ 60 s).

Linear pharmacokinetics in closed form
--------------------------------------
States whose rate laws are linear and homogeneous in themselves and depend on no other state (fludarabine's three
compartments, cyclophosphamide, dexamethasone) form a linear system ``x' = A x`` with ``A`` fixed per patient.
Between doses it is solved exactly, ``x(t) = V diag(exp(λ (t − t0))) V⁻¹ x(t0)``, so these states leave the stiff
system: the integrator no longer restarts on fast drug distribution, and the kill rates they drive become known
functions of time (their time derivative enters the Rosenbrock stages through ``∂f/∂x_pk · ẋ_pk``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import string
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ..model import CompiledModel, default_model


@dataclass(frozen=True)
class KernelSource:
    """The generated source and how the state vector splits into integrated and closed-form states."""

    text: str
    free: tuple[int, ...]
    closed_form: tuple[int, ...]
    jacobian_nonzeros: int


def _symbols(model: CompiledModel) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """sympy expressions of every rate law with the intermediate expressions substituted."""
    import sympy

    d = model.definition
    names = set(model.full_names) | set(model.state_names) | {e.name for e in d.expressions} | {"t"}
    local = {n: sympy.Symbol(n, real=True) for n in names}
    local.update({"log": sympy.log, "exp": sympy.exp, "sqrt": sympy.sqrt})
    subs: dict[Any, Any] = {}
    for e in d.expressions:  # topological order: each only uses earlier ones
        subs[local[e.name]] = sympy.sympify(e.formula, locals=local).xreplace(subs)
    rates = [sympy.sympify(d.rate_laws[s.name], locals=local).xreplace(subs) for s in d.states]
    states = [local[n] for n in model.state_names]
    return local, rates, states


def _closed_form_states(rates: list[Any], states: list[Any]) -> list[int]:
    """Indices of the largest set of states with linear, homogeneous rates that only involve each other."""
    import sympy

    state_set = set(states)
    candidates = set()
    for i, f in enumerate(rates):
        used = f.free_symbols & state_set
        if not used:
            continue
        linear = all(not (sympy.diff(f, s).free_symbols & state_set) for s in used)
        homogeneous = sympy.simplify(f.xreplace(dict.fromkeys(used, 0))) == 0
        if linear and homogeneous:
            candidates.add(i)
    changed = True
    while changed:
        changed = False
        for i in sorted(candidates):
            if {states.index(s) for s in rates[i].free_symbols & state_set} - candidates:
                candidates.discard(i)
                changed = True
    return sorted(candidates)


def _unpack(symbols: set[Any], model: CompiledModel) -> list[str]:
    sidx = {n: i for i, n in enumerate(model.state_names)}
    lines = []
    for s in sorted(symbols, key=str):
        n = str(s)
        if n in sidx:
            lines.append(f"    {n} = y[{sidx[n]}]")
        elif n in model.full_index:
            lines.append(f"    {n} = p[{model.full_index[n]}]")
        elif n != "t":
            raise AssertionError(f"unexpected symbol {n} in generated code; this is a bug, please report it")
    return lines


#: The kernel template: the integrator and the compiled journey around one slot for the model's functions.
TEMPLATE_PATH = Path(__file__).parent / "templates" / "kernels.py.tmpl"


@lru_cache(maxsize=1)
def kernel_template() -> string.Template:
    """The kernel template (slots ``header`` and ``model_functions``)."""
    return string.Template(TEMPLATE_PATH.read_text(encoding="utf-8"))


def generate_kernel_source(model: CompiledModel) -> KernelSource:
    """Python/numba source of the model's functions rendered into the kernel template (one module)."""
    import sympy
    from sympy.printing.pycode import pycode

    _, rates, states = _symbols(model)
    n = len(states)
    pk = _closed_form_states(rates, states)
    free = [i for i in range(n) if i not in pk]

    entries: list[tuple[int, int, Any]] = []
    for i, f in enumerate(rates):
        for j, s in enumerate(states):
            if s in f.free_symbols:
                entries.append((i, j, sympy.diff(f, s)))
    replacements, reduced = sympy.cse([e for _, _, e in entries], optimizations="basic")
    used: set[Any] = set()
    for _, v in replacements:
        used |= v.free_symbols
    for e in reduced:
        used |= e.free_symbols
    used -= {s for s, _ in replacements}

    def code(expr: Any) -> str:
        return str(pycode(expr, fully_qualified_modules=False, standard="python3"))

    jac = ["@njit(cache=True)", "def jac_full(t, y, p, J):"]
    jac += _unpack(used, model)
    jac += [f"    {s} = {code(v)}" for s, v in replacements]
    jac += [f"    J[{i}, {j}] = {code(e)}" for (i, j, _), e in zip(entries, reduced, strict=True)]
    if len(jac) == 2:
        jac.append("    pass")

    pk_lines = ["@njit(cache=True)", "def pk_matrix(p, A):"]
    pk_entries = [(a, b, sympy.diff(rates[i], states[j])) for a, i in enumerate(pk) for b, j in enumerate(pk)]
    pk_entries = [(a, b, e) for a, b, e in pk_entries if e != 0]
    pk_lines += _unpack(set().union(*(e.free_symbols for _, _, e in pk_entries)), model)
    pk_lines += [f"    A[{a}, {b}] = {code(e)}" for a, b, e in pk_entries]
    pk_lines.append("    return")

    functions = [
        "@njit(cache=True)",
        model.source.rhs.replace("def rhs(", "def rhs_full(", 1),
        "@njit(cache=True)",
        model.source.initial,
        "\n".join(jac),
        "",
        "\n".join(pk_lines),
        "",
        _sparse_lu_source([(i, j) for i, j, _ in entries], free),
        f"N_OBSERVABLES = {len(model.observable_names)}",
        "",
        "",
        "@njit(cache=True)",
        model.source.observables_into,
    ]
    d = model.definition
    text = kernel_template().substitute(
        header=f"Generated by lupuscart for model {d.name} ({d.fingerprint}); do not edit.",
        model_functions="\n".join(functions),
    )
    return KernelSource(text=text, free=tuple(free), closed_form=tuple(pk), jacobian_nonzeros=len(entries))


def _minimum_degree(pattern: set[tuple[int, int]], m: int) -> list[int]:
    """Greedy minimum-degree elimination order of a symmetric pattern (keeps LU fill-in small)."""
    graph: dict[int, set[int]] = {a: set() for a in range(m)}
    for i, j in pattern:
        if i != j:
            graph[i].add(j)
            graph[j].add(i)
    order = []
    while graph:
        a = min(graph, key=lambda x: (len(graph[x]), x))
        order.append(a)
        neighbours = graph.pop(a)
        for u in neighbours:
            graph[u] |= neighbours - {u}
            graph[u].discard(a)
    return order


def _sparse_lu_source(jac_pairs: list[tuple[int, int]], free: list[int]) -> str:
    """Straight-line LU of ``W = I/(hγ) − J_ff`` for the Jacobian's sparsity pattern, and its solve.

    The elimination order is minimum degree on the pattern; the factorisation does not pivot, so ``sparse_w``
    returns False when a pivot is small (``|pivot| < 1e-8 / (hγ)``) and the integrator falls back to dense LU
    with partial pivoting for that step.
    """
    pos = {s: a for a, s in enumerate(free)}
    m = len(free)
    pattern = {(pos[i], pos[j]) for i, j in jac_pairs if i in pos and j in pos} | {(a, a) for a in range(m)}
    order = _minimum_degree(pattern, m)
    rank = {a: k for k, a in enumerate(order)}
    entries = {(rank[i], rank[j]) for i, j in pattern}
    cols: dict[int, list[int]] = {}
    rows: dict[int, list[int]] = {}
    for k in range(m):
        cols[k] = [i for i in range(k + 1, m) if (i, k) in entries]
        rows[k] = [j for j in range(k + 1, m) if (k, j) in entries]
        entries |= {(i, j) for i in cols[k] for j in rows[k]}
    index = {e: n for n, e in enumerate(sorted(entries))}
    original = {(rank[i], rank[j]) for i, j in pattern}
    lines = [f"SPARSE_NNZ = {len(index)}", "", "", "@njit(cache=True)", "def sparse_w(J, inv, w):"]
    for (i, j), n in sorted(index.items()):
        fi, fj = free[order[i]], free[order[j]]
        value = f"-J[{fi}, {fj}]" if (i, j) in original else "0.0"
        lines.append(f"    w[{n}] = {value}" + (" + inv" if i == j else ""))
    lines.append("    tiny = 1e-8 * inv")
    for k in range(m):
        kk = index[k, k]
        lines.append(f"    if abs(w[{kk}]) < tiny:")
        lines.append("        return False")
        if cols[k]:
            lines.append(f"    r = 1.0 / w[{kk}]")
        for i in cols[k]:
            lines.append(f"    w[{index[i, k]}] *= r")
            for j in rows[k]:
                lines.append(f"    w[{index[i, j]}] -= w[{index[i, k]}] * w[{index[k, j]}]")
    lines += ["    return True", "", "", "@njit(cache=True)", "def sparse_solve(w, b):"]
    lines += [f"    c{k} = b[{order[k]}]" for k in range(m)]
    for k in range(m):
        for i in cols[k]:
            lines.append(f"    c{i} -= w[{index[i, k]}] * c{k}")
    for k in range(m - 1, -1, -1):
        for j in rows[k]:
            lines.append(f"    c{k} -= w[{index[k, j]}] * c{j}")
        lines.append(f"    c{k} /= w[{index[k, k]}]")
    lines += [f"    b[{order[k]}] = c{k}" for k in range(m)]
    return "\n".join(lines) + "\n"


def cache_dir() -> Path:
    """Folder of generated kernels: ``$LUPUSCART_CACHE_DIR`` or ``~/.cache/lupuscart/kernels``."""
    root = os.environ.get("LUPUSCART_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "lupuscart" / "kernels"


_LOADED: dict[str, tuple[ModuleType, tuple[int, ...], tuple[int, ...]]] = {}


def _kernel_key(model: CompiledModel) -> str:
    import numba

    template_hash = hashlib.sha256(kernel_template().template.encode()).hexdigest()[:8]
    return f"{model.definition.fingerprint}_{template_hash}_nb{numba.__version__.replace('.', '')}"


def fast_engine_ready(model: CompiledModel | None = None) -> bool:
    """Whether the fast engine's kernels are loaded or compiled in the cache (else the first use compiles them,
    which takes about a minute: the CLI says so before it starts)."""
    key = _kernel_key(model or default_model())
    if key in _LOADED:
        return True
    return any((cache_dir() / "__pycache__").glob(f"lupuscart_kernels_{key}*.nbi"))


def load_kernels(model: CompiledModel) -> tuple[ModuleType, tuple[int, ...], tuple[int, ...]]:
    """Import (generating on first use) the compiled kernel module of ``model``.

    Returns the module and the indices of the integrated (``free``) and closed-form states.
    """
    key = _kernel_key(model)
    if key in _LOADED:
        return _LOADED[key]
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"lupuscart_kernels_{key}.py"
    meta = folder / f"lupuscart_kernels_{key}.idx"
    if path.exists() and meta.exists():
        free_text, pk_text = meta.read_text().split("|")
        free = tuple(int(x) for x in free_text.split(",") if x)
        pk = tuple(int(x) for x in pk_text.split(",") if x)
    else:
        src = generate_kernel_source(model)
        # Both files go to temporary names and are renamed into place: a concurrent process sees all or nothing.
        for target, text in (
            (path, src.text),
            (meta, ",".join(map(str, src.free)) + "|" + ",".join(map(str, src.closed_form))),
        ):
            tmp = target.with_suffix(f"{target.suffix}.{os.getpid()}.tmp")
            tmp.write_text(text)
            os.replace(tmp, target)
        free, pk = src.free, src.closed_form
    name = f"lupuscart_kernels_{key}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _LOADED[key] = (module, free, pk)
    return _LOADED[key]


def free_and_closed_form(model: CompiledModel) -> tuple[list[str], list[str]]:
    """Names of the integrated states and of the closed-form (linear PK) states.

    >>> from lupuscart.model import default_model
    >>> free, closed = free_and_closed_form(default_model())
    >>> closed
    ['flu_central_mg', 'flu_peripheral1_mg', 'flu_peripheral2_mg', 'cy_mg', 'dex_mg']
    """
    _, rates, states = _symbols(model)
    pk = _closed_form_states(rates, states)
    names = model.state_names
    return [names[i] for i in range(len(names)) if i not in pk], [names[i] for i in pk]
