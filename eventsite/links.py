"""Links from one page: relative URLs, canonical and alternate URLs, the language switcher,
and site-relative links written in content (``/sessions/x/``) resolved to this language's page.

Every link in the output is relative (``../../schedule/``), so the same build
works under a sub-path of ``base_url`` and from a local static server at
``/``. Only ``canonical``, ``hreflang`` alternates, feeds and JSON-LD use
absolute URLs, built from ``base_url``. The 404 pages are the exception: a
host serves them at any missing URL, whatever its depth, so their links are
path-absolute below ``base_url`` (``PageKind.served_anywhere``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Iterable, Protocol
from urllib.parse import urlsplit

from .errors import did_you_mean
from .paths import media_path_problem, nfc, relative_url
from .routes import language_url

if TYPE_CHECKING:
    from .page import Page


class FactRecorder(Protocol):
    def record_fact(self, fact: str) -> None: ...


class LinkTrace:
    """The links a part of a page made, while it is made: whether another page may show the same part
    (eventsite/fragments.py, ``keep_shared``) depends on making the same links from there."""

    def __init__(self) -> None:
        self.links: list[tuple[str, str]] = []  # (site-absolute target, the link written)
        self.shareable = True  # False once the part showed something made for this page's own URL (a body)


class Links:
    """The links of one page."""

    def __init__(self, page: "Page"):
        self._page = page
        self._route = page.route
        self._plan = page.context.plan
        self.trace: LinkTrace | None = None  # set while a shared part is made

    def url(self, target: str) -> str:
        """A site-absolute URL ('/en/schedule/') as a link relative to this page."""
        if self._route.kind.served_anywhere:
            # A 404 page is served at the missing URL, whatever its depth: relative links would break.
            link = self.base_path + target.lstrip("/")
        else:
            link = relative_url(self._route.url, target)
        if self.trace is not None:
            self.trace.links.append((target, link))
        return link

    @cached_property
    def base_path(self) -> str:
        """The path of base_url ('/busan2019/'), where the site's root is served."""
        return urlsplit(self._page.site.config.base_url).path or "/"

    def to(self, kind: str, key: str | None = None, lang: str | None = None) -> str:
        """A link to a planned page (in ``lang``, default this page's)."""
        return self.url(self.route_url(kind, key, lang))

    def route_url(self, kind: str, key: str | None = None, lang: str | None = None) -> str:
        """The site-absolute URL of a page (for absolute links: canonical, feeds, JSON-LD)."""
        page_kind = self._plan.kinds[kind]
        return language_url(None if not page_kind.per_language else (lang or self._page.lang), page_kind.url(key))

    def absolute(self, url: str) -> str:
        return self._page.site.config.base_url + url.lstrip("/")

    def absolute_to(self, kind: str, key: str | None = None, lang: str | None = None) -> str:
        return self.absolute(self.route_url(kind, key, lang))

    def asset(self, path: str) -> str:
        return self.url("/static/" + path)

    def media(self, path: str) -> str:
        return self.url("/media/" + path)

    # --- this page in other languages ---------------------------------------------------------

    def url_in(self, lang: str | None) -> str:
        """This page's site-absolute URL in ``lang``."""
        if not self._route.kind.per_language:
            return self._route.url
        return language_url(lang, self._route.kind.url(self._route.key))

    @property
    def canonical(self) -> str:
        """Fallback pages point search engines at the page whose text they show."""
        page = self._page
        entry = page.entry
        lang = page.lang if entry is None or page.is_translated else entry.text_language(page.chain)
        return self.absolute(self.url_in(lang))

    @property
    def alternates(self) -> list[tuple[str, str]]:
        """hreflang links: reciprocal among translated versions, plus x-default."""
        page = self._page
        if not self._route.kind.per_language or not page.is_translated:
            return []
        links = [(lang, self.absolute(self.url_in(lang))) for lang in page.translated_languages]
        links.append(("x-default", self.absolute(self.url_in(page.site.default_language))))
        return links

    @property
    def switcher(self) -> list[dict]:
        page = self._page
        translated = set(page.translated_languages)
        items = []
        for lang in page.site.languages:
            info = page.site.language(lang)
            per_language = self._route.kind.per_language
            items.append(
                {
                    "code": lang,
                    "name": info.name,
                    "dir": info.direction,
                    "url": self.url(self.url_in(lang)) if per_language else self.url(f"/{lang}/"),
                    "translated": lang in translated,
                    "current": lang == page.lang and per_language,
                }
            )
        return items

    # --- links written in content ---------------------------------------------------------

    def resolve(self, target: str, recorder: FactRecorder) -> str | None:
        """``/sessions/x/#a`` → this language's page, relative to this page; None if there is none.

        Every fact the answer depends on is recorded, so a page appearing or
        disappearing makes the linking page stale.
        """
        path, hash_mark, fragment = target.partition("#")
        path, query_mark, query = path.partition("?")
        path = nfc(path)  # a file name pasted from macOS is NFD; media names are NFC
        suffix = (query_mark + query) + (hash_mark + fragment)
        by_url = self._plan.by_url
        candidates = [language_url(self._page.lang, path), path]
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            candidates += [language_url(self._page.lang, path + "/"), path + "/"]
        for candidate in candidates:
            recorder.record_fact(f"route:{candidate}")
            if candidate in by_url:
                return self.url(candidate) + suffix
        if path.startswith("/media/"):
            recorder.record_fact(f"media:{path[len('/media/'):]}")
            if path[len("/media/"):] in self._page.site.media:
                return self.url(path) + suffix
        if path.startswith("/static/"):
            recorder.record_fact(f"static:{path[len('/static/'):]}")  # so a cached conversion is checked again
            if self.fact_holds(f"static:{path[len('/static/'):]}"):
                return self.url(path) + suffix
        return None

    def fact_holds(self, fact: str) -> bool:
        """Whether a recorded link fact ('route:/en/x/', 'media:a.pdf') is true for this build."""
        kind, _, value = fact.partition(":")
        if kind == "route":
            return value in self._plan.by_url
        if kind == "media":
            return value in self._page.site.media
        if kind == "static":
            # media_path_problem: no '..', absolute or escaped segments, so nothing outside static/ is probed.
            return media_path_problem(value) is None and self._page.context.theme.static_file(value) is not None
        return False


def unknown_link(target: str, urls: Iterable[str], languages: Iterable[str]) -> str:
    """The message for a link in content that names no page or file, with the closest page's address."""
    path = target.partition("#")[0].partition("?")[0]
    prefixes = tuple(f"/{lang}/" for lang in languages)
    # Compare with the pages as editors write them: without the language prefix.
    known = {"/" + url[len(prefix):] if url.startswith(prefixes) else url for url in urls for prefix in [_prefix(url, prefixes)]}
    known.discard(path)  # (a page of another language only: no use suggesting it)
    return f"link to {target}: no such page or file" + (did_you_mean(path, known) if path.startswith("/") else "")


def _prefix(url: str, prefixes: tuple[str, ...]) -> str:
    return next((prefix for prefix in prefixes if url.startswith(prefix)), "")
