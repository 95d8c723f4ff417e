"""The jinja2 sandbox that content templates run in: plain values, an allow-list, hard limits.

Content files may come from people the build machine should not trust, so a template must not
reach any Python object's attributes or methods, call anything but `range`, or exhaust memory
or time. Four layers, each enough on its own for the attacks it covers:

1. Values: templates see plain values only — mappings, lists, strings, numbers — and data
   tables as `TemplateTable`, a row lookup with no attributes (never the reader's objects).
2. Syntax: `check_syntax()` refuses macros, call blocks, imports, includes, template
   inheritance, recursive loops and namespaces before a template is compiled.
3. Access: attribute access works on mappings only (as key lookup) and on a few `loop`
   fields; item access works on containers only; the only callable is `range`; filters come
   from an allow-list.
4. Budget: every loop iteration, `range()` element and filter input is charged to a per-render
   budget, every intermediate string, list or integer is size-checked, and the output is
   counted as it is produced, so a loop bomb or a doubling trick ends as a located error.
"""

from __future__ import annotations

import contextvars
import math
import operator
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

#: Units of work one text may spend (loop iterations, range elements, filter inputs).
MAX_WORK = 1_000_000
#: The longest string or list any single operation may produce.
MAX_VALUE_LEN = 1_000_000
#: The longest output one text may render to (a text longer than this may still be plain).
MAX_OUTPUT_LEN = 2_000_000
#: The largest integer a template may compute, in bits (about 1,200 decimal digits).
MAX_INT_BITS = 4_096
#: Wall-clock seconds one text may take to render.
MAX_SECONDS = 5.0

#: Template syntax that has no place in a sentence of a report and opens the door to recursion,
#: file access (include/import/extends) or shared mutable state (namespace).
_REFUSED_NODES: dict[type[nodes.Node], str] = {
    nodes.Macro: "macros",
    nodes.CallBlock: "call blocks",
    nodes.Import: "imports",
    nodes.FromImport: "imports",
    nodes.Include: "includes",
    nodes.Extends: "template inheritance",
    nodes.Block: "blocks",
    nodes.NSRef: "namespaces",
    nodes.ExprStmt: "expression statements",
    # These two capture rendered output into a value, out of reach of the output counter.
    nodes.AssignBlock: "set blocks",
    nodes.FilterBlock: "filter blocks",
}

#: `loop` fields a template may read.
_LOOP_FIELDS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last",
                          "length", "depth", "depth0", "previtem", "nextitem"})

#: jinja2's own filters that are pure and bounded once their input is charged and their result
#: is size-checked. Left out on purpose: attr, format, center, indent, wordwrap, xmlattr,
#: urlize, pprint, tojson, random (not repeatable), safe/escape, batch/slice (fill values),
#: filesizeformat, striptags, urlencode.
_JINJA_FILTERS = ("abs", "capitalize", "count", "d", "default", "dictsort", "first", "float",
                  "groupby", "int", "items", "join", "last", "length", "list", "lower", "map",
                  "max", "min", "reject", "rejectattr", "reverse", "round", "select",
                  "selectattr", "sort", "string", "sum", "title", "trim", "truncate", "unique",
                  "upper", "wordcount")


class TemplateTable(Sequence):
    """A data table as templates see it: rows in order, or one row by its key (`t[2032]`).

    Rows are plain dicts of numbers and strings. The table has no attributes a template can
    reach: the sandbox resolves `t.x` on mappings only, and this is not a mapping.
    """

    def __init__(self, name: str, rows: Sequence[Mapping[str, Any]],
                 lookup: Callable[[Any], Mapping[str, Any]]) -> None:
        self._name = name
        self._rows = tuple(dict(row) for row in rows)
        self._lookup = lookup

    def __getitem__(self, key: Any) -> Any:
        return self._lookup(key)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"<data table {self._name}>"


class _Budget:
    """The work, and the deadline, left to the text being rendered."""

    def __init__(self) -> None:
        self.work = MAX_WORK
        self.deadline = time.monotonic() + MAX_SECONDS

    def charge(self, units: int) -> None:
        self.work -= units
        if self.work < 0:
            raise SecurityError(f"the template does more than {MAX_WORK:,} steps of work")
        if time.monotonic() > self.deadline:
            raise SecurityError(f"the template takes longer than {MAX_SECONDS:g} s to render")


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar("template_budget")


