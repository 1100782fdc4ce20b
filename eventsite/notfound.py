"""The "page not found" pages: ``/404.html`` (every language) and ``/<lang>/404.html``.

A host serves them in place of any missing URL, at any depth, so their links
are path-absolute below ``base_url`` (``/busan2019/th/``; see
``PageKind.served_anywhere`` and ``Links.url``), never relative.
Each language offers its home page, its programme and its search page, in
its own words: the root page lists every language, and
``templates/static/404.js`` moves the reader's language to the top (the
``/xx/`` prefix of the missing URL, else the remembered choice, else
``navigator.languages``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .page import Page
from .routes import language_url

OFFERED = ("home", "schedule", "search")  # page kinds linked from a 404 page, when the site has them


@dataclass(frozen=True)
class Choice:
    """What a 404 page offers a reader of one language."""

    lang: str
    name: str  # the language's name in that language
    dir: str
    title: str  # for <title>: "Page not found · <event>"
    heading: str
    message: str
    links: tuple[tuple[str, str], ...]  # (label, path-absolute URL)


def choices(page: Page) -> list[Choice]:
    """One choice for a language's 404 page; one per site language, in site order, for the root one."""
    languages = (page.lang,) if page.route.kind.per_language else page.site.languages
    return [_choice(page, lang) for lang in languages]


def _choice(page: Page, lang: str) -> Choice:
    # Literal gettext() calls: `build.py i18n extract` finds these strings here.
    translations = page.context.translations[lang]
    labels = {
        "home": translations.gettext("Home"),
        "schedule": translations.gettext("Programme"),
        "search": translations.gettext("Search"),
    }
    links = []
    plan = page.context.plan
    for kind in OFFERED:
        if kind not in plan.kinds:
            continue
        target = language_url(lang, plan.kinds[kind].url(None))
        page.recorder.record_fact(f"route:{target}")  # a page appearing or going away changes this one
        if target in plan.by_url:
            links.append((labels[kind], page.links.url(target)))
    info = page.site.language(lang)
    heading = translations.gettext("Page not found")
    event = page.site.title.get(page.site.chain(lang)).value
    return Choice(
        lang=lang,
        name=info.name,
        dir=info.direction,
        title=f"{heading} · {event}",
        heading=heading,
        message=translations.gettext("There is no page at this address."),
        links=tuple(links),
    )
