"""``build.py i18n [status|extract|sign-off|diff]``: the translators' command.

``status`` (the default) reports per language what is missing, outdated or
unsigned; ``extract`` refreshes the UI catalogs from the templates;
``sign-off`` records that a translation matches its source as it is now;
``diff`` shows what changed in the source since. The logic is in
:mod:`eventsite.translations`; this module parses and prints.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Problem, display_path
from ..program import program

if TYPE_CHECKING:
    from ..project import Project
    from ..translations import status
from . import add_project_arguments, project_from

HELP = "translation status (default), UI catalogs (extract), sign-off and diff of translations, XLIFF export and import"
MAPPING = "babel.cfg"
FAIL_ON = ("missing", "outdated", "unsigned", "draft")


def _status_arguments(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # Given on `i18n` and on `i18n status`, so both spellings work; the
    # sub-command's copies are SUPPRESSed so they don't overwrite the parent's.
    default = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
    parser.add_argument("--format", choices=("text", "json"), default=default("text"), help="output format (default: text)")
    parser.add_argument(
        "--fail-on", action="append", choices=FAIL_ON, default=default(None),
        help="exit 1 if any content item (or, for 'missing', any UI string) is in this state; repeatable",
    )
    parser.add_argument(
        "--language", "-l", action="append", default=default(None), help="only this language (repeatable)"
    )
    parser.add_argument("--summary", action="store_true", default=default(False), help="counts only, no file lists")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=False)
    _status_arguments(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    add_project_arguments(common, writes=False)
    actions = parser.add_subparsers(dest="i18n_action", metavar="ACTION")

    status = actions.add_parser("status", parents=[common], help="per-language report (the default action)")
    _status_arguments(status, suppress=True)

    extract = actions.add_parser(
        "extract", parents=[common], help=f"templates and views → locales/messages.pot → every language's messages.po ({MAPPING})"
    )
    extract.add_argument("--check", action="store_true", help="change nothing; exit 1 if the catalogs are not up to date")

    sign_off = actions.add_parser(
        "sign-off", parents=[common], help="record in translation files that they match their source as it is now"
    )
    sign_off.add_argument("files", nargs="+", type=Path, metavar="TRANSLATION", help="e.g. content/sessions/opening.th.md")
    sign_off.add_argument(
        "--draft", action="store_true",
        help="record the source's fingerprint but mark the translation 'review: draft' (machine-drafted or unreviewed)",
    )

    diff = actions.add_parser("diff", parents=[common], help="what changed in the source since the translation was signed off")
    diff.add_argument("file", type=Path, metavar="TRANSLATION")

    export = actions.add_parser(
        "export", parents=[common], help="XLIFF 2.0 for a CAT tool or translation agency: what a language still needs (--all: everything)"
    )
    export.add_argument("--lang", "-l", required=True, help="the target language, e.g. vi")
    export.add_argument("--format", choices=("xliff",), default="xliff", help="the exchange format (XLIFF 2.0)")
    export.add_argument("--out", type=Path, help="the file to write (default: <lang>.xlf here)")
    export.add_argument("--all", action="store_true", help="also the items whose translation is up to date")

    import_ = actions.add_parser("import", parents=[common], help="write the translations of a returned XLIFF file back into the content")
    import_.add_argument("file", type=Path, metavar="XLIFF")
    import_.add_argument("--dry-run", action="store_true", help="change nothing; list the files that would change")


def run(args: argparse.Namespace, root: Path) -> int:
    project = project_from(args, root)
    action = getattr(args, "i18n_action", None) or "status"
    if action == "extract":
        return run_extract(project, root, check=args.check)
    if action == "sign-off":
        return run_sign_off(project, args.files, draft=args.draft)
    if action == "diff":
        return run_diff(project, args.file)
    if action == "export":
        return run_export(project, args.lang, args.out, everything=args.all)
    if action == "import":
        return run_import(project, args.file, dry_run=args.dry_run)
    return run_status(project, args)


# --- XLIFF ------------------------------------------------------------------


def run_export(project: Project, lang: str, out: Path | None, *, everything: bool) -> int:
    from ..build import load_site
    from ..errors import relative_to_cwd
    from ..exchange import xliff
    from ..translations import status

    site = load_site(project)
    if lang not in site.languages[1:]:
        raise BuildError([Problem("--lang", 0, f"{lang!r}: not a translated language of this site ({', '.join(site.languages[1:])})")])
    data, count = xliff.export_xliff(site, lang, everything=everything)
    target = out or Path.cwd() / f"{lang}.xlf"
    target.write_bytes(data)
    report = status.translation_report(site, project.theme.locale_folders, [lang]).languages[0]
    print(
        f"i18n export: {count} item{'s' * (count != 1)} for {lang} → {relative_to_cwd(target)} "
        f"({report.words.get('new', 0):,} new and {report.words.get('outdated', 0):,} outdated source words)"
    )
    return 0


def run_import(project: Project, path: Path, *, dry_run: bool) -> int:
    from ..build import load_site
    from ..exchange import xliff

    site = load_site(project)
    shown = display_path(path.resolve(), project.content.resolve())
    if not path.is_file():
        raise BuildError([Problem(shown, 0, "no such file")])
    changes, notes = xliff.import_xliff(site, path.read_bytes(), shown)
    for note in notes:
        print(f"note: {note}")
    for change in changes:
        what = "new" if change.old is None else "updated"
        state = "complete, signed off" if change.complete else "partly translated"
        print(f"{'would write' if dry_run else 'wrote'} {change.relative} ({what}; {state})")
    if not dry_run:
        xliff.write_changes(project.content, changes)
    print(f"i18n import: {len(changes)} translation file{'s' * (len(changes) != 1)} {'would change' if dry_run else 'changed'}")
    return 0


# --- status ------------------------------------------------------------------


def run_status(project: Project, args: argparse.Namespace) -> int:
    from ..build import load_site
    from ..translations import status

    site = load_site(project)
    unknown = sorted(set(args.language or ()) - set(site.languages[1:]))
    if unknown:
        raise BuildError([Problem("--language", 0, f"{', '.join(unknown)}: not a translated language of this site")])
    report = status.translation_report(site, project.theme.locale_folders, args.language)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, summary=args.summary))
    failing = [state for state in (args.fail_on or ()) if report.any(state)]
    if failing:
        print(f"i18n: failing because some translations are {' and '.join(failing)}", file=sys.stderr)
        return 1
    return 0


def format_report(report: status.Report, *, summary: bool = False) -> str:
    from ..translations import status

    lines = [f"Translation status (the default language is {report.default_language})"]
    if not report.template_exists:
        lines.append(f"  no {report.template}: run `{program()} i18n extract` for the UI strings")
    for language in report.languages:
        items = language.items
        translated = len(items) - language.count(status.MISSING)
        fallbacks = " → ".join(language.fallbacks)
        lines += [
            "",
            f"{language.lang}  {language.name} ({language.english_name}); falls back to {fallbacks}",
            f"  content  {translated}/{len(items)} translated: {language.count(status.UP_TO_DATE)} up to date, "
            f"{language.count(status.DRAFT)} draft (awaiting review), "
            f"{language.count(status.OUTDATED)} outdated, {language.count(status.UNSIGNED)} unsigned; "
            f"{language.count(status.MISSING)} missing",
            f"  words    {language.words.get('new', 0):,} new, {language.words.get('outdated', 0):,} outdated "
            "(source words to translate, for quoting a job)",
        ]
        ui = language.ui
        if ui is not None:
            where = "" if ui.exists else f" (no {ui.catalog} yet)"
            lines.append(f"  ui       {ui.translated}/{ui.total} strings translated; {len(ui.missing)} missing{where}")
            lines += [f"  ui error {error}" for error in ui.errors]  # always shown: these break pages
        if summary:
            continue
        for item in language.with_state(status.OUTDATED):
            lines.append(f"  outdated  {item.translation}  (source changed; `build.py i18n diff {item.translation}`)")
        for item in language.with_state(status.UNSIGNED):
            lines.append(f"  unsigned  {item.translation}")
        for item in language.with_state(status.DRAFT):
            lines.append(f"  draft     {item.translation}  (awaiting review; `build.py i18n sign-off` when reviewed)")
        for item in language.with_state(status.MISSING):
            lines.append(f"  missing   {item.translation}  (readers see {item.shown_in})")
        if ui is not None:
            lines += [f"  ui missing  {json.dumps(message, ensure_ascii=False)}" for message in ui.missing]
    return "\n".join(lines)


# --- extract ------------------------------------------------------------------


def site_languages(content: Path) -> tuple[str, ...]:
    """site.yaml's languages, without requiring the rest of the content to be valid."""
    from ..load import load_content
    from ..validate import validate_content

    valid = validate_content(load_content(content, keep_going=True), keep_going=True)
    if valid.site is None:
        raise BuildError([problem for problem in valid.problems if problem.path.endswith("site.yaml")] or list(valid.problems))
    return tuple(valid.site.languages)