def _charge(units: int) -> None:
    budget = _budget.get(None)
    if budget is not None:
        budget.charge(units)


def _size(value: Any) -> int:
    try:
        return max(1, len(value))
    except TypeError:
        return 1


def checked(value: Any) -> Any:
    """Return `value` when it is within the size limits; raise SecurityError otherwise."""
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_VALUE_LEN:
        raise SecurityError(f"the template builds a value longer than {MAX_VALUE_LEN:,}")
    if isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() > MAX_INT_BITS:
        raise SecurityError("the template computes a number too large to print")
    return value


def _bounded_range(*args: int) -> range:
    """Return range(*args), charging its length to the budget."""
    result = range(*args)
    if len(result) > MAX_VALUE_LEN:
        raise SecurityError(f"range() is limited to {MAX_VALUE_LEN:,} elements")
    _charge(len(result))
    return result


def _charged_loop(iterable: Any) -> Iterator[Any]:
    """Yield the items of a loop, charging one unit each."""
    for item in iterable:
        _charge(1)
        yield item


def _charged_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    """Return `func` charging the size of its input, and checking the size of its output."""

    def run(*args: Any, **kwargs: Any) -> Any:
        # jinja2 passes the environment or context first to some filters: charge the value.
        value = next((a for a in args if not isinstance(a, jinja2.Environment
                                                        | jinja2.runtime.Context)), None)
        _charge(_size(value))
        result = func(*args, **kwargs)
        if isinstance(result, Iterator):
            result = list(result)
        return checked(result)

    # Keep jinja2's pass_environment / pass_context markers on the wrapper.
    for marker in ("jinja_pass_arg",):
        if hasattr(func, marker):
            setattr(run, marker, getattr(func, marker))
    return run


def _replace(value: str, old: str, new: str, count: int | None = None) -> str:
    """Return str.replace, refused before it starts when the result would be too long."""
    value, old, new = str(value), str(old), str(new)
    hits = value.count(old) if old else len(value) + 1
    if count is not None:
        hits = min(hits, max(0, count))
    if len(value) + hits * (len(new) - len(old)) > MAX_VALUE_LEN:
        raise SecurityError(f"replace() would build a value longer than {MAX_VALUE_LEN:,}")
    return value.replace(old, new, -1 if count is None else count)


def _pow(base: Any, exponent: Any) -> Any:
    """Return base ** exponent, refused before it starts when the result would be huge."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if abs(base).bit_length() * exponent > MAX_INT_BITS:
            raise SecurityError("the template computes a number too large to print")
    return base ** exponent


def _mul(left: Any, right: Any) -> Any:
    """Return left * right, refused before it starts when a repeated string would be too long."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int) \
                and len(seq) * max(times, 0) > MAX_VALUE_LEN:
            raise SecurityError(f"the template builds a value longer than {MAX_VALUE_LEN:,}")
    return left * right


def _mod(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise SecurityError("'%' formatting of strings is not available in templates; "
                            "use the number filters")
    return left % right


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": _mul, "/": operator.truediv,
    "//": operator.floordiv, "%": _mod, "**": _pow,
}


# What a marked template (`compile_checked(mark=True)`) sets around each expression's output:
# private-use characters no font of a theme covers, so content can never contain them.
GENERATED_OPEN = "\ue000"
GENERATED_CLOSE = "\ue001"


