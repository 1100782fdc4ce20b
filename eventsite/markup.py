"""Markdown bodies to safe HTML.

Python-Markdown does not sanitize: it passes raw ``<script>`` through and
emits ``href="javascript:…"``. Every body therefore goes through nh3 (the
Ammonia sanitizer) with an allow-list, and we report what was removed so the
editor learns about it from ``check`` instead of from a silently changed page.
Site-relative links (``/sessions/opening/``) are resolved against the planned
routes and rewritten relative to the page, so they work under any base path.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

import lxml
import nh3

from . import markdown_subset, plaintext
from .cache import DiskCache

if TYPE_CHECKING:
    import markdown

    from .python_markdown import LinkState

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "ol": {"start"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Embeds are allowed only from these hosts (video players that honour privacy).
IFRAME_HOSTS = {"www.youtube-nocookie.com", "player.vimeo.com"}

LinkResolver = markdown_subset.LinkResolver
# A site-relative link target and the recorder of the facts its resolution read → a relative URL, or None.
FactResolver = Callable[[str, "FactRecorder"], "str | None"]


@dataclass
class Rendered:
    html: str
    unresolved_links: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Site links with a #fragment, as written and as resolved: the build checks the target has that id.
    anchored: list[tuple[str, str]] = field(default_factory=list)


def slugify(value: str, separator: str = "-") -> str:
    """Heading ids that keep letters *and combining marks* of every script.

    Python-Markdown's ``slugify_unicode`` drops Thai, Khmer and Burmese vowel
    signs (category M), which turns distinct words into the same id.
    """
    value = unicodedata.normalize("NFC", value).strip().lower()
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category[0] in ("L", "M", "N"):
            kept.append(char)
        elif char in "-_" or category[0] in ("Z", "P", "S"):
            kept.append(" ")
    return separator.join("".join(kept).split()) or "section"


class MarkdownRenderer:
    """One reusable Markdown converter (building one costs more than a page)."""

    def __init__(self) -> None:
        # Made when a body outside the subset first needs it: most builds never do (eventsite/python_markdown.py).
        self._python_markdown: tuple[markdown.Markdown, LinkState] | None = None

    def _full_converter(self) -> tuple[markdown.Markdown, LinkState]:
        if self._python_markdown is None:
            from .python_markdown import LinkState, converter

            state = LinkState()
            self._python_markdown = converter(state, slugify), state
        return self._python_markdown

    def render(self, text: str, resolve: LinkResolver | None = None) -> Rendered:
        check_complexity(text)
        # Most bodies are in the subset markdown_subset converts ten times faster, to the same HTML.
        quick = markdown_subset.convert(text, slugify, resolve)
        if quick is not None:
            raw_html, unresolved, anchored = quick.html, quick.unresolved_links, quick.anchored
        else:
            converter, state = self._full_converter()
            state.resolve = resolve
            state.unresolved = []
            state.anchored = []
            try:
                raw_html = converter.reset().convert(text)
            except RecursionError:
                # The converter is left mid-way (its parser's state stacked up): later bodies came out as plain text.
                self._python_markdown = None
                raise TooComplex(0, "Markdown nested too deeply, or a list too long, to convert: split it") from None
            finally:
                state.resolve = None
            check_converted_nesting(raw_html)
            unresolved, anchored = list(state.unresolved), list(state.anchored)
        removed = find_unsafe(raw_html) if might_be_unsafe(text) else []
        return Rendered(sanitize(raw_html), unresolved, removed, anchored)


class FactRecorder:
    """The link facts ('route:/en/x/', 'media:a.pdf') one conversion read."""

    def __init__(self) -> None:
        self.facts: set[str] = set()

    def record_fact(self, fact: str) -> None:
        self.facts.add(fact)


class Conversions:
    """Markdown bodies converted once per build (and across builds through a disk cache).

    Relative links from /th/sessions/x/ and /en/sessions/x/ are the same
    strings, so a body converts once for every language that shows it: the
    key is the text and the page's path below the language. A disk cache
    entry counts only if every link fact it was made with still holds.
    """

    def __init__(self, disk_cache: DiskCache | None = None) -> None:
        self.renderer = MarkdownRenderer()
        self.memo: dict[tuple[str, str], tuple[Rendered, frozenset[str]]] = {}
        self.plain: dict[str, str] = {}  # Markdown source → plain text (calendars)
        self.disk_cache = disk_cache

    def convert(
        self, text: str, where: str, resolve: FactResolver, fact_holds: Callable[[str], bool]
    ) -> tuple[Rendered, frozenset[str]]:
        """The conversion of ``text`` on pages at ``where``, and the link facts it depends on; raises TooComplex."""
        key = (text, where)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._convert(text, where, resolve, fact_holds)
        return found

    def _convert(
        self, text: str, where: str, resolve: FactResolver, fact_holds: Callable[[str], bool]
    ) -> tuple[Rendered, frozenset[str]]:
        cache = self.disk_cache
        key = cache.key(text, where) if cache is not None else ""
        entry = cache.get(key) if cache is not None else None
        if isinstance(entry, dict) and all(fact_holds(fact) == held for fact, held in entry.get("facts", [])):
            anchored = [(target, resolved) for target, resolved in entry.get("anchored", [])]
            rendered = Rendered(entry["html"], list(entry["unresolved"]), list(entry["removed"]), anchored)
            return rendered, frozenset(fact for fact, _ in entry["facts"])
        facts = FactRecorder()
        rendered = self.renderer.render(text, lambda target: resolve(target, facts))
        if cache is not None:
            held = sorted((fact, fact_holds(fact)) for fact in facts.facts)
            cache.put(key, {
                "html": rendered.html, "unresolved": rendered.unresolved_links, "removed": rendered.removed,
                "anchored": rendered.anchored, "facts": held,
            })
        return rendered, frozenset(facts.facts)

    def plain_text(self, source: str) -> str:
        """``source`` as plain text (eventsite/plaintext.py), kept in the disk cache too.

        Every calendar event's DESCRIPTION is one: without the cache a rebuild of
        the programme calendars converted every programme item's body again (16 s of a
        one-edit rebuild at 10 languages × 300 sessions).
        """
        found = self.plain.get(source)
        if found is None:
            # The same body in every language, with that language's link targets: converted once.
            neutral, targets = plaintext.without_targets(source)
            found = self.plain[source] = plaintext.with_targets(self._plain_text(neutral), targets)
        return found

    def _plain_text(self, source: str) -> str:
        found = self.plain.get(source)
        if found is not None:
            return found
        cache = self.disk_cache
        key = cache.key("plain-text", plaintext.VERSION, lxml.__version__, source) if cache is not None else ""
        cached = cache.get(key) if cache is not None else None
        if isinstance(cached, str):
            found = cached
        else:
            found = plaintext.markdown_to_text(source)
            if cache is not None:
                cache.put(key, found)
        self.plain[source] = found
        return found


def plain_text_version() -> str:
    """What besides the source decides :meth:`Conversions.plain_text` (the Markdown version is in every cache key)."""
    return f"{plaintext.VERSION};{lxml.__version__}"


# --- input Python-Markdown cannot convert in reasonable time -----------------------
#
# Python-Markdown scans from every '[' to its matching ']' (or the end of the
# paragraph), from every '](' to its ')', from every run of backticks to the
# next run as long, and Python's HTML parser from every '<tag' to the next
# '>': on hostile input ('[' * 20000, '<a ' * 10000) that
# is quadratic, minutes for a few kilobytes (Python-Markdown#1130, #1617).
# Heading ids are made unique by rescanning the earlier ones, abbreviations
# are searched for one by one, and nesting recurses. These limits are
# deterministic (a file fails on every machine or on none), hundreds of times
# what real pages use, and keep any body's conversion around a second.
MAX_SCAN = 1_000_000  # characters scanned from '[', '](', '`' and '<tag' (see _scan_work)
MAX_HEADINGS = 1_000
MAX_ABBREVIATION_WORK = 8_000_000  # abbreviations × characters of the body
MAX_NESTING = 100  # levels of lists and quotes in front of one line


class TooComplex(Exception):
    """A body Python-Markdown would take too long (or recurse too deep) to convert."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line  # 0-based, within the body
        self.message = message


