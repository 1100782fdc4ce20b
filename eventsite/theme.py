"""Where a site's look comes from: templates, static assets and UI catalogs, in layers.

The default theme ships inside the package (``eventsite/default_theme/``, made
from the repository's ``templates/`` and ``locales/`` when the wheel is built;
in a checkout or an editable install those folders themselves). A site's own
``templates/`` and ``locales/`` override it file by file, as MkDocs'
``custom_dir`` or Hugo's theme lookup do: a template or static file of the
site replaces the default one of the same name; a site's catalog for a
language comes first and the default catalog fills in what it lacks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PACKAGED = PACKAGE / "default_theme"  # in an installed wheel (setup.py copies it there)
CHECKOUT = PACKAGE.parent  # a checkout or an editable install: the repository's own folders


def default_folders() -> tuple[Path, Path]:
    """(templates, locales) of the default theme."""
    if (PACKAGED / "templates").is_dir():
        return PACKAGED / "templates", PACKAGED / "locales"
    return CHECKOUT / "templates", CHECKOUT / "locales"


@dataclass(frozen=True)
class Theme:
    """A site's own templates and catalogs (which may not exist) over the default theme."""

    templates: Path  # the site's templates; static assets in templates/static/
    locales: Path  # the site's gettext catalogs: <lang>/LC_MESSAGES/messages.po
    layered: bool = True  # False: only these folders (tests of a theme on its own)

    @property
    def static(self) -> Path:
        """The site's own static folder (see :meth:`static_files` for what is published)."""
        return self.templates / "static"

    @cached_property
    def template_folders(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: the site's, then the default theme's."""
        return self._layers(self.templates, default_folders()[0])

    @cached_property
    def locale_folders(self) -> tuple[Path, ...]:
        """Where catalogs are read, first translation wins: the site's, then the default theme's."""
        return self._layers(self.locales, default_folders()[1])

    def _layers(self, own: Path, default: Path) -> tuple[Path, ...]:
        folders = [own] if own.is_dir() else []
        if self.layered and default.is_dir() and (not folders or own.resolve() != default.resolve()):
            folders.append(default)
        return tuple(folders) or (own,)

    def template_file(self, name: str) -> Path:
        """The file that provides template ``name`` (the first layer that has it)."""
        for folder in self.template_folders:
            if (folder / name).is_file():
                return folder / name
        return self.template_folders[0] / name

    def static_files(self) -> dict[str, Path]:
        """Every static asset to publish, '/'-separated path below static/ → file (the site's win)."""
        found: dict[str, Path] = {}
        for folder in reversed(self.template_folders):
            static = folder / "static"
            for current, dirnames, filenames in os.walk(static):
                dirnames.sort()
                for filename in sorted(filenames):
                    path = Path(current) / filename
                    found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))

    def flag_file(self, code: str) -> Path | None:
        """The theme's flag of a country (flags/<code>.svg, from flag-icons: scripts/vendor-flags), if any."""
        for folder in self.template_folders:
            candidate = folder / "flags" / f"{code.lower()}.svg"
            if candidate.is_file():
                return candidate
        return None

    def static_file(self, relative: str) -> Path | None:
        for folder in self.template_folders:
            candidate = folder / "static" / relative
            if candidate.is_file():
                return candidate
        return None

    @property
    def watched(self) -> tuple[Path, ...]:
        """The folders whose edits change the site (the dev server watches them)."""
        return (*self.template_folders, *self.locale_folders)
