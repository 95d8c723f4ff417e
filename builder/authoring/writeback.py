"""Write translations back into a report's YAML files, touching only the translated values.

Part of the translation workflow (used by `i18n import`). Each text is found by its structural
path in the YAML node tree (`yaml.compose` keeps exact character offsets), and only that value is
replaced, or a `lang:` key inserted after the source text. Everything else in the file, comments,
quoting, flow or block style and key order, stays byte for byte as it was. (ruamel.yaml's round
trip re-indents nested sequences such as table rows, so a no-op rewrite already shows a diff.)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from builder.diagnostics import BuildError
from builder.i18n.texts import Steps, TextRef
from builder.output import write_atomic
from builder.readers.yamlsrc import load_yaml_text

Splice = tuple[int, int, str]


def format_scalar(value: str, flow: bool) -> str:
    """Return `value` as a one-line YAML scalar for a block (`flow=False`) or flow mapping."""
    # Plain when YAML allows it, else double quotes (the style the content files use).
    style = None
    if "\n" in value or _needs_quotes(value, flow):
        style = "'" if '"' in value and "\n" not in value else '"'
    if flow:
        dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True,
                                width=10**9, default_style=style)
        return dumped.strip()[1:-1]
    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=10**9, default_style=style)
    body = dumped.rstrip("\n")
    return body.split(": ", 1)[1] if style is None else body[len("'k': "):]


def _needs_quotes(value: str, flow: bool) -> bool:
    if flow:
        plain = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9)
        return not plain.startswith("[") or plain[1] in "'\""
    plain = yaml.safe_dump({"k": value}, allow_unicode=True, width=10**9)
    return plain[3:4] in "'\""


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(step, int):
        if isinstance(node, yaml.SequenceNode) and 0 <= step < len(node.value):
            return node.value[step]
        return None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value
    return None


def _splice(text: str, node: yaml.MappingNode, source: str, lang: str, value: str) -> Splice:
    """Return the edit that sets `lang: value` in the mapping `node` of `text`."""
    flow = bool(node.flow_style)
    shown = format_scalar(value, flow)
    pairs = {key.value: (key, val) for key, val in node.value
             if isinstance(key, yaml.ScalarNode)}
    if lang in pairs:
        _, old = pairs[lang]
        start, end = old.start_mark.index, old.end_mark.index
        original = text[start:end]
        trail = original[len(original.rstrip()):]
        return start, end, shown + trail
    src_key, src_value = pairs[source]
    start, end = src_value.start_mark.index, src_value.end_mark.index
    content_end = start + len(text[start:end].rstrip())
    if flow:
        return content_end, content_end, f", {lang}: {shown}"
    line_end = text.find("\n", content_end)
    line_end = len(text) if line_end < 0 else line_end
    indent = " " * src_key.start_mark.column
    return line_end, line_end, f"\n{indent}{lang}: {shown}"


def write_translations(refs: Mapping[str, TextRef], source: str, lang: str,
                       values: Mapping[str, str]) -> list[Path]:
    """Set the `lang` text of each address in `values`; return the files that changed.

    `refs` maps addresses to texts (from `iter_texts`). Every new file is parsed again before
    anything is written, so a failed import leaves the content untouched.
    """
    by_file: dict[Path, list[tuple[str, Steps]]] = {}
    for key in values:
        by_file.setdefault(refs[key].file, []).append((key, refs[key].steps))
    new_texts: dict[Path, str] = {}
    for file, entries in by_file.items():
        text = file.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        splices: list[Splice] = []
        for key, steps in entries:
            node: yaml.Node | None = root
            for step in steps:
                node = _child(node, step) if node is not None else None
            if not isinstance(node, yaml.MappingNode) or _child(node, source) is None:
                line = refs[key].text.loc.line
                raise BuildError.at(file, line, f"cannot find the {source} text of "
                                                f"{refs[key].what} to translate")
            splices.append(_splice(text, node, source, lang, values[key]))
        for start, end, new in sorted(splices, reverse=True):
            text = text[:start] + new + text[end:]
        load_yaml_text(text, file)  # raises BuildError (located) if the edit broke the file
        new_texts[file] = text
    changed = []
    for file, text in new_texts.items():
        if text != file.read_text(encoding="utf-8"):
            write_atomic(file, text.encode("utf-8"))
            changed.append(file)
    return changed
