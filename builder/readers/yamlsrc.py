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


#: The largest source file a report may hold (content, data, chart or Markdown file).
MAX_SOURCE_BYTES = 32 * 1024 * 1024
#: How many values a YAML file may expand to through aliases, and how deep it may nest.
MAX_YAML_VALUES = 200_000
MAX_YAML_DEPTH = 120


def read_source_bytes(path: Path, what: str = "file", limit: int = MAX_SOURCE_BYTES) -> bytes:
    """Return the bytes of a source file, at most `limit`; raise a located BuildError."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise BuildError.at(path, 1, f"{what} not found") from None
    except IsADirectoryError:
        raise BuildError.at(path, 1, f"{what} is a folder, not a file") from None
    except OSError as exc:
        raise BuildError.at(path, 1, f"cannot read {what}: {exc.strerror}") from None
    if len(data) > limit:
        raise BuildError.at(path, 1, f"{what} is larger than {limit // (1024 * 1024)} MiB")
    return data


def decode_source(data: bytes, path: Path, what: str = "file") -> str:
    """Return `data` decoded as UTF-8 (a BOM is dropped); raise BuildError at the bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BuildError.at(path, line, f"{what} is not UTF-8 text ({exc.reason} at byte "
                                        f"{exc.start})",
                            hint="save the file as UTF-8") from None


def read_source_text(path: Path, what: str = "file") -> str:
    """Return the UTF-8 text of a source file; raise a located BuildError when it cannot be read.

    `what` names the file in messages ("chart file", "data file", …).
    """
    return decode_source(read_source_bytes(path, what), path, what)


def check_expansion(root: yaml.Node, path: Path) -> None:
    """Raise BuildError when aliases expand `root` past MAX_YAML_VALUES, or it nests too deep.

    Aliases share one node, so a few lines can stand for billions of values (an "alias bomb")
    that every later walk over the data would visit.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_YAML_DEPTH:
            raise BuildError.at(path, node.start_mark.line + 1,
                                f"the YAML nests more than {MAX_YAML_DEPTH} levels deep")
        known = sizes.get(id(node))
        if known is not None:
            if known < 0:
                raise BuildError.at(path, node.start_mark.line + 1, "a YAML alias refers to "
                                                                    "itself")
            return known
        sizes[id(node)] = -1
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_YAML_VALUES:
            raise BuildError.at(path, node.start_mark.line + 1,
                                f"YAML aliases expand to more than {MAX_YAML_VALUES:,} values",
                                hint="write the values out, or use fewer nested aliases")
        sizes[id(node)] = total
        return total

    size(root, 0)


def load_yaml(path: Path) -> Any:
    """Return the parsed YAML file at `path`; raise BuildError with the located syntax error."""
    return load_yaml_text(read_source_text(path), path)


def load_yaml_text(text: str, path: Path) -> Any:
    """Return the parsed YAML `text` read from `path` (used for locations only)."""
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node, path)
        return loader.construct_document(node)
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
        raise BuildError.at(path, 1, f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()
