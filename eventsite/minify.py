"""``build.py build --minify``: HTML and CSS through minify-html, before the fingerprints (they hash the final bytes).

Off by default: the pages are already small, and readable output is easier
to check. minify-html keeps the output spec-compliant (quotes where an
unquoted value would be invalid, spaces between attributes, the doctype);
it drops optional tags and comments. Inline JSON-LD is left as it is. A CSS
file is minified as the body of a ``<style>`` element, which is how
minify-html reaches its CSS minifier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .fingerprint import ASSETS

if TYPE_CHECKING:
    from .publish import Finished

INSTALL_HINT = "pip install minify-html"


def minify_assets(finished: "Finished") -> None:
    """The stylesheets below static/, before their fingerprints; pages are minified as they are rendered
    (:func:`minify_page`). Media are published as they are."""
    if not finished.options.minify:
        return
    try:
        import minify_html
    except ImportError:
        from .errors import Problem

        finished.problems.append(Problem("--minify", 0, f"minify-html is not installed ({INSTALL_HINT})"))
        return
    saved = 0
    for path in sorted((finished.root / ASSETS).rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        before = path.read_bytes()
        data = _minified(minify_html, path.suffix, before)
        saved += len(before) - len(data)
        path.write_bytes(data)
    finished.notes.append(f"minify: {saved / 1024:.0f} KiB saved on the stylesheets; pages minified as they were written")


def minify_page(finished: "Finished", relative: str, data: bytes) -> bytes:
    """One rendered page (or stylesheet), minified as it is written."""
    if not finished.options.minify or not relative.endswith((".html", ".css")):
        return data
    try:
        import minify_html
    except ImportError:  # minify_assets said so, once
        return data

    return _minified(minify_html, "." + relative.rsplit(".", 1)[-1], data)


def _minified(minify_html: Any, suffix: str, data: bytes) -> bytes:
    text = data.decode("utf-8")
    if suffix == ".html":
        small = minify_html.minify(text, minify_css=True, keep_html_and_head_opening_tags=True)
    else:
        wrapped = minify_html.minify(f"<style>{text}</style>", minify_css=True)
        small = wrapped.removeprefix("<style>").removesuffix("</style>")
    return small.encode("utf-8")
