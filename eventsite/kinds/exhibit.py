"""Exhibits of the exhibition — ``content/exhibits/<id>.md``, in sections from site.yaml.

The kind gives the site its exhibition page (by section, with filters), a
page per exhibit with its picture, and the exhibits of each country.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field

from ..config import SiteConfig
from ..entries import Entry, Localized, Section
from ..fields import Country, Id, Line, MediaPath, Strict, Url
from ..routes import PageKind, entry_keys, entry_lookup, single
from ..structured import breadcrumbs, clean, event_id, organizer, place, text
from ..views import CountryView, EntryView, Picture, ShareText, Shown, SiteView, listing_card, localized, recorded_property
from .base import ContentKind, Image, Index, Listing, Reference, Related, SearchGroup, TitledTranslation, _

if TYPE_CHECKING:
    import datetime as dt

    from ..model import ModelContext, Source
    from ..page import Page


class ExhibitMeta(Strict):
    """An exhibition exhibit: content/exhibits/<id>.md."""

    title: Line = Field(description="the exhibit's title")
    section: Id = Field(description="a section id from site.yaml exhibition.sections")
    country: Country = Field(description="alpha-2 code of the presenting country")
    organization: Line | None = Field(None, description="who presents it")
    image: MediaPath | None = Field(None, description="an image below media/, e.g. exhibits/5g.jpg")
    image_alt: Line | None = Field(None, description="the image's text alternative")
    url: Url | None = Field(None, description="the service's own website (http or https)")
    summary: Line | None = Field(None, description="one sentence for the exhibit cards")


class ExhibitTranslation(TitledTranslation):
    organization: Line | None = None
    image_alt: Line | None = None


@dataclass(frozen=True, eq=False)
class Exhibit(Entry[ExhibitMeta]):
    section: Section = None  # type: ignore[assignment]

    @property
    def country(self) -> str:
        return self.meta.country


def _build(context: "ModelContext", source: "Source") -> Exhibit | None:
    section = context.sections.get(source.meta.section)
    if section is None:
        return None  # the unknown section is reported (Reference below)
    return context.make(source, Exhibit, (context.sections,), section=section)


class ExhibitView(EntryView[Exhibit]):
    @property
    def section(self) -> "SectionView":
        section = self._entry.section
        return SectionView(section.id, section.title, section.summary, self._page)

    @property
    def country(self) -> CountryView:
        return CountryView(self._entry.country, self._page)

    @property
    def organization(self) -> Shown | None:
        return self.text("organization")

    @property
    def website(self) -> str | None:
        return self._entry.meta.url

    @property
    def image_path(self) -> str | None:
        """The image below media/, as written in the front matter."""
        return self._entry.meta.image

    @property
    def image_alt(self) -> Shown | None:
        return self.text("image_alt")

    @recorded_property
    def picture(self) -> Picture | None:
        return Picture(self._page, self.image_path, self.image_alt) if self.image_path else None

    @property
    def image(self) -> str | None:
        return self.picture.url if self.picture else None

    @property
    def image_width(self) -> int | None:
        return self.picture.width if self.picture else None

    @property
    def image_height(self) -> int | None:
        return self.picture.height if self.picture else None

    @property
    def srcset(self) -> str | None:
        return self.picture.srcset if self.picture else None

    @property
    def image_small(self) -> str | None:
        return self.picture.small if self.picture else None

    @property
    def image_large(self) -> str | None:
        return self.picture.large if self.picture else None


@dataclass(frozen=True)
class SectionView:
    id: str
    localized_title: Localized
    localized_summary: Localized | None
    page: "Page"

    @property
    def title(self) -> Shown:
        return localized(self.page, self.localized_title)  # type: ignore[return-value]

    @property
    def summary(self) -> Shown | None:
        return localized(self.page, self.localized_summary)

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"

    @recorded_property
    def exhibits(self) -> list[ExhibitView]:
        return [ExhibitView(exhibit, self.page) for exhibit in self.page.lookup("exhibits_by_section", self.id)]


def _site_exhibits(site: SiteView) -> list[ExhibitView]:
    page = site.page
    return [ExhibitView(exhibit, page) for exhibit in page.collection("exhibit")]


def _site_sections(site: SiteView) -> list[SectionView]:
    page = site.page
    return [SectionView(section.id, section.title, section.summary, page) for section in page.site.sections.values()]


def _exhibition_nodes(page: "Page", site: SiteView, entry: object) -> list[dict]:
    return [
        clean(
            {
                "@type": "ExhibitionEvent",
                "name": page.gettext("Exhibition"),
                "location": place(site),
                "organizer": organizer(site),
                "superEvent": event_id(page),
                "url": page.links.absolute(page.route.url),
            }
        )
    ]


def _exhibit_page_nodes(page: "Page", site: SiteView, exhibit: ExhibitView) -> list[dict]:
    node = clean(
        {
            "@type": "CreativeWork",
            "name": text(exhibit.title),
            "description": text(exhibit.summary),
            "creator": clean({"@type": "Organization", "name": text(exhibit.organization)}) if exhibit.organization else None,
            "countryOfOrigin": clean({"@type": "Country", "name": exhibit.country.name}),
            "inLanguage": exhibit.lang,
            "image": page.links.absolute("/media/" + exhibit.image_path) if exhibit.image_path else None,
            "url": page.links.absolute(page.route.url),
            "isPartOf": {"@type": "ExhibitionEvent", "name": str(exhibit.section.title), "superEvent": event_id(page)},
        }
    )
    trail = [(page.gettext("Exhibition"), page.links.route_url("exhibition")), (str(exhibit.title), page.route.url)]
    return [node, breadcrumbs(page, trail)]


def _share_card(page: "Page") -> ShareText:
    """Title, organization, country, and the exhibit's picture."""
    exhibit = ExhibitView(page.entry, page)  # type: ignore[arg-type]
    where = Shown(exhibit.country.name, page.lang, page.lang)
    return ShareText(exhibit.title, str(exhibit.organization or ""), where, exhibit.image_path)