def run_extract(project: Project, root: Path, *, check: bool) -> int:
    from ..translations import catalogs

    mapping = root / MAPPING
    if not mapping.is_file():
        raise BuildError([Problem(display_path(mapping, root), 0, "missing: it says where the UI strings are")])
    languages = site_languages(project.content)
    changes = catalogs.update_catalogs(root, mapping, project.theme.locales, languages, dry_run=check)
    for change in changes:
        state = {"created": "would be created", "updated": "is out of date"}.get(change.state, "up to date") if check else change.state
        print(f"{display_path(change.path, project.theme.locales)}: {state}")
    if check and any(change.state != "unchanged" for change in changes):
        print(f"i18n: run `{program()} i18n extract` and commit the catalogs", file=sys.stderr)
        return 1
    return 0


# --- sign-off ------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def run_sign_off(project: Project, files: list[Path], *, draft: bool = False) -> int:
    """All files are checked before any is written: one bad path changes nothing."""
    from ..translations import fingerprints

    problems: list[Problem] = []
    planned: list[tuple[fingerprints.TranslationFile, bytes, bytes, str]] = []
    for path in files:
        shown = display_path(path.resolve(), project.content.resolve())
        try:
            target = fingerprints.translation_file(path)
            if not _inside(path, project.content):
                raise BuildError([Problem(shown, 0, f"not inside the content folder {project.content}")])
            if not path.is_file():
                raise BuildError([Problem(shown, 0, "no such translation file")])
            if not target.source.is_file():
                raise BuildError([Problem(shown, 0, f"its source {target.source.name} does not exist")])
            value = fingerprints.fingerprint(fingerprints.text_digest(target.kind, target.source.read_bytes(), shown))
            old = path.read_bytes()
            planned.append((target, old, fingerprints.set_fingerprint(old, value, shown, draft=draft), value))
        except BuildError as error:
            problems.extend(error.problems)
    if problems:
        raise BuildError(problems)
    for target, old, new, value in planned:
        shown = display_path(target.path.resolve(), project.content.resolve())
        what = "marked as a draft of" if draft else "signed off against"
        if old == new:
            print(f"{shown}: already {what} {target.source.name} ({value})")
        else:
            target.path.write_bytes(new)
            print(f"{shown}: {what} {target.source.name} ({value})")
    return 0


