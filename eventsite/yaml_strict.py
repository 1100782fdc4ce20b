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
    # Problems that did not stop the parse (a key written twice: the first one counts), so the
    # rest of the file is still checked.
    problems: list[YamlProblem] = field(default_factory=list)

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
        parsed.data = _compose(loader, (), parsed.locations, offset, [0], parsed.problems)
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
        message, mark = explain(error, text)
        line = (mark.line + 1 if mark else 1) + offset
        column = mark.column + 1 if mark else 0
        raise YamlProblem(message, line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML error: {error}", first_line, 0) from None
    finally:
        if loader is not None:
            loader.dispose()
    return parsed


def _compose(loader, path: KeyPath, locations: dict, offset: int, counter: list[int], problems: list[YamlProblem]) -> Any:
    event = loader.get_event()
    mark = event.start_mark
    line, column = mark.line + 1 + offset, mark.column + 1
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlProblem(f"more than {MAX_NODES} values in one file", line, 0)
    # Refused outright (nothing an editor types by mistake: bombs and object constructors).
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
            items.append(_compose(loader, path + (len(items),), locations, offset, counter, problems))
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
                problems.append(
                    YamlProblem(f"{key!r} is written twice (first at line {seen_at[key]}): keep one", key_line, key_column)
                )
                _compose(loader, path + (key,), {}, offset, counter, problems)  # read past it; the first one counts
                continue
            seen_at[key] = key_line
            result[key] = _compose(loader, path + (key,), locations, offset, counter, problems)
        loader.get_event()
        return result
    raise YamlProblem("unsupported YAML", line, column)  # pragma: no cover


def _check_characters(value: str, line: int, column: int) -> None:
    found = CONTROL_CHARACTER.search(value)
    if found:
        raise YamlProblem(f"control character U+{ord(found.group()):04X} is not allowed in content", line, column)


def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[str, Any]:
    """A YAML parser error in words an editor understands, and where it really is.

    PyYAML names its own states ("while parsing a block mapping") and often
    notices a mistake a line late (a key without ':' is found wrong when the
    next line starts); the mark returned is the line to fix.
    """
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    line_text = _line(text, mark.line) if mark else ""
    if "tab" in problem or "'\\t'" in problem:
        return "a tab character: indent with spaces only (YAML does not allow tabs)", mark
    if "mapping values are not allowed" in problem:
        head = line_text[: mark.column] if mark else ""
        if ":" in head.strip().split("#")[0][:-1]:
            return (
                "a ': ' inside a value: put the whole value in double quotes, "
                'e.g. title: "Session 1: Opening"'
            ), mark
        return "this line is indented more than the line above it: indent each key like its neighbours", mark
    if "could not find expected ':'" in problem:
        return "expected 'key: value' here: is the ':' after the key missing?", error.context_mark or mark
    if "quoted scalar" in context and "end of stream" in problem:
        return 'a quoted text starts here and is never closed: add the closing quote (")', error.context_mark or mark
    if "unknown escape character" in problem:
        return (
            'an unknown escape (\\ followed by a letter) in a double-quoted text: write \\\\ for a backslash, '
            "or use single quotes"
        ), mark
    if "flow sequence" in context:
        return "a list in [brackets] opened here is not closed with ']' (or an item lacks its ',')", error.context_mark or mark
    if "flow mapping" in context:
        return "a mapping in {braces} opened here is not closed with '}' (or an entry lacks its ',')", error.context_mark or mark
    if "block mapping" in context or "expected <block end>" in problem:
        return "this line is not indented like the keys above it: use the same number of spaces as its neighbours", mark
    if "block collection" in context or "'-' indicator" in problem:
        return "the items of a list must all start with '- ' at the same indentation", mark
    if "found undefined alias" in problem or "found unexpected" in problem and "*" in line_text:
        return "a '*' at the start of a value: put the value in quotes", mark
    plain = " ".join(part for part in (context, problem) if part) or "invalid YAML"
    return f"not valid YAML: {plain}", mark


def _line(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""
