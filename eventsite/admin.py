"""The web editor at /admin/: Sveltia CMS, configured from the content schemas (publish step).

Off until site.yaml has ``admin: {backend: github, repo: owner/name}``. Then a
build publishes ``admin/index.html`` (the page, with its own
Content-Security-Policy), ``admin/config.yml`` (made here from the table of
kinds: one collection per kind, one field per front-matter field with the
widget its type calls for, the languages in our ``<id>.<lang>.md`` layout,
the media folder, and the editorial workflow, so that saving opens a pull
request) and the CMS itself, vendored in the theme (templates/admin/, copied
from npm by scripts/vendor-admin): nothing comes from a CDN.

The editor saves files; the build stays the judge. Whatever the CMS lets
through (an id it made from a title, a time outside the event's dates) is
caught by ``check`` on the pull request it opened, like any other change.
docs/editing.md, "Editing in the browser", says how editors use it.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import l10n
from .config import AdminSettings
from .entries import Site
from .errors import Problem
from .fields import TRANSLATION_RECORD_FIELDS
from .kinds import BY_NAME, KINDS
from .kinds.base import ContentKind, Reference
from .schemas import DATE, LOCAL_TIME, VALIDATOR_HINTS, json_schema
from .theme import Theme, default_folders

if TYPE_CHECKING:
    from .publish import Finished

FOLDER = "admin"  # below the site's root: /admin/
BUNDLE = "sveltia-cms.js"  # in the theme's admin/ folder, with fonts/ (scripts/vendor-admin)
TIME_FORMAT = "YYYY-MM-DD HH:mm"  # Day.js tokens for LocalTime ('2019-11-26 09:30')
DATE_FORMAT = "YYYY-MM-DD"


@dataclass(frozen=True)
class Source:
    """One directive of the editor's policy, and why the CMS needs it."""

    directive: str
    sources: str
    why: str


# What Sveltia CMS needs to edit a site through GitHub's API, and no more. Everything else it
# could reach for is blocked on purpose: its hourly update check (unpkg.com), GitHub's status
# page (githubstatus.com), optional modules it would load from unpkg.com (code highlighting,
# maps, HEIC and SVG conversion) and stock photo services; the editor works without them.
POLICY: tuple[Source, ...] = (
    Source("default-src", "'self'", "anything not named below: only this site's own files"),
    Source("script-src", "'self'", "the vendored bundle, admin/sveltia-cms.js; no eval, no inline script"),
    Source("style-src", "'self' 'unsafe-inline'", "Svelte inserts every component's styles as <style> elements and "
           "style attributes while the app runs; there is no stylesheet file to allow instead"),
    Source("font-src", "'self'", "the three vendored fonts in admin/fonts/ (text, code, icons)"),
    Source("img-src", "'self' data: blob: https://avatars.githubusercontent.com",
           "data: the app's inline icons; blob: previews of images read from the repository or picked for upload; "
           "the avatar GitHub gives the signed-in editor"),
    Source("connect-src", "'self' data: https://api.github.com",
           "admin/config.yml; data: the app reads its own inline logo to make the tab's icon; GitHub's REST and "
           "GraphQL API: read the repository, commit to a branch, open and update the pull request"),
    Source("object-src", "'none'", "no plugins"),
    Source("base-uri", "'none'", "no <base> to redirect relative URLs"),
    Source("form-action", "'self'", "as on every page of the site"),
)
# Only a header can say who may frame a page (browsers ignore it in <meta>): nobody may frame the editor.
HEADER_ONLY: tuple[Source, ...] = (Source("frame-ancestors", "'none'", "no other site may frame the editor"),)


def policy(sources: tuple[Source, ...] = POLICY) -> str:
    return "; ".join(f"{source.directive} {source.sources}" for source in sources)


def header_policy() -> str:
    """The policy sent as a header for admin/ (hosting.py): the page's, and who may frame it."""
    return policy(POLICY + HEADER_ONLY)


# --- config.yml ------------------------------------------------------------------------


def cms_config(site: Site) -> dict[str, Any]:
    """Sveltia CMS's configuration for this site (https://sveltiacms.app/en/docs), as data."""
    settings = site.config.admin
    if settings is None:
        raise ValueError("site.yaml has no admin settings")
    default = site.default_language
    backend: dict[str, Any] = {"name": settings.backend, "repo": settings.repo, "branch": settings.branch}
    if settings.auth_url:
        backend["base_url"] = settings.auth_url.rstrip("/")
    return {
        "backend": backend,
        # Saving commits to a new branch and opens a pull request; publishing merges it (after review and CI).
        "publish_mode": "editorial_workflow",
        "app_title": site.title.get((default,)).value,
        "site_url": site.config.base_url,
        "media_folder": f"{settings.content_folder}/media",
        "public_folder": "/media",
        "show_preview_links": False,
        # New ids from titles: lowercase ASCII and '-', which is what an id is (paths.ID_RULE); check has the last word.
        "slug": {"encoding": "ascii", "clean_accents": True},
        "i18n": {
            # <id>.md in the default language, <id>.<lang>.md for each translation (contentpath.py).
            "structure": "multiple_files",
            "locales": list(site.languages),
            "default_locale": default,
            "omit_default_locale_from_file_path": True,
        },
        # A translation file holds the fields it translates; an empty optional field is left out, not written as ''.
        "output": {"omit_empty_optional_fields": True},
        "collections": [collection(kind, site, settings) for kind in KINDS],
    }


