"""Python-Markdown set up as the converter of the bodies markdown_subset declines.

Its own module so that importing :mod:`eventsite.markup` does not import
Python-Markdown and lxml (~35 ms) nor build a converter (~20 ms): most
builds take every body from the subset or from the cache and never need it
(docs/performance.md, eighteenth round).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

from . import markdown_subset


@dataclass
class LinkState:
    """The link resolver of the conversion under way, and what it found (read back after each conversion)."""

    resolve: markdown_subset.LinkResolver | None = None
    unresolved: list[str] = field(default_factory=list)
    anchored: list[tuple[str, str]] = field(default_factory=list)


class _LinkRewriter(Treeprocessor):
    def __init__(self, md, state: LinkState):
        super().__init__(md)
        self.state = state

    def run(self, root):
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute is None:
                continue
            target = element.get(attribute, "")
            rewritten = markdown_subset.rewrite_site_link(target, self.state.resolve, self.state.unresolved, self.state.anchored)
            if rewritten != target:
                element.set(attribute, rewritten)
            if element.tag == "img" and not element.get("loading"):
                element.set("loading", "lazy")
        return None


class _RewriteExtension(Extension):
    def __init__(self, state: LinkState):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_LinkRewriter(md, self.state), "eventsite-links", 1)


def converter(state: LinkState, slugify: Callable[[str, str], str]) -> markdown.Markdown:
    """A converter that rewrites site links through ``state`` and makes heading ids with ``slugify``."""
    return markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "fenced_code",
            "abbr",
            "def_list",
            TocExtension(slugify=slugify, toc_depth="2-6"),
            _RewriteExtension(state),
        ],
        output_format="html",
    )