_SCAN_CHARS = re.compile(r"\n[ \t]*\n|[][()>]|<[A-Za-z]|`+")
_HEADING = re.compile(r"^ {0,3}(?:#|=+[ \t]*$|-+[ \t]*$)", re.MULTILINE)
_ABBREVIATION = re.compile(r"^ {0,3}\*\[", re.MULTILINE)
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-.)0-9:]{%d,}" % MAX_NESTING, re.MULTILINE)
_LIST_MARKER = re.compile(r"(?:^|(?<=[ \t>]))(?:[-*+:]|\d+[.)])(?=[ \t])")


# The containers Python-Markdown makes and always closes. Terms and definitions written one after the other
# without blank lines ("a\n: b\na\n: b") nest a list in each definition: 1,600 of them made a page ~450 levels
# deep with Markdown 3.11.4 (it stops nesting near the recursion limit); earlier versions overflowed the stack.
_CONTAINER_TAG = re.compile(r"<(/?)(?:dl|dd|ul|ol|li|blockquote)\b", re.IGNORECASE)


def check_converted_nesting(html: str) -> None:
    """Raise :class:`TooComplex` when Python-Markdown's HTML nests lists, definitions or quotes too deep
    (what check_complexity cannot see in the source: definition lists nest without indenting)."""
    if html.count("<dd") + html.count("<blockquote") + html.count("<li") < MAX_NESTING:
        return  # cannot be too deep (a list nests only inside a dd, an li or a quote): the common case, no scan
    depth = deepest = 0
    for match in _CONTAINER_TAG.finditer(html):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    # Two container tags per level of a list (ul and li, dl and dd).
    if deepest > 2 * MAX_NESTING:
        raise TooComplex(0, f"Markdown nested too deeply to convert: lists, quotes or definitions {deepest // 2} deep, "
                            f"the limit is {MAX_NESTING} (a definition needs a blank line before the next term)")


