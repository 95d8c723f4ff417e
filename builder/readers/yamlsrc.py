"""Line-aware YAML loading: the first step of every reader, so each value knows its `file:line`.

Mappings load as `LDict` and sequences as `LList`; both remember the 1-based line where they
start and the line of each key or item, which is what located error messages need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import BuildError

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LDict(dict):
    """A dict that remembers where it and each of its keys stand in the source file."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Return the line of `key`, or the mapping's own line when the key is absent."""
        return self.key_lines.get(key, self.line)


class LList(list):
    """A list that remembers where it and each of its items stand in the source file."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """Return the line of item `index`, or the list's own line when out of range."""
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader whose mappings and sequences carry line numbers."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LDict:
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text: they are printed, never computed with, and text keeps them exact.
    return str(loader.construct_scalar(node))


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def read_source_text(path: Path, what: str = "file") -> str:
    """Return the UTF-8 text of a source file; raise a located BuildError when it cannot be read.

    `what` names the file in messages ("chart file", "data file", …).
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BuildError.at(path, 0, f"{what} not found") from None
    except UnicodeDecodeError as exc:
        raise BuildError.at(path, 0, f"{what} is not UTF-8 text ({exc.reason} at byte "
                                     f"{exc.start})") from None
    except OSError as exc:
        raise BuildError.at(path, 0, f"cannot read {what}: {exc.strerror}") from None


def load_yaml(path: Path) -> Any:
    """Return the parsed YAML file at `path`; raise BuildError with the located syntax error."""
    return load_yaml_text(read_source_text(path), path)


def load_yaml_text(text: str, path: Path) -> Any:
    """Return the parsed YAML `text` read from `path` (used for locations only)."""
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise BuildError.at(path, line, f"YAML syntax error: {problem}{context}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raw = exc.character
        char = raw if isinstance(raw, int) else ord(str(raw)[:1] or "?")
        raise BuildError.at(path, line, f"control character U+{char:04X} is not allowed in text",
                            hint="remove it; use a plain space or line break") from None
    except yaml.YAMLError as exc:
        raise BuildError.at(path, 0, f"YAML syntax error: {exc}") from None
