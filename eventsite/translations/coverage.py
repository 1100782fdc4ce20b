"""How far each language's translation is, for ``build.py check``: a summary line per language,
errors only for what site.yaml ``require_translations`` requires, and warnings for an incomplete interface.

Translation coverage is editorial status: a page without a translation is
shown in the fallback language, says so, and stays out of ``hreflang``. What
blocks a release is the organizer's decision, written in site.yaml::

    require_translations:
      ko: all                 # every item
      th: [person, page]      # people and free pages (kind names or folders)

Drafts (``review: draft``) count as translated here; the status report
(``build.py i18n``) lists them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..entries import Site
from ..errors import Problem, display_path, did_you_mean
from ..kinds import BY_FOLDER, BY_NAME
from .status import DRAFT, MISSING, OUTDATED, entries, item_status, read_template, ui_status


@dataclass
class Coverage:
    summary: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def required_kinds(site: Site, lang: str) -> set[str] | None:
    """The kinds site.yaml requires in ``lang`` (None: the policy names none)."""
    policy = site.config.require_translations.get(lang)
    if policy is None or policy == "none":
        return None
    if policy == "all":
        return set(BY_NAME)
    names = [policy] if isinstance(policy, str) else policy
    return {BY_FOLDER[name].name if name in BY_FOLDER else name for name in names}


def policy_problems(site: Site) -> list[Problem]:
    """Mistakes in ``require_translations`` itself: a language the site lacks, a kind that does not exist."""
    found = []
    document = site.root / "site.yaml"
    shown = display_path(document, site.root)
    for lang, policy in site.config.require_translations.items():
        if lang not in site.languages[1:]:
            message = f"require_translations: {lang!r} is not a translated language of this site ({', '.join(site.languages[1:])})"
            found.append(Problem(shown, 0, message + did_you_mean(lang, site.languages)))
            continue
        names = [] if policy in ("all", "none") else [policy] if isinstance(policy, str) else policy
        for name in names:
            if name not in BY_NAME and name not in BY_FOLDER:
                known = [*BY_NAME, *BY_FOLDER]
                found.append(Problem(shown, 0, f"require_translations: {name!r} is not a content kind{did_you_mean(name, known)}"))
    return found


def coverage_report(site: Site, locales: Sequence[Path]) -> Coverage:
    coverage = Coverage(problems=policy_problems(site))
    template = read_template(locales)
    listed = entries(site)
    for lang in site.languages[1:]:
        info = site.language(lang)
        chain = site.chain(lang)
        states = [item_status(entry, lang, chain, site.root) for entry in listed]
        missing = [state for state in states if state.state == MISSING]
        drafts = sum(1 for state in states if state.state == DRAFT)
        outdated = sum(1 for state in states if state.state == OUTDATED)
        line = f"{lang}  {info.english_name}: {len(states) - len(missing)} of {len(states)} items translated"
        extras = [f"{drafts} draft{'s' * (drafts != 1)} awaiting review"] if drafts else []
        extras += [f"{outdated} outdated"] if outdated else []
        if extras:
            line += f" ({', '.join(extras)})"
        if template is not None:
            ui = ui_status(template, locales, lang)
            line += f"; interface {ui.translated} of {ui.total} messages"
            if ui.missing:
                what = "no interface catalog" if not ui.exists else f"{len(ui.missing)} of {ui.total} interface messages missing"
                message = f"{what} for {info.english_name} ({lang}): they are shown in the fallback language"
                coverage.problems.append(Problem(ui.catalog, 0, message, severity="warning"))
        coverage.summary.append(line)
        required = required_kinds(site, lang)
        for state in missing:
            coverage.details.append(f"{lang}  missing  {state.translation}  (readers see {state.shown_in})")
            if required is not None and state.kind in required:
                message = f"no {info.english_name} ({lang}) translation ({state.translation}), which site.yaml require_translations requires"
                coverage.problems.append(Problem(state.source, 0, message))
    return coverage