def check_complexity(text: str) -> None:
    """Raise :class:`TooComplex` for input on which Python-Markdown is quadratic or recursive."""
    work, at = _scan_work(text)
    if work > MAX_SCAN:
        raise TooComplex(
            text.count("\n", 0, at),
            f"Markdown too complex to convert ({work} characters to scan from unclosed '[', '(', '`' or '<'; "
            f"the limit is {MAX_SCAN}): close them or write them as \\[ and &lt;",
        )
    headings = _HEADING.findall(text)
    if len(headings) > MAX_HEADINGS:
        raise TooComplex(0, f"{len(headings)} headings; the limit is {MAX_HEADINGS}: split the page")
    abbreviations = len(_ABBREVIATION.findall(text))
    if abbreviations * len(text) > MAX_ABBREVIATION_WORK:
        raise TooComplex(0, f"{abbreviations} abbreviations are too many for a body of {len(text)} characters")
    for match in _DEEP_PREFIX.finditer(text):
        prefix = match.group().expandtabs(4)
        markers = prefix.count(">") + len(_LIST_MARKER.findall(prefix))
        depth = markers + max(0, prefix.count(" ") - markers) // 4  # each marker's own space is no indentation
        if depth > MAX_NESTING:
            raise TooComplex(
                text.count("\n", 0, match.start()), f"lists or quotes nested {depth} deep; the limit is {MAX_NESTING}"
            )


