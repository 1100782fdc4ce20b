"""People: speakers, ministers, moderators — ``content/people/<id>.md``.

Other kinds say what a person does (the programme's kind lists a person's
sessions on their page); this module knows only the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field

from ..entries import Entry
from ..fields import Country, Line, MediaPath, Strict, TranslationBase
from ..routes import PageKind, entry_keys, entry_lookup, single
from ..structured import breadcrumbs, clean, text
from ..views import CountryView, EntryView, ShareText, Shown, SiteView, listing_card
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


class PersonView(EntryView[Person]):
    @property
    def name(self) -> Shown:
        return self.text("name")  # type: ignore[return-value]

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

    @property
    def photo_path(self) -> str | None:
        """The portrait below media/, as written in the front matter."""
        return self._entry.meta.photo


def person_node(page: "Page", person: PersonView) -> dict:
    """schema.org Person, on the person's page and as a performer of sessions."""
    return clean(
        {
            "@type": "Person",
            "name": text(person.name),
            "jobTitle": text(person.role),
            "affiliation": clean({"@type": "Organization", "name": text(person.organization)}) if person.organization else None,
            "nationality": clean({"@type": "Country", "name": person.country.name}) if person.country else None,
            "image": page.links.absolute("/media/" + person.photo_path) if person.photo_path else None,
            "url": person.absolute_url,
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
    return ShareText(person.name, when, where, person.photo_path, (50, 30))


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
