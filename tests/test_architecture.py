"""The package's shape, read from its source with ``ast`` (issue 15: a codebase that reads like the model).

1. **No import cycles.** The graph of module-level imports of ``src/lupuscart`` (what runs when a module is
   imported: ``TYPE_CHECKING`` blocks and function bodies excluded) has no cycle. Importing ``a.b.c`` also runs the
   packages ``a`` and ``a.b``, so an import is an edge to its module and to each enclosing package that is not
   also an enclosing package of the importer; ``from . import sub`` is an edge to the submodule only.
2. **Function-local imports only where import time requires them.** An import inside a function is allowed only
   if moving it to the top of its module would make importing that module load a module of :data:`HEAVY` that
   it does not load already: a heavy library itself, or a module of the package that loads one at import. Any
   other local import (the standard library, light modules of the package, a heavy module the importer loads
   anyway, an import that hides a cycle) fails, naming file and line.
3. **The command line loads nothing heavy**, so ``lupuscart --version`` and ``--help`` stay fast (checked in a
   fresh interpreter through ``sys.modules``, not with a clock).
4. **Tests mirror the package**: a test folder per subpackage, a ``tests/cli/test_<module>.py`` per command module.

See docs/engine.md, "Package structure and import time", for the measurements behind :data:`HEAVY`.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import lupuscart

SRC = Path(lupuscart.__file__).parent
TESTS = Path(__file__).parent

#: Modules worth importing inside the function that needs them, with their cold import time: the cumulative
#: ``python -X importtime -c "import <module>"`` (dependencies included, e.g. numpy in scipy and pandas), the
#: fastest of 5 on the 2-core development machine (±30 % between runs). A name covers its submodules.
#: For comparison, the whole command line (``import lupuscart.cli``: typer and the command modules) takes ≈ 80 ms.
HEAVY: dict[str, int] = {
    "numpy": 94,
    "scipy.integrate": 411,
    "scipy.optimize": 410,
    "scipy.special": 275,
    "scipy.stats": 651,
    "pandas": 263,
    "pyarrow": 130,  # pyarrow.parquet 117 on top of pandas
    "pydantic": 30,
    "rich": 29,  # rich.console / rich.table: printing tables only
    "matplotlib": 191,  # matplotlib.pyplot: 385
    "plotly": 31,
    "dash": 200,
    "flask": 98,
    "werkzeug": 59,
    "distributed": 334,
    "SALib": 259,  # SALib.analyze.sobol: 900
    "numba": 350,
    "sympy": 302,
    "libsbml": 160,
    "antimony": 83,
    "petab": 1666,
}


def module_name(path: Path) -> str:
    """``src/lupuscart/trial/_execute.py`` → ``lupuscart.trial._execute`` (a package by its folder)."""
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


@dataclass(frozen=True)
class Import:
    """One import statement: the modules it runs, where it is, and whether it sits in a function body."""

    importer: str
    line: int
    targets: tuple[str, ...]
    local: bool

    def __str__(self) -> str:
        return f"{MODULES[self.importer].relative_to(SRC.parent)}:{self.line} imports {', '.join(self.targets)}"


def _targets(node: ast.Import | ast.ImportFrom, importer: str) -> tuple[str, ...]:
    """The modules an import statement runs: ``from X import a`` runs X, or only X.a when every name is a module."""
    if isinstance(node, ast.Import):
        return tuple(alias.name for alias in node.names)
    if node.level:
        package = importer if MODULES[importer].name == "__init__.py" else importer.rsplit(".", 1)[0]
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        source = f"{base}.{node.module}" if node.module else base
    else:
        source = str(node.module)
    names = [f"{source}.{alias.name}" for alias in node.names]
    if source.split(".")[0] != "lupuscart":
        return (source, *names)  # a library's submodule may be imported by name: ``from scipy import stats``
    submodules = tuple(n for n in names if n in MODULES)
    return submodules if len(submodules) == len(names) else (source, *submodules)


def _is_type_checking(node: ast.If) -> bool:
    return ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def imports(module: str) -> list[Import]:
    """Every import statement of ``module`` that runs (those under ``if TYPE_CHECKING:`` never do)."""
    found: list[Import] = []

    def walk(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append(Import(module, child.lineno, _targets(child, module), local))
            elif isinstance(child, ast.If) and _is_type_checking(child):
                walk(ast.Module(body=child.orelse, type_ignores=[]), local)
            else:
                walk(child, local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    walk(ast.parse(MODULES[module].read_text(), filename=str(MODULES[module])), False)
    return found


IMPORTS: dict[str, list[Import]] = {m: imports(m) for m in MODULES}


def enclosing_packages(module: str) -> list[str]:
    """``a.b.c`` → ``[a, a.b]``: the packages Python runs before the module."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def edges(module: str) -> set[str]:
    """What importing ``module`` runs directly: its module-level imports and their enclosing packages (except the
    importer's own, which are running already)."""
    out: set[str] = set()
    own = set(enclosing_packages(module))
    for imp in IMPORTS[module]:
        if not imp.local:
            for target in imp.targets:
                out |= {target, *enclosing_packages(target)} - own - {module}
    return out


