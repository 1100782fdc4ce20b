"""Where a site's look comes from: templates, static assets and UI catalogs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Theme:
    """Where a site's look comes from."""

    templates: Path  # Jinja templates; static assets in templates/static/
    locales: Path  # gettext catalogs: <lang>/LC_MESSAGES/messages.po

    @property
    def static(self) -> Path:
        return self.templates / "static"
