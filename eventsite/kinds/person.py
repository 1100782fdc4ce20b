"""People: speakers, ministers, moderators — ``content/people/<id>.md``.

Other kinds say what a person does (the programme's kind lists a person's
sessions on their page); this module knows only the person.
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field

from ..entries import Entry
from ..fields import Country, Line, MediaPath, Strict, TranslationBase
from ..routes import PageKind, entry_keys, entry_lookup, single
from ..structured import breadcrumbs, clean, text
from ..views import CountryView, EntryView, Picture, ShareText, Shown, SiteView, listing_card, recorded_property
from .base import ContentKind, Image, Index, Listing, Reference, Related, SearchGroup, _

if TYPE_CHECKING:
    from ..model import ModelContext, Source
    from ..page import Page


class PersonMeta(Strict):
    """A speaker, minister or moderator: content/people/<id>.md."""

    name: Line = Field(description="the person's name as it should be printed")
    role: Line | None = Field(None, description="title or function, e.g. Minister of the Interior and Safety")
    organization: Line | None = Field(None, description="ministry, agency or organization")
    country: Country | None = Field(None, description="alpha-2 code of the delegation")
    photo: MediaPath | None = Field(None, description="a portrait below media/")


class PersonTranslation(TranslationBase):
    name: Line | None = None
    role: Line | None = None
    organization: Line | None = None


@dataclass(frozen=True, eq=False)
class Person(Entry[PersonMeta]):
    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def country(self) -> str | None:
        return self.meta.country


# A pre-base vowel (Thai เ แ โ ใ ไ, Lao ເ ແ ໂ ໃ ໄ) is stored before the consonant it follows in
# speech: alone it is no initial, so it keeps the next cluster ('เว', not 'เ').
_PRE_BASE_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
# Signs that stack the next consonant below (Khmer coeng, Myanmar virama) or join it (ZWJ):
# 'ប្រ' is one letter to a reader, three code points and two grapheme clusters to Unicode.
_JOINERS = frozenset("\u17d2\u1039\u200d")
_TONES = 6  # avatar-tone-0 … avatar-tone-5 in style.css


def _cluster_end(text: str, start: int) -> int:
    """Where the cluster starting at ``start`` ends: a base character, its marks, and stacked consonants."""
    end = start + 1
    while end < len(text):
        char = text[end]
        if unicodedata.category(char).startswith("M") or char in _JOINERS or text[end - 1] in _JOINERS:
            end += 1
        else:
            break
    if text[start] in _PRE_BASE_VOWELS and end < len(text) and end - start == 1:
        return _cluster_end(text, end)
    return end


def first_letter(word: str) -> str:
    """The first letter of a word as a reader sees it: '진' of '진영', 'ប្រ' of 'ប្រធាន', 'เว' of 'เวียดนาม'."""
    word = unicodedata.normalize("NFC", word)
    return word[: _cluster_end(word, 0)] if word else ""


def initials(name: str) -> str:
    """What stands in for a missing photo: one letter, or two in scripts with capitals ('CY' of 'Chin Young').

    Names in Korean, Thai, Khmer, Burmese… have no capitals and their words are
    not first and last names in that order: their first letter alone is the initial.
    """
    words = [word for word in name.split() if word[:1].isalpha()]
    if not words:
        return first_letter(name.strip())
    first = first_letter(words[0])
    if unicodedata.category(first[0]) not in ("Lu", "Lt"):  # a script without capitals (or a name written without)
        return first
    last = first_letter(words[-1]) if len(words) > 1 else ""
    return first + last.upper()


def tone(person_id: str) -> int:
    """The placeholder's colour, the same for a person on every page and in every build."""
    return zlib.crc32(person_id.encode("utf-8")) % _TONES