def collection(kind: ContentKind, site: Site, settings: AdminSettings) -> dict[str, Any]:
    schema = json_schema(kind.meta)
    required = set(schema.get("required", ()))
    translatable = set(kind.translatable)
    references = {reference.field: reference for reference in kind.references}
    fields = [
        widget(name, prop, FieldRole(name in required, name in translatable, references.get(name)), site)
        for name, prop in schema["properties"].items()
    ]
    # The Markdown body: translated, like the texts of the front matter.
    # Plain Markdown first: the rich text editor rewrites a body it merely shows (blank lines, list
    # markers), which would mark every translation outdated (translations/fingerprints.py); an editor
    # can still switch to it for a text they are rewriting.
    fields.append({"name": "body", "label": "Text", "widget": "markdown", "modes": ["raw", "rich_text"],
                   "required": False, "i18n": True})
    # What a translation file records about itself (fields.TranslationBase): kept as it is when a
    # translation is saved, never shown (sign-off is `build.py i18n sign-off`'s job).
    for name in kind.translation.model_fields:
        if name in TRANSLATION_RECORD_FIELDS:
            fields.append({"name": name, "widget": "hidden", "i18n": True})
    identifier = "name" if "name" in schema["properties"] else "title"
    return {
        "name": kind.folder,
        "label": kind.folder.capitalize(),
        "label_singular": kind.name.capitalize(),
        "description": " ".join((kind.meta.__doc__ or "").split()),
        "folder": f"{settings.content_folder}/{kind.folder}",
        "extension": "md",
        "format": "yaml-frontmatter",
        "identifier_field": identifier,
        # The id is the file name and every language's address: chosen when the entry is made, then kept.
        "slug": {"template": "{{" + identifier + "}}", "editable": ["create"]},
        "i18n": True,
        "fields": fields,
    }


@dataclass(frozen=True)
class FieldRole:
    """What the kind says about a field besides its type."""

    required: bool
    translatable: bool
    reference: Reference | None


def widget(name: str, prop: dict[str, Any], role: FieldRole, site: Site) -> dict[str, Any]:
    """One front-matter field as a CMS field; a type this does not know is an error (a new field type needs a widget)."""
    value = _without_null(prop)
    made: dict[str, Any] = {"name": name, "label": name.replace("_", " ").capitalize()}
    if role.reference is not None:
        made.update(_reference(role.reference, site))
        if made["widget"] == "hidden":  # Sveltia's hidden field takes no hint and no 'required'
            return {**made, "i18n": role.translatable}
    elif "enum" in value:
        made.update(widget="select", options=list(value["enum"]))
    elif _is(value, LOCAL_TIME):
        made.update(widget="datetime", format=TIME_FORMAT)
    elif _is(value, DATE):
        made.update(widget="datetime", type="date", format=DATE_FORMAT)
    elif value.get("type") == "array" and value.get("items", {}).get("type") == "string":
        made.update(widget="list")
    elif value.get("type") == "integer":  # a position (partners' order)
        made.update(widget="number", value_type="int")
        if "minimum" in value:
            made["min"] = value["minimum"]
    elif value.get("type") == "string":
        made.update(widget="string")
        if value.get("pattern") == VALIDATOR_HINTS["_check_url"]["pattern"]:
            made.update(type="url", pattern=[value["pattern"], "an address starting with http:// or https://"])
        elif value.get("pattern") and value["pattern"] != VALIDATOR_HINTS["_one_line"]["pattern"]:
            made.update(pattern=[value["pattern"], value.get("description") or "not in the expected form"])
    else:
        raise ValueError(f"no CMS widget for field {name!r}: {prop}")
    # An optional choice left out of a file already means its default; the CMS would write the default into
    # every file it saves (`status: scheduled` would then read as a change in the item's history).
    if "default" in prop and prop["default"] not in (None, [], "") and made.get("widget") != "select":
        made["default"] = prop["default"]
    description = prop.get("description")
    if description:
        made["hint"] = description[0].upper() + description[1:]
    # Sveltia's fields are required unless told; a translated required field is required in the default language only.
    made["required"] = [site.default_language] if role.required and role.translatable else role.required
    made["i18n"] = role.translatable
    return made