def _scan_work(text: str) -> tuple[int, int]:
    """How many characters the scans from '[', '](', '<tag' and '`' read, and where the longest starts.

    Linear in the text: brackets and backtick runs of one length pair up
    within a paragraph, a '<tag' scans to the next '>' anywhere in the text.
    """
    work = longest = at = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # (position, opens a link target)
    tags: list[int] = []
    ticks: dict[int, int] = {}  # backtick runs waiting for a run as long: length → position

    def scanned(start: int, end: int) -> None:
        nonlocal work, longest, at
        work += end - start
        if end - start > longest:
            longest, at = end - start, start

    for match in _SCAN_CHARS.finditer(text):
        char, position = match.group()[0], match.start()
        if char == "[":
            brackets.append(position)
        elif char == "]":
            if brackets:
                scanned(brackets.pop(), position)
        elif char == "(":
            parens.append((position, position > 0 and text[position - 1] == "]"))
        elif char == ")":
            if parens:
                start, is_link = parens.pop()
                if is_link:
                    scanned(start, position)
        elif char == "<":
            tags.append(position)
        elif char == "`":
            if len(match.group()) in ticks:
                scanned(ticks.pop(len(match.group())), position)
            else:
                ticks[len(match.group())] = position
        elif char == ">":
            for start in tags:
                scanned(start, position)
            tags.clear()
        else:  # a blank line ends the paragraph: unclosed '[' and '](' scanned to here
            for start in brackets:
                scanned(start, position)
            for start, is_link in parens:
                if is_link:
                    scanned(start, position)
            for start in ticks.values():
                scanned(start, position)
            brackets.clear()
            parens.clear()
            ticks.clear()
        if work > MAX_SCAN:
            break
    for start in brackets + [start for start, is_link in parens if is_link] + tags + list(ticks.values()):
        scanned(start, len(text))
    return work, at


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if urlsplit(value).hostname in IFRAME_HOSTS and value.startswith("https://") else None
    return value


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
    )


def sanitize(html: str) -> str:
    # Some mis-nested input (e.g. '<dt><table><dt>') is serialized by html5ever into HTML that
    # parses to a different tree; clean again until stable, so browsers parse what was approved.
    cleaned = _clean(html)
    for _ in range(8):
        again = _clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


class _UnsafeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}> element")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in attrs:
            if name not in allowed:
                self.found.append(f"{name}= attribute on <{tag}>")
            elif name in ("href", "src") and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self.found.append(f"{scheme}: URL in <{tag} {name}>")
                elif tag == "iframe" and _filter_attribute(tag, name, value) is None:
                    self.found.append(f"<iframe> from a host not on the allow-list ({urlsplit(value).hostname})")


# A link target with a scheme other than the safe ones, as Markdown writes it.
_SCHEMED_LINK = re.compile(r"\]\(\s*<?(?!(?:https?|mailto|tel):)[A-Za-z][A-Za-z0-9+.-]*:|\]:\s*<?(?!(?:https?|mailto|tel):)[A-Za-z][A-Za-z0-9+.-]*:")


def might_be_unsafe(markdown_text: str) -> bool:
    """Cheap pre-check: only raw HTML or an odd link scheme can produce anything to remove.

    Parsing every converted body again just to report removals cost a third
    of the Markdown time on pages without any HTML.
    """
    return "<" in markdown_text or "&" in markdown_text or bool(_SCHEMED_LINK.search(markdown_text))


def find_unsafe(html: str) -> list[str]:
    """What :func:`sanitize` will remove, in words an editor understands."""
    if "<" not in html:
        return []
    finder = _UnsafeFinder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


def locate_in_body(body: str, needle: str, first_line: int) -> int:
    """The file line of the first occurrence of ``needle`` in a body (or its first line)."""
    index = body.find(needle)
    if index < 0:
        match = re.search(re.escape(needle.split("=")[0].strip("<> ")), body, re.IGNORECASE)
        index = match.start() if match else -1
    return first_line + (body.count("\n", 0, index) if index >= 0 else 0)