def _placeholders(config: SiteConfig, item_id: str, today: "dt.date") -> dict[str, str]:
    if not config.exhibition.sections:
        raise ValueError("site.yaml has no exhibition sections: add one under exhibition.sections first")
    venue = config.venue.country if config.venue else None
    country = venue if venue and (not config.countries or venue in config.countries) else (config.countries or ["ZZ"])[0]
    return {"section": next(iter(config.exhibition.sections)), "country": country}


KIND = ContentKind(
    name="exhibit",
    folder="exhibits",
    meta=ExhibitMeta,
    translation=ExhibitTranslation,
    entry=Exhibit,
    view=ExhibitView,
    build=_build,
    references=(Reference("section", "section"), Reference("country", "country"), Reference("image", "media")),
    images=(Image("image", alt="image_alt"),),
    indexes=(
        Index("exhibits_by_section", lambda exhibit, site: [exhibit.section.id]),
        Index("exhibits_by_country", lambda exhibit, site: [exhibit.country]),
    ),
    related=(Related("country", "exhibits", "exhibits_by_country"),),
    pages=(
        PageKind(
            "exhibition", "html", "exhibition.html", lambda key: "/exhibition/", single, json_ld=_exhibition_nodes,
            share_card=listing_card(_("Exhibition")),
        ),
        PageKind(
            "exhibit", "html", "exhibit.html", lambda key: f"/exhibits/{key}/", entry_keys("exhibit"),
            entry=entry_lookup("exhibit"), json_ld=_exhibit_page_nodes, share_card=_share_card,
        ),
    ),
    item_page="exhibit",
    listing=Listing("exhibition", "exhibition", _("Exhibition")),
    search=SearchGroup(_("Exhibits"), "exhibits"),
    site_members={"exhibits": _site_exhibits, "sections": _site_sections},
    placeholders=_placeholders,
    reserved_ids=frozenset({"exhibition", "exhibits"}),
)
