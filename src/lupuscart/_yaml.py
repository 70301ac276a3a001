"""The one YAML reader of lupuscart: YAML 1.2 scalars, duplicate keys refused, bounded size, depth and aliases.

PyYAML implements YAML 1.1, whose scalar rules surprise people: ``2e0`` and ``1e6`` are strings (1.1 floats need
a dot), ``010`` is 8, ``1:30`` is 90, ``no`` is ``False`` and ``2024-01-01`` a date. Configurations are read
with the YAML 1.2 *core schema* instead (https://yaml.org/spec/1.2.2/#1032-tag-resolution): integers
``[-+]?[0-9]+``, ``0o17``, ``0x1F``; floats ``[-+]?(.[0-9]+|[0-9]+(.[0-9]*)?)([eE][-+]?[0-9]+)?``, ``.inf``,
``.nan``; booleans ``true``/``false`` (any case of the first letter, or all capitals); null ``~``, ``null`` or
nothing. Everything else is a string.

A mapping with the same key twice is refused (YAML says keys are unique; PyYAML silently keeps the last one).
Anchors and aliases are allowed, but the document as it would be once aliases are expanded is bounded
(:data:`MAX_NODES` nodes, :data:`MAX_DEPTH` levels), so an alias bomb ("billion laughs") or deep nesting is
refused before anything reads it, and a recursive alias is refused outright.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .exceptions import InvalidConfigError, excerpt, shorten

#: Nesting levels a document may have (a trial configuration needs about six).
MAX_DEPTH = 32
#: Nodes (scalars, sequences, mappings) a document may expand to once every alias is replaced by its anchor.
MAX_NODES = 100_000

_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL_TAG, _NULL_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"


class YamlInputError(Exception):
    """Raised inside the loader; :func:`load_yaml` turns it into :class:`InvalidConfigError` with the file named."""

    def __init__(self, message: str, node: Node | None = None) -> None:
        where = "" if node is None else f"line {node.start_mark.line + 1}: "
        super().__init__(where + message)


class _Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema, unique keys and a nesting bound while composing."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's per-class table, filled below
    _depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        # Checked while composing, so 20,000 nested brackets stop at MAX_DEPTH instead of exhausting the stack.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YamlInputError(f"line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise YamlInputError("a mapping key must be a plain value, not a list or mapping", key_node) from None
            if first is not None:
                raise YamlInputError(f"duplicate key {excerpt(key)} (first given at line {first})", key_node)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_str(self, node: ScalarNode) -> str:
        text = str(self.construct_scalar(node))
        if any("\ud800" <= c <= "\udfff" for c in text):
            # JSON spells characters beyond U+FFFF as two \u escapes (a surrogate pair); PyYAML keeps them apart,
            # and a lone one cannot be written as UTF-8 later: join the pairs, refuse the rest.
            try:
                text = text.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise YamlInputError("a string holds an invalid \\u escape (a lone surrogate)", node) from None
        return text

    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        return float(str(self.construct_scalar(node)).lower().replace(".inf", "inf").replace(".nan", "nan"))

    def construct_yaml_bool(self, node: ScalarNode) -> bool:
        return str(self.construct_scalar(node)).lower() == "true"


for _tag, _pattern, _first in (
    (_BOOL_TAG, _BOOL, "tTfF"),
    (_INT_TAG, _INT, "-+0123456789"),
    (_FLOAT_TAG, _FLOAT, "-+0123456789."),
    (_NULL_TAG, _NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), "<"),
):
    _Loader.add_implicit_resolver(_tag, _pattern, list(_first))
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor(_INT_TAG, _Loader.construct_yaml_int)
_Loader.add_constructor(_FLOAT_TAG, _Loader.construct_yaml_float)
_Loader.add_constructor(_BOOL_TAG, _Loader.construct_yaml_bool)


def _check_expanded(root: Node) -> None:
    """Refuse a node graph that, with aliases expanded, exceeds :data:`MAX_NODES` or :data:`MAX_DEPTH`, or that
    contains itself (a recursive alias). Iterative, memoised per node: linear in the composed document."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_NODES:
                raise YamlInputError(
                    f"the document expands to more than {MAX_NODES} values once its aliases are replaced "
                    "(an alias bomb?)",
                    node,
                )
            if depth[key] > MAX_DEPTH:
                raise YamlInputError(f"nested more than {MAX_DEPTH} levels deep once its aliases are replaced", node)
            continue
        if key in size:
            continue
        if key in open_:
            raise YamlInputError("an alias refers to a node that contains it (a recursive structure)", node)
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)
        for c in children:
            if id(c) in open_:
                raise YamlInputError("an alias refers to a node that contains it (a recursive structure)", c)


def load_yaml(text: str, origin: str) -> Any:
    """Parse one YAML document (see the module docstring); ``origin`` names it in messages ("file x.yaml").

    Raises
    ------
    InvalidConfigError
        Syntax errors (line and column), duplicate keys, more than one document, and documents beyond the
        bounds, each naming ``origin`` and the line.

    Examples
    --------
    >>> load_yaml("a: 2e0\\nb: 010\\nc: no\\nd: 1_000", "text")
    {'a': 2.0, 'b': 10, 'c': 'no', 'd': '1_000'}
    >>> load_yaml("a: 1\\na: 2", "text")
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidConfigError: text is not valid YAML: line 2: duplicate key 'a' (first given at line 1)
    """
    loader = None
    try:
        loader = _Loader(text)  # the reader refuses non-printable characters here
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expanded(node)
        return loader.construct_document(node)
    except YamlInputError as exc:
        raise InvalidConfigError(f"{origin} is not valid YAML: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = "" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}: "
        problem = shorten(exc.problem or exc.context or "malformed", 120)
        raise InvalidConfigError(f"{origin} is not valid YAML: {where}{problem}") from None
    except yaml.YAMLError as exc:
        raise InvalidConfigError(f"{origin} is not valid YAML: {shorten(str(exc), 120)}") from None
    finally:
        if loader is not None:
            loader.dispose()
