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

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Location = tuple[int, int]  # (line, column), 1-based
KeyPath = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_NODES = 100_000  # no content file needs more; bounds memory and time
# What the YAML reader refuses when typed, and HTML and XML cannot carry (a feed
# with U+001B does not parse): controls other than tab and line breaks, DEL,
# U+FFFE and U+FFFF. Escapes in quoted scalars ("\0", "\x1b") must not bring them in.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


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


# libyaml's C parser when PyYAML was built with it (3× faster); the same events either way.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, first_line: int = 1) -> ParsedYaml:
    """Parse one YAML document of content. ``first_line`` offsets reported lines.

    We compose the document from the parser's *events* ourselves, which is
    where the strict rules live: every scalar stays a string, and tags,
    anchors, aliases and duplicate keys are refused where they appear.
    """
    offset = first_line - 1
    parsed = ParsedYaml(data=None)
    loader = None
    try:
        loader = _Parser(text)  # the pure-Python reader checks for control characters here
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            parsed.data = {}
            return parsed
        loader.get_event()  # DocumentStart
        parsed.data = _compose(loader, (), parsed.locations, offset, [0])
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            mark = loader.peek_event().start_mark
            raise YamlProblem("only one YAML document is allowed here", mark.line + 1 + offset, mark.column + 1)
    except YamlProblem:
        raise
    except yaml.reader.ReaderError as error:
        # A control character (a paste from a word processor): locate it in the text.
        position = error.position
        line = text.count("\n", 0, position) + 1 + offset
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        raise YamlProblem(f"YAML error: unacceptable character #x{character:04x}: {error.reason}", line, column) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        column = mark.column + 1 if mark else 0
        message = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        raise YamlProblem(f"YAML syntax error: {message}", line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML error: {error}", first_line, 0) from None
    finally:
        if loader is not None:
            loader.dispose()
    return parsed


def _compose(loader, path: KeyPath, locations: dict, offset: int, counter: list[int]) -> Any:
    event = loader.get_event()
    mark = event.start_mark
    line, column = mark.line + 1 + offset, mark.column + 1
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlProblem(f"more than {MAX_NODES} values in one file", line, 0)
    if isinstance(event, yaml.AliasEvent):
        raise YamlProblem("aliases (*name) are not allowed in content", line, column)
    if getattr(event, "anchor", None):
        raise YamlProblem("anchors (&name) are not allowed in content", line, column)
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        raise YamlProblem(f"tags such as {tag!r} are not allowed in content", line, column)
    locations[path] = (line, column)
    if isinstance(event, yaml.ScalarEvent):
        _check_characters(event.value, line, column)
        if not event.style and event.value in _NULLS:  # plain style: None in PyYAML, "" in libyaml
            return None
        return event.value
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[Any] = []
        while not loader.check_event(yaml.SequenceEndEvent):
            items.append(_compose(loader, path + (len(items),), locations, offset, counter))
        loader.get_event()
        return items
    if isinstance(event, yaml.MappingStartEvent):
        result: dict[str, Any] = {}
        seen_at: dict[str, int] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            key_line, key_column = key_event.start_mark.line + 1 + offset, key_event.start_mark.column + 1
            if not isinstance(key_event, yaml.ScalarEvent) or getattr(key_event, "anchor", None) or getattr(key_event, "tag", None) not in (None, "!"):
                if isinstance(key_event, yaml.AliasEvent) or getattr(key_event, "anchor", None):
                    raise YamlProblem("anchors and aliases are not allowed in content", key_line, key_column)
                raise YamlProblem("keys must be plain text", key_line, key_column)
            loader.get_event()
            key = key_event.value
            _check_characters(key, key_line, key_column)
            if key in seen_at:
                raise YamlProblem(f"duplicate key {key!r} (first at line {seen_at[key]})", key_line, key_column)
            seen_at[key] = key_line
            result[key] = _compose(loader, path + (key,), locations, offset, counter)
        loader.get_event()
        return result
    raise YamlProblem("unsupported YAML", line, column)  # pragma: no cover


def _check_characters(value: str, line: int, column: int) -> None:
    found = CONTROL_CHARACTER.search(value)
    if found:
        raise YamlProblem(f"control character U+{ord(found.group()):04X} is not allowed in content", line, column)