def heavy_name(module: str) -> str | None:
    """The entry of :data:`HEAVY` that covers ``module`` (the most specific one), or ``None``."""
    return max((h for h in HEAVY if module == h or module.startswith(h + ".")), key=len, default=None)


@cache
def heavy_loaded(module: str) -> frozenset[str]:
    """The :data:`HEAVY` modules that importing ``module`` loads, through the package's module-level imports.

    A library's own imports are not followed (each library is measured with its dependencies instead).
    """
    heavy = {heavy_name(module)} - {None}
    seen, todo = set(), [module, *enclosing_packages(module)]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        if m in MODULES:
            todo += [*edges(m), *enclosing_packages(m)]
        elif (h := heavy_name(m)) is not None:
            heavy.add(h)
    return frozenset(str(h) for h in heavy)


def import_graph() -> dict[str, list[str]]:
    """Module → the modules of the package that importing it runs directly."""
    return {m: sorted(t for t in edges(m) if t in MODULES) for m in MODULES}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): each holds a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                found.append(sorted([v, *component]))

    for m in graph:
        if m not in index:
            visit(m)
    return found


def local_imports() -> Iterator[Import]:
    """Every import statement inside a function body of the package."""
    for found in IMPORTS.values():
        yield from (imp for imp in found if imp.local)


def required_by_import_time(imp: Import) -> bool:
    """Would this local import, moved to module level, make its module load a heavy module it does not load now?"""
    already = heavy_loaded(imp.importer)
    return any(heavy_loaded(t) - already for t in imp.targets)


def test_the_module_level_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 100  # the walk found the package
    assert cycles(graph) == []


def test_the_graph_runs_enclosing_packages_and_finds_cycles() -> None:
    """Importing ``lupuscart.journey._config`` runs ``lupuscart.journey`` first; ``from . import simulate`` in
    ``cli._root`` runs the submodule, not the package being imported; a cycle through three modules is found."""
    assert {"lupuscart.journey", "lupuscart.journey._config"} <= edges("lupuscart.population._covariates")
    assert "lupuscart.cli" not in edges("lupuscart.cli._root")
    assert "lupuscart.cli.simulate" in edges("lupuscart.cli._root")
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"], "e": []}) == [["a", "b", "c"]]


def test_function_local_imports_only_where_import_time_requires_them() -> None:
    unneeded = [str(imp) for imp in local_imports() if not required_by_import_time(imp)]
    assert unneeded == [], (
        "move these imports to the top of their module (they load nothing heavy that the module does not load "
        "already; see HEAVY in tests/test_architecture.py):\n" + "\n".join(unneeded)
    )


@pytest.mark.parametrize(
    ("importer", "target", "required"),
    [
        ("lupuscart.cli.trial", "lupuscart.trial", True),  # the trial package loads pandas and scipy
        ("lupuscart.cli.trial", "rich.table", True),
        ("lupuscart.cli.trial", "json", False),  # the standard library
        ("lupuscart.cli.trial", "lupuscart._atomic", False),  # a light module of the package
        ("lupuscart.trial._execute", "pandas", False),  # loaded by the module anyway
        ("lupuscart.trial._execute", "lupuscart.model", False),  # loaded by lupuscart.trial anyway
        ("lupuscart.trial._execute", "matplotlib.pyplot", True),
    ],
)
def test_the_rule_tells_required_from_unneeded_local_imports(importer: str, target: str, required: bool) -> None:
    assert required_by_import_time(Import(importer, 1, (target,), local=True)) is required


def test_every_heavy_module_is_used_by_the_package() -> None:
    used = {heavy_name(t) for found in IMPORTS.values() for imp in found for t in imp.targets}
    assert set(HEAVY) - used == set()


@pytest.mark.parametrize("module", ["lupuscart", "lupuscart.cli", "lupuscart.exceptions"])
def test_the_command_line_loads_no_heavy_module(module: str) -> None:
    """What ``lupuscart --version`` and ``--help`` import: nothing of :data:`HEAVY` (read from ``sys.modules``)."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert sorted({h for m in loaded if (h := heavy_name(m)) is not None}) == []
    assert sorted(heavy_loaded(module)) == []  # the static graph agrees


def test_tests_mirror_the_package() -> None:
    subpackages = {p.parent.name for p in SRC.glob("*/__init__.py")}
    assert sorted(s for s in subpackages if not (TESTS / s).is_dir()) == []
    commands = {p.stem for p in (SRC / "cli").glob("*.py") if not p.stem.startswith("_")}
    assert sorted(c for c in commands if not (TESTS / "cli" / f"test_{c}.py").is_file()) == []