class ReportSandbox(ImmutableSandboxedEnvironment):
    """A sandboxed environment for content templates (see the module docstring)."""

    intercepted_binops = frozenset(_BINOPS)

    def __init__(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False,
                         keep_trailing_newline=False)
        self.globals = {"range": _bounded_range}
        allowed = {name: jinja_filters.FILTERS[name] for name in _JINJA_FILTERS}
        allowed["replace"] = _replace
        allowed.update(filters)
        self.filters = {name: _charged_filter(func) for name, func in allowed.items()}
        self.filters["_loop"] = _charged_loop
        self.filters["_checked"] = checked
        self.filters["_generated"] = lambda value: f"{GENERATED_OPEN}{value}{GENERATED_CLOSE}"

    # -- access -------------------------------------------------------------------------------
    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return `obj[attribute]` for a mapping or a loop field; nothing else has attributes."""
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, LoopContext) and attribute in _LOOP_FIELDS:
            return getattr(obj, attribute)
        if isinstance(obj, jinja2.Undefined):
            obj._fail_with_undefined_error()  # names what is undefined: "'market' is undefined"
        raise SecurityError(f"{type(obj).__name__} values have no attribute {attribute!r} in "
                            f"templates")

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Return `obj[argument]` for containers; never an attribute behind a key."""
        if isinstance(argument, slice):
            _charge(_size(obj))
        if isinstance(obj, Mapping | TemplateTable | list | tuple | str | range):
            try:
                return obj[argument]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=argument)
        if isinstance(obj, jinja2.Undefined):
            obj._fail_with_undefined_error()
        raise SecurityError(f"{type(obj).__name__} values cannot be indexed in templates")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Call `__obj` when it is `range`; nothing else can be called from a template."""
        if __obj is not _bounded_range:
            raise SecurityError("only range() can be called in templates")
        # jinja2 passes its scope bookkeeping to every call made inside a loop or block.
        kwargs.pop("_loop_vars", None)
        kwargs.pop("_block_vars", None)
        return __obj(*args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Return `left operator right`, size-checked."""
        return checked(_BINOPS[operator](left, right))

    # -- syntax -------------------------------------------------------------------------------
    def compile_checked(self, source: str, mark: bool = False) -> jinja2.Template:
        """Return `source` compiled after `check_syntax()` and the budget rewrites.

        With `mark`, what each `{{ … }}` prints is set between GENERATED_OPEN and
        GENERATED_CLOSE, so the text can tell generated parts from written ones.
        """
        tree = self.parse(source)
        check_syntax(tree)
        _rewrite(tree)
        if mark:
            for output in tree.find_all(nodes.Output):
                output.nodes = [node if isinstance(node, nodes.TemplateData) else
                                nodes.Filter(node, "_generated", [], [], None, None,
                                             lineno=node.lineno) for node in output.nodes]
        return self.from_string(tree)  # type: ignore[arg-type]

    def render(self, template: jinja2.Template, values: Mapping[str, Any]) -> str:
        """Return `template` rendered with `values`, within the budget and the output limit."""
        token = _budget.set(_Budget())
        try:
            parts: list[str] = []
            total = 0
            for part in template.generate(dict(values)):
                total += len(part)
                if total > MAX_OUTPUT_LEN:
                    raise SecurityError(f"the template renders more than {MAX_OUTPUT_LEN:,} "
                                        f"characters")
                parts.append(part)
            return "".join(parts)
        finally:
            _budget.reset(token)


def check_syntax(tree: nodes.Template) -> None:
    """Raise TemplateSyntaxError at the line of the first construct templates may not use."""
    for node in tree.find_all(nodes.Node):
        what = _REFUSED_NODES.get(type(node))
        if what is None and isinstance(node, nodes.For) and node.recursive:
            what = "recursive loops"
        if isinstance(node, nodes.Const) and isinstance(node.value, float) \
                and not math.isfinite(node.value):
            raise jinja2.TemplateSyntaxError(f"the number {node.value} is out of range",
                                             node.lineno)
        if what is not None:
            raise jinja2.TemplateSyntaxError(f"{what} cannot be used in report templates",
                                             node.lineno)


def _rewrite(tree: nodes.Template) -> None:
    """Charge every loop iteration and size-check every `~` concatenation (in place)."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_loop", [], [], None, None, lineno=loop.lineno)
    for parent in list(tree.find_all(nodes.Node)):
        for field in parent.fields:
            child = getattr(parent, field)
            if isinstance(child, nodes.Concat):
                setattr(parent, field, _checked(child))
            elif isinstance(child, list):
                setattr(parent, field, [_checked(c) if isinstance(c, nodes.Concat) else c
                                        for c in child])


def _checked(node: nodes.Expr) -> nodes.Expr:
    return nodes.Filter(node, "_checked", [], [], None, None, lineno=node.lineno)
