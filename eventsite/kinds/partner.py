"""Partners: the host, co-organizers, supporters, partners and media partners — ``content/partners/<id>.md``.

Shown with their logos, grouped by tier, on the home page and on a partners
page (``/<lang>/partners/``), which exists only when there are partners (so
``partners`` in site.yaml ``nav`` shows only then). In the event's JSON-LD
each tier stands under the schema.org property that fits it (organizer, sponsor, funder).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field

from ..config import SiteConfig
from ..entries import Entry, Site
from ..fields import Line, MediaPath, Strict, TranslationBase, Url
from ..routes import PageKind
from ..structured import EventParts, breadcrumbs, clean, text
from ..views import EntryView, Picture, Shown, SiteView, listing_card, recorded_property
from .base import ContentKind, Image, Listing, Reference, _

if TYPE_CHECKING:
    import datetime as dt

    from ..model import ModelContext, Source
    from ..page import Page


class Tier(str, enum.Enum):
    host = "host"
    co_organizer = "co-organizer"
    funder = "funder"
    supporter = "supporter"
    partner = "partner"
    media = "media"


@dataclass(frozen=True)
class TierInfo:
    label: str  # msgid: the heading of the tier's group
    schema_property: str  # where the event's JSON-LD names these organizations


# The tiers in the order pages show them: the one table of what a tier means.
TIERS: dict[str, TierInfo] = {
    "host": TierInfo(_("Hosted by"), "organizer"),
    "co-organizer": TierInfo(_("Co-organized by"), "organizer"),
    "funder": TierInfo(_("Funded by"), "funder"),
    "supporter": TierInfo(_("Supported by"), "sponsor"),
    "partner": TierInfo(_("Partners"), "sponsor"),
    "media": TierInfo(_("Media partners"), "sponsor"),
}
assert set(TIERS) == {tier.value for tier in Tier}


class PartnerMeta(Strict):
    """A partner organization: content/partners/<id>.md."""

    name: Line = Field(description="the organization's official name")
    tier: Tier = Field(description="host, co-organizer, funder, supporter, partner or media (the order pages show them in)")
    logo: MediaPath | None = Field(None, description="the logo below media/ (PNG or JPEG; its alt text is the name)")
    url: Url | None = Field(None, description="the organization's website (http or https)")
    order: int = Field(0, ge=0, description="position within its tier: lower first, then by id")


class PartnerTranslation(TranslationBase):
    name: Line | None = None


@dataclass(frozen=True, eq=False)
class Partner(Entry[PartnerMeta]):
    @property
    def tier(self) -> str:
        return self.meta.tier.value


def _build(context: "ModelContext", source: "Source") -> Partner:
    return context.make(source, Partner)


def _sort_key(partner: Partner) -> tuple:
    return (list(TIERS).index(partner.tier), partner.meta.order, partner.id)


class PartnerView(EntryView[Partner]):
    @property
    def name(self) -> Shown:
        return self.text("name")  # type: ignore[return-value]

    @property
    def title(self) -> Shown:
        return self.name

    @property
    def tier(self) -> str:
        return self._entry.tier

    @property
    def website(self) -> str | None:
        return self._entry.meta.url

    @recorded_property
    def logo(self) -> Picture | None:
        """The logo; its text alternative is the organization's name in this page's language."""
        path = self._entry.meta.logo
        return Picture(self._page, path, self.name) if path else None


@dataclass(frozen=True)
class TierGroup:
    tier: str
    label: str  # translated
    partners: list[PartnerView]

    @property
    def anchor(self) -> str:
        return f"tier-{self.tier}"


def _partners(site: SiteView) -> list[PartnerView]:
    page = site.page
    return [PartnerView(partner, page) for partner in page.collection("partner")]


def _partner_tiers(site: SiteView) -> list[TierGroup]:
    """The partners by tier, in the table's order; empty tiers left out."""
    page = site.page
    partners: list[PartnerView] = site.partners
    return [
        TierGroup(tier, page.gettext(info.label), members)
        for tier, info in TIERS.items()
        if (members := [partner for partner in partners if partner.tier == tier])
    ]


def organization_node(page: "Page", partner: PartnerView) -> dict:
    return clean(
        {
            "@type": "Organization",
            "name": text(partner.name),
            "url": partner.website,
            "logo": page.links.absolute("/media/" + partner.logo.path) if partner.logo else None,
        }
    )


def _event_parts(page: "Page", site: SiteView) -> EventParts:
    roles: dict[str, list[dict]] = {}
    for partner in site.partners:
        roles.setdefault(TIERS[partner.tier].schema_property, []).append(organization_node(page, partner))
    return EventParts([], roles=roles)


def _page_nodes(page: "Page", site: SiteView, entry: object) -> list[dict]:
    return [breadcrumbs(page, [(page.gettext("Partners"), page.route.url)])]


def _has_partners(site: Site) -> tuple[None, ...]:
    """The partners page exists only when there is a partner to show."""
    return (None,) if site.items("partner") else ()


def _placeholders(config: SiteConfig, item_id: str, today: "dt.date") -> dict[str, str]:
    return {"tier": Tier.partner.value}


KIND = ContentKind(
    name="partner",
    folder="partners",
    meta=PartnerMeta,
    translation=PartnerTranslation,
    entry=Partner,
    view=PartnerView,
    build=_build,
    sort_key=_sort_key,
    references=(Reference("logo", "media"),),
    images=(Image("logo", alt="name"),),
    pages=(
        PageKind(
            "partners", "html", "partners.html", lambda key: "/partners/", _has_partners, json_ld=_page_nodes,
            share_card=listing_card(_("Partners")),
        ),
    ),
    listing=Listing("partners", "partners", _("Partners")),
    site_members={"partners": _partners, "partner_tiers": _partner_tiers},
    placeholders=_placeholders,
    reserved_ids=frozenset({"partners"}),
    event_parts=_event_parts,
)