# --- diff ------------------------------------------------------------------


def run_diff(project: Project, path: Path) -> int:
    from ..translations import fingerprints, history

    target = fingerprints.translation_file(path)
    shown = display_path(path.resolve(), project.content.resolve())
    if not path.is_file() or not target.source.is_file():
        raise BuildError([Problem(shown, 0, "no such translation file, or its source is missing")])
    recorded = fingerprints.recorded_fingerprint(path.read_bytes(), shown)
    source_raw = target.source.read_bytes()
    if not recorded:
        print(f"{shown} has no source_fingerprint: it was never signed off, so there is nothing to compare with.", file=sys.stderr)
        print(f"Compare it with {target.source.name} by hand, then run `{program()} i18n sign-off {shown}`.", file=sys.stderr)
        return 2
    if fingerprints.matches(recorded, fingerprints.text_digest(target.kind, source_raw, shown)):
        print(f"{shown} is up to date: its source has not changed since sign-off ({recorded}).")
        return 0
    try:
        revision = history.signed_off_revision(target.source, target.kind, recorded)
    except history.HistoryUnavailable as error:
        print(f"i18n diff: cannot show the change to {target.source.name} since sign-off: {error}", file=sys.stderr)
        return 2
    old = _lines(revision.raw)
    new = _lines(source_raw)
    print(f"# {target.source.name}: signed off at {revision.summary}; changes since then:")
    sys.stdout.writelines(
        difflib.unified_diff(old, new, fromfile=f"a/{revision.path} ({revision.commit[:12]})", tofile=f"b/{revision.path} (now)")
    )
    return 0


def _lines(raw: bytes) -> list[str]:
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").replace("\r\n", "\n")
    # Split on LF only (str.splitlines would also split on U+2028 and friends);
    # every line ends in LF so the diff doesn't glue the last lines together.
    return [line + "\n" for line in text.removesuffix("\n").split("\n")] if text else []