class PersonView(EntryView[Person]):
    @property
    def name(self) -> Shown:
        return self.text("name")  # type: ignore[return-value]

    @recorded_property
    def picture(self) -> Picture | None:
        """The photo with its thumbnails; shown beside the name, so its alt text is empty (the name says it)."""
        path = self._entry.meta.photo
        return Picture(self._page, path, None) if path else None

    @property
    def initials(self) -> str:
        """In the script the name is shown in on this page (the placeholder of a person without a photo)."""
        return initials(str(self.name))

    @property
    def tone(self) -> int:
        return tone(self.id)

    @property
    def title(self) -> Shown:
        return self.name

    @property
    def role(self) -> Shown | None:
        return self.text("role")

    @property
    def organization(self) -> Shown | None:
        return self.text("organization")

    @property
    def country(self) -> CountryView | None:
        code = self._entry.meta.country
        return CountryView(code, self._page) if code else None


def person_node(page: "Page", person: PersonView) -> dict:
    """schema.org Person, on the person's page and as a performer of sessions."""
    return clean(
        {
            "@type": "Person",
            "name": text(person.name),
            "jobTitle": text(person.role),
            "affiliation": clean({"@type": "Organization", "name": text(person.organization)}) if person.organization else None,
            "nationality": clean({"@type": "Country", "name": person.country.name}) if person.country else None,
            "url": person.absolute_url,
            "image": page.links.absolute("/media/" + person.picture.path) if person.picture else None,
        }
    )


def _page_nodes(page: "Page", site: SiteView, person: PersonView) -> list[dict]:
    trail = [(page.gettext("People"), page.links.route_url("people")), (str(person.name), page.route.url)]
    return [person_node(page, person), breadcrumbs(page, trail)]


def _share_card(page: "Page") -> ShareText:
    """Name, role (else organization: a role often names it already), country, and the portrait (its upper part)."""
    person = PersonView(page.entry, page)  # type: ignore[arg-type]
    when = str(person.role or person.organization or "")
    country = person.country
    where = Shown(country.name, page.lang, page.lang) if country is not None else None
    return ShareText(person.name, when, where, person.picture.path if person.picture else None, (50, 30))


def _build(context: "ModelContext", source: "Source") -> Person:
    return context.make(source, Person)


def _people(site: SiteView) -> list[PersonView]:
    page = site.page
    return [PersonView(person, page) for person in page.collection("person")]


def _people_by_country(site: SiteView):  # noqa: ANN202 (a method of the site view)
    def groups() -> list[tuple[CountryView | None, list[PersonView]]]:
        """Delegations in the order of site.yaml countries; people without a country last."""
        page = site.page
        found: list[tuple[CountryView | None, list[PersonView]]] = []
        for code in page.site.config.countries:
            members = page.lookup("people_by_country", code)
            if members:
                found.append((CountryView(code, page), [PersonView(person, page) for person in members]))
        others = [PersonView(person, page) for person in page.collection("person") if not person.meta.country]
        if others:
            found.append((None, others))
        return found

    return groups


KIND = ContentKind(
    name="person",
    folder="people",
    meta=PersonMeta,
    translation=PersonTranslation,
    entry=Person,
    view=PersonView,
    build=_build,
    references=(Reference("country", "country"), Reference("photo", "media")),
    images=(Image("photo"),),
    indexes=(Index("people_by_country", lambda person, site: [person.meta.country] if person.meta.country else []),),
    related=(Related("country", "delegation", "people_by_country"),),
    pages=(
        PageKind("people", "html", "people.html", lambda key: "/people/", single, share_card=listing_card(_("People"))),
        PageKind(
            "person", "html", "person.html", lambda key: f"/people/{key}/", entry_keys("person"),
            entry=entry_lookup("person"), json_ld=_page_nodes, share_card=_share_card,
        ),
    ),
    item_page="person",
    listing=Listing("people", "people", _("People")),
    search=SearchGroup(_("People"), "people"),
    site_members={"people": _people, "people_by_country": _people_by_country},
    reserved_ids=frozenset({"people"}),
)
