"""A deliberately small YAML dialect for content files.

PyYAML implements YAML 1.1, whose implicit typing turns the country code
``NO`` into ``False``, ``12:30`` into 750 and ``1.10`` into 1.1, and lets a
duplicated key silently win. Content files are edited by hand, so we keep
every scalar as a string and let the schema convert it, and we refuse the
features that only cause harm here: tags (``!!python/object`` …), anchors and
aliases (billion-laughs bombs) and duplicate keys.

``parse`` returns the plain data and a map from each value's path (a tuple of
keys and indexes) to its 1-based line and column, so later stages can point
at the exact line of a schema error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Location = tuple[int, int]  # (line, column), 1-based
KeyPath = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_NODES = 100_000  # no content file needs more; bounds memory and time


class YamlProblem(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class ParsedYaml:
    data: Any
    locations: dict[KeyPath, Location] = field(default_factory=dict)

    def locate(self, path: KeyPath) -> Location:
        """The location of ``path``, or of its nearest located ancestor."""
        while path not in self.locations and path:
            path = path[:-1]
        return self.locations.get(path, (1, 1))


class _Loader(yaml.SafeLoader):
    """Composes nodes but refuses tags, anchors and aliases up front."""

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem("aliases (*name) are not allowed in content", mark.line + 1, mark.column + 1)
        if getattr(event, "anchor", None):
            raise YamlProblem("anchors (&name) are not allowed in content", mark.line + 1, mark.column + 1)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise YamlProblem(f"tags such as {tag!r} are not allowed in content", mark.line + 1, mark.column + 1)
        return super().compose_node(parent, index)


def parse(text: str, first_line: int = 1) -> ParsedYaml:
    """Parse one YAML document of content. ``first_line`` offsets reported lines."""
    offset = first_line - 1
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except YamlProblem as problem:
        raise YamlProblem(problem.message, problem.line + offset, problem.column) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        column = mark.column + 1 if mark else 0
        message = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        raise YamlProblem(f"YAML syntax error: {message}", line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML error: {error}", first_line, 0) from None

    parsed = ParsedYaml(data=None)
    if node is None:
        parsed.data = {}
        return parsed
    counter = [0]
    parsed.data = _convert(node, (), parsed.locations, offset, counter)
    return parsed


def _convert(node: yaml.Node, path: KeyPath, locations: dict, offset: int, counter: list[int]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlProblem(f"more than {MAX_NODES} values in one file", node.start_mark.line + 1 + offset, 0)
    locations[path] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (index,), locations, offset, counter) for index, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        seen_at: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("keys must be plain text", line, key_node.start_mark.column + 1)
            key = key_node.value
            if key in seen_at:
                raise YamlProblem(f"duplicate key {key!r} (first at line {seen_at[key]})", line, key_node.start_mark.column + 1)
            seen_at[key] = line
            result[key] = _convert(value_node, path + (key,), locations, offset, counter)
        return result
    raise YamlProblem("unsupported YAML node", node.start_mark.line + 1 + offset, 0)  # pragma: no cover
