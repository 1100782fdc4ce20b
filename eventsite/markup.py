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
from typing import Callable
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

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

LinkResolver = Callable[[str], "str | None"]


@dataclass
class Rendered:
    html: str
    unresolved_links: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


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


class _LinkRewriter(Treeprocessor):
    def __init__(self, md, state: "_State"):
        super().__init__(md)
        self.state = state

    def run(self, root):
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute is None:
                continue
            target = element.get(attribute, "")
            if target.startswith("/") and not target.startswith("//") and self.state.resolve is not None:
                resolved = self.state.resolve(target)
                if resolved is None:
                    self.state.unresolved.append(target)
                else:
                    element.set(attribute, resolved)
            if element.tag == "img" and not element.get("loading"):
                element.set("loading", "lazy")
        return None


@dataclass
class _State:
    resolve: LinkResolver | None = None
    unresolved: list[str] = field(default_factory=list)


class _RewriteExtension(Extension):
    def __init__(self, state: _State):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_LinkRewriter(md, self.state), "eventsite-links", 1)


class MarkdownRenderer:
    """One reusable Markdown converter (building one costs more than a page)."""

    def __init__(self) -> None:
        self._state = _State()
        self._md = markdown.Markdown(
            extensions=[
                "tables",
                "sane_lists",
                "fenced_code",
                "abbr",
                "def_list",
                TocExtension(slugify=slugify, toc_depth="2-6"),
                _RewriteExtension(self._state),
            ],
            output_format="html",
        )

    def render(self, text: str, resolve: LinkResolver | None = None) -> Rendered:
        self._state.resolve = resolve
        self._state.unresolved = []
        try:
            raw_html = self._md.reset().convert(text)
        finally:
            self._state.resolve = None
        removed = find_unsafe(raw_html) if might_be_unsafe(text) else []
        return Rendered(sanitize(raw_html), list(self._state.unresolved), removed)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if urlsplit(value).hostname in IFRAME_HOSTS and value.startswith("https://") else None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
    )


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