def _without_null(prop: dict[str, Any]) -> dict[str, Any]:
    choices = [choice for choice in prop.get("anyOf", ()) if choice.get("type") != "null"]
    return choices[0] if len(choices) == 1 else prop


def _is(value: dict[str, Any], kind: dict[str, Any]) -> bool:
    return value.get("type") == kind["type"] and value.get("pattern") == kind["pattern"]


def _reference(reference: Reference, site: Site) -> dict[str, Any]:
    """A field naming something else: another kind's entries, or one of site.yaml's lists."""
    many = {"multiple": True} if reference.many else {}
    target = reference.target
    default = site.default_language
    if target in BY_NAME:
        other = BY_NAME[target]
        shown = "name" if "name" in other.meta.model_fields else "title"
        return {"widget": "relation", "collection": other.folder, "value_field": "{{slug}}",
                "display_fields": [shown], "search_fields": [shown], **many}
    if target == "media":
        # Text, not Sveltia's image or file picker: the picker writes '/media/exhibits/5g.jpg', and the
        # content format says 'exhibits/5g.jpg' (a path below media/). Files are uploaded under Assets.
        if reference.many:
            return {"widget": "list"}
        return {"widget": "string", "pattern": [VALIDATOR_HINTS["_check_media_path"]["pattern"],
                "a path below content/media/, without a leading '/', e.g. exhibits/photo.jpg"]}
    if target == "room":
        options = [{"label": room.name.get((default,)).value, "value": room_id} for room_id, room in site.rooms.items()]
    elif target == "track":
        options = [{"label": track.name.get((default,)).value, "value": track_id} for track_id, track in site.tracks.items()]
    elif target == "section":
        options = [{"label": section.title.get((default,)).value, "value": section_id}
                   for section_id, section in site.sections.items()]
    elif target == "country":
        formatter = l10n.Formatter(site.language(default), site.timezone, site.country_names(default))
        options = [{"label": formatter.country(code), "value": code} for code in site.config.countries]
    else:
        raise ValueError(f"no CMS widget for a reference to {target!r}")
    if not options:
        # site.yaml lists none (a site without tracks): nothing to choose, and the CMS refuses an empty select.
        return {"widget": "hidden"}
    return {"widget": "select", "options": options, **many}


def config_yaml(site: Site) -> str:
    head = (
        "# Sveltia CMS configuration, written by eventsite from the content schemas (eventsite/admin.py).\n"
        "# Do not edit: change site.yaml's admin settings or the schemas, and build again.\n"
    )
    return head + yaml.safe_dump(cms_config(site), sort_keys=False, allow_unicode=True, width=1000)


# --- the page and the publish step ----------------------------------------------------------


def index_html(site: Site) -> str:
    title = html.escape(site.title.get((site.default_language,)).value, quote=False)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_attribute(site.default_language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_attribute(policy())}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{title}</title>\n"
        "</head>\n"
        "<body>\n"
        # Sveltia reads ./config.yml next to the page and draws the whole interface itself.
        f'<script src="{BUNDLE}"></script>\n'
        "</body>\n"
        "</html>\n"
    )


def _attribute(value: str) -> str:
    """For a double-quoted attribute; single quotes stay as they are, as on the site's pages."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def vendored_folder(theme: Theme) -> Path | None:
    """The theme's copy of the CMS (a site's own templates/admin/ first), if there is one."""
    for folder in theme.template_folders:
        if (folder / FOLDER / BUNDLE).is_file():
            return folder / FOLDER
    return None


def publish_admin(finished: "Finished") -> None:
    """Post-build step: write admin/ when site.yaml asks for the web editor."""
    site = finished.site
    if site.config.admin is None:
        return
    theme = finished.renderer.theme if finished.renderer is not None else Theme(*default_folders())
    vendored = vendored_folder(theme)
    if vendored is None:
        finished.problems.append(Problem(
            "site.yaml", 0, f"admin: the theme has no copy of the web editor (templates/{FOLDER}/{BUNDLE}); "
            "run scripts/vendor-admin in a checkout of eventsite, or remove admin from site.yaml",
        ))
        return
    target = finished.root / FOLDER
    if target.exists():
        finished.problems.append(Problem(
            "site.yaml", 0, f"admin: the site already has a page or file at {FOLDER}/, where the web editor goes",
        ))
        return
    target.mkdir()
    shutil.copyfile(vendored / BUNDLE, target / BUNDLE)
    if (vendored / "fonts").is_dir():
        shutil.copytree(vendored / "fonts", target / "fonts")
    (target / "config.yml").write_text(config_yaml(site), encoding="utf-8", newline="\n")
    (target / "index.html").write_text(index_html(site), encoding="utf-8", newline="\n")
    finished.own_policies[FOLDER] = header_policy()
