"""Links in Markdown bodies checked at the source, for a site that does not build yet.

When some files have errors the site is not rendered, so the link checks of
the build cannot run; this module checks every body's site-relative links
(``/sessions/x/``, ``/media/a.pdf``) against the pages the site would have —
the pages of what is valid, plus the item pages of the files that have
errors (they will exist once fixed) — so that a broken link is reported in
the same run as the errors that keep the site from building.
"""

from __future__ import annotations

from typing import Iterable

from .entries import Site
from .errors import Problem
from .kinds import BY_NAME, PAGE_KINDS
from .links import unknown_link
from .load import RawContent
from .markup import MarkdownRenderer, TooComplex, locate_in_body
from .paths import media_path_problem, nfc
from .routes import language_url, plan_routes
from .theme import Theme


def source_link_problems(raw: RawContent, site: Site, invalid: Iterable[tuple[str, str]], theme: Theme) -> list[Problem]:
    plan = plan_routes(site, PAGE_KINDS)
    urls = set(plan.by_url)
    for kind, item_id in invalid:
        item_page = BY_NAME[kind].item_page
        if item_page is not None:
            page_kind = plan.kinds[item_page]
            urls.update(language_url(lang, page_kind.url(item_id)) for lang in site.languages)
    media = {item.relative for item in raw.media}
    converter = MarkdownRenderer()
    found: list[Problem] = []
    for document in raw.documents:
        if not document.body.strip():
            continue
        lang = document.lang if document.lang in site.languages else site.default_language

        def resolve(target: str) -> str | None:
            path = nfc(target.partition("#")[0].partition("?")[0])
            candidates = [language_url(lang, path), path]
            if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
                candidates += [language_url(lang, path + "/"), path + "/"]
            if any(candidate in urls for candidate in candidates):
                return target
            if path.startswith("/media/") and path[len("/media/"):] in media:
                return target
            if path.startswith("/static/"):
                name = path[len("/static/"):]
                if media_path_problem(name) is None and theme.static_file(name) is not None:
                    return target
            return None

        try:
            rendered = converter.render(document.body, resolve)
        except TooComplex as error:
            found.append(Problem(document.display, document.body_line + error.line, error.message))
            continue
        for target in rendered.unresolved_links:
            line = locate_in_body(document.body, f"({target}", document.body_line)
            found.append(Problem(document.display, line, unknown_link(target, urls, site.languages)))
    return found
