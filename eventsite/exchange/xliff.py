"""Translation exchange as XLIFF 2.0: ``build.py i18n export`` and ``build.py i18n import``.

A CAT tool or a translation agency gets one XLIFF file per language: a
``<file>`` per content item, a ``<unit>`` per translatable field and per
Markdown block of the body (eventsite/exchange/blocks.py), the current
translation as the target, and the source's fingerprint
(eventsite/translations/fingerprints.py) in our own attribute. The segment's
state says how far the text is:

==================  ==========================================
export writes        the item's translation is
==================  ==========================================
``final``            up to date and signed off
``translated``       a draft (``review: draft``) of this source
``initial``          missing, outdated or unsigned
==================  ==========================================

On import, ``translated`` becomes ``review: draft`` and ``reviewed`` or
``final`` a signed-off translation; ``initial`` units are left out. A unit
whose source text changed since the export is refused, naming the content
file and the unit, and then nothing is written. Files whose translation did
not change are not touched. The XML is written and read with lxml and
conforms to the OASIS XLIFF 2.0 core schema (tested against it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..entries import Entry, Site
from ..errors import BuildError, Problem
from ..kinds import BY_FOLDER, KINDS
from ..translations import fingerprints, status
from . import frontmatter
from .blocks import KINDS as BLOCK_NAMES, Block, join_blocks, shape, split_blocks

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
OURS = "urn:eventsite:xliff"  # our attributes: the fingerprint and the translation file
NSMAP = {None: XLIFF, "es": OURS}
DONE = ("translated", "reviewed", "final")


def q(tag: str) -> str:
    return f"{{{XLIFF}}}{tag}"


@dataclass(frozen=True)
class Unit:
    id: str  # 'title', 'summary', 'b1' …
    name: str  # what a translator sees: 'title', 'body: paragraph'
    source: str
    target: str | None


@dataclass(frozen=True)
class ItemUnits:
    """The units of one item, and how its body is built from blocks."""

    units: tuple[Unit, ...]
    blocks: tuple[Block, ...]  # the source's body
    aligned: dict[int, str]  # block index → the current translation's text of it, when the shapes match


def item_units(entry: Entry, lang: str) -> ItemUnits:
    kind = next(kind for kind in KINDS if kind.name == entry.kind)
    translation = entry.translations.get(lang)
    units = []
    for name in kind.translatable:
        value = getattr(entry.meta, name, None)
        if value:
            target = getattr(translation.meta, name, None) if translation is not None else None
            units.append(Unit(name, name, str(value), str(target) if target else None))
    blocks = split_blocks(entry.body)
    translated = split_blocks(translation.body) if translation is not None and translation.body.strip() else []
    aligned = {index: block.text for index, block in enumerate(translated)} if shape(translated) == shape(blocks) else {}
    for index, block in enumerate(blocks):
        if block.translatable:
            units.append(Unit(f"b{index + 1}", f"body: {BLOCK_NAMES[block.kind]}", block.text, aligned.get(index)))
    return ItemUnits(tuple(units), tuple(blocks), aligned)


def _export_state(item: status.ItemStatus) -> str:
    return {status.UP_TO_DATE: "final", status.DRAFT: "translated"}.get(item.state, "initial")


def export_xliff(site: Site, lang: str, *, everything: bool = False) -> tuple[bytes, int]:
    """The XLIFF document for ``lang`` and the number of items in it (those not up to date, or all)."""
    root = etree.Element(q("xliff"), nsmap=NSMAP, version="2.0", srcLang=site.default_language, trgLang=lang)
    chain = site.chain(lang)
    count = 0
    for entry in status.entries(site):
        item = status.item_status(entry, lang, chain, site.root)
        if item.state == status.UP_TO_DATE and not everything:
            continue
        units = item_units(entry, lang)
        if not units.units:
            continue
        folder = next(kind.folder for kind in KINDS if kind.name == entry.kind)
        file = etree.SubElement(root, q("file"), id=f"{folder}.{entry.id}", original=f"{folder}/{entry.id}.md")
        file.set(f"{{{OURS}}}fingerprint", item.current)
        file.set(f"{{{OURS}}}translation", f"{folder}/{entry.id}.{lang}.md")
        file.set(f"{{{OURS}}}status", item.state)
        state = _export_state(item)
        for unit in units.units:
            element = etree.SubElement(file, q("unit"), id=unit.id, name=unit.name)
            segment = etree.SubElement(element, q("segment"), state=state if unit.target else "initial")
            etree.SubElement(segment, q("source")).text = unit.source
            if unit.target:
                etree.SubElement(segment, q("target")).text = unit.target
        count += 1
    if count == 0:
        # XLIFF needs a file with a unit: say that there is nothing to translate, in a unit not to translate.
        file = etree.SubElement(root, q("file"), id="nothing")
        element = etree.SubElement(file, q("unit"), id="nothing", translate="no")
        segment = etree.SubElement(element, q("segment"), state="final")
        etree.SubElement(segment, q("source")).text = "Everything is translated and up to date."
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n", count


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnedUnit:
    source: str  # as exported
    target: str
    state: str
    line: int


@dataclass
class Returned:
    """One item's units as the XLIFF file returns them."""

    relative: str  # 'sessions/opening.md'
    line: int
    targets: dict[str, "ReturnedUnit"] = field(default_factory=dict)  # by unit id
    skipped: int = 0  # units left in state 'initial'


@dataclass(frozen=True)
class TranslationChange:
    relative: str  # 'sessions/opening.vi.md'
    old: bytes | None
    new: bytes
    complete: bool  # every unit translated: signed off (or marked a draft)


def read_xliff(raw: bytes, shown: str) -> tuple[str, list[Returned]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (0, 0)
        raise BuildError([Problem(shown, line, f"not well-formed XML: {error.msg}", column)]) from None
    if root.tag != q("xliff") or not str(root.get("version", "")).startswith("2."):
        raise BuildError([Problem(shown, root.sourceline or 0, "not an XLIFF 2 file (expected <xliff version=\"2.0\"> in the XLIFF 2.0 namespace)")])
    lang = root.get("trgLang") or ""
    returned = []
    for file in root.iterfind(q("file")):
        original = file.get("original")
        if not original:
            continue
        item = Returned(original, file.sourceline or 0)
        for unit in file.iter(q("unit")):
            segments = list(unit.iterfind(q("segment")))
            if not segments:
                continue
            state = segments[0].get("state", "initial")
            target = segments[0].find(q("target"))
            text = "".join(target.itertext()) if target is not None else ""
            source = segments[0].find(q("source"))
            if state in DONE and text.strip():
                exported = "".join(source.itertext()) if source is not None else ""
                item.targets[unit.get("id", "")] = ReturnedUnit(exported, text, state, unit.sourceline or 0)
            elif text.strip():
                item.skipped += 1
        returned.append(item)
    return lang, returned


def import_xliff(site: Site, raw: bytes, shown: str) -> tuple[list[TranslationChange], list[str]]:
    """The translation files to write, and notes; BuildError with every refused unit."""
    lang, returned = read_xliff(raw, shown)
    if lang not in site.languages[1:]:
        raise BuildError([Problem(shown, 0, f"trgLang {lang!r} is not a translated language of this site ({', '.join(site.languages[1:])})")])
    problems: list[Problem] = []
    changes: list[TranslationChange] = []
    notes: list[str] = []
    for item in returned:
        folder, _, name = item.relative.partition("/")
        kind = BY_FOLDER.get(folder)
        entry = site.get(kind.name, name.removesuffix(".md")) if kind is not None else None
        if entry is None:
            problems.append(Problem(shown, item.line, f"{item.relative}: no such content item in this site"))
            continue
        units = item_units(entry, lang)
        by_id = {unit.id: unit for unit in units.units}
        accepted: dict[str, tuple[str, str]] = {}
        for unit_id, returned_unit in item.targets.items():
            text, state, line = returned_unit.target, returned_unit.state, returned_unit.line
            current = by_id.get(unit_id)
            if current is None or fingerprints.normalize(current.source) != fingerprints.normalize(returned_unit.source):
                what = f"unit {unit_id!r}" + (f" ({current.name})" if current is not None else "")
                problems.append(Problem(
                    shown, line, f"{item.relative}, {what}: the {site.language(site.default_language).english_name} text changed "
                    "since this file was exported (or the unit no longer exists): export again and translate the new text",
                ))
                continue
            accepted[unit_id] = (text, state)
        if item.skipped:
            notes.append(f"{item.relative}: {item.skipped} unit{'s' * (item.skipped != 1)} still 'initial' (not translated yet): left out")
        change = _translation_change(site, entry, lang, units, accepted, notes)
        if change is not None:
            changes.append(change)
    if problems:
        raise BuildError(problems)
    return changes, notes


def _translation_change(
    site: Site, entry: Entry, lang: str, units: ItemUnits, accepted: dict[str, tuple[str, str]], notes: list[str]
) -> TranslationChange | None:
    if not accepted:
        return None
    kind = next(kind for kind in KINDS if kind.name == entry.kind)
    folder = kind.folder
    relative = f"{folder}/{entry.id}.{lang}.md"
    path = site.root / relative
    translation = entry.translations.get(lang)
    old = path.read_bytes() if path.is_file() else None
    fields = {unit.id: accepted[unit.id][0].strip() for unit in units.units if unit.id in kind.translatable and unit.id in accepted}
    body_units = [index for index, block in enumerate(units.blocks) if block.translatable]
    texts = {index: accepted[f"b{index + 1}"][0].strip("\n") for index in body_units if f"b{index + 1}" in accepted}
    for index in body_units:
        if index not in texts and index in units.aligned:
            texts[index] = units.aligned[index]
    body_complete = all(index in texts for index in body_units)
    body = join_blocks(list(units.blocks), texts) if body_units and body_complete else None
    if body_units and not body_complete:
        notes.append(f"{relative}: the text is not wholly translated yet; its body is left as it was")
    complete = all(unit.id in accepted for unit in units.units)
    draft = any(state == "translated" for _, state in accepted.values())
    if old is None:
        values = {name: value for name, value in fields.items()}
        new = frontmatter.new_text(values, body)
    else:
        front = frontmatter.split(old, relative)
        for name, value in fields.items():
            current = getattr(translation.meta, name, None) if translation is not None else None
            if str(current or "") != value:
                frontmatter.set_field(front, name, value, kind.translatable)
        if body is not None and fingerprints.normalize(translation.body if translation else "") != fingerprints.normalize(body):
            frontmatter.set_body(front, body)
        new = front.render()
    if complete:
        value = fingerprints.fingerprint(fingerprints.entry_digest(entry))
        recorded = getattr(translation.meta, "source_fingerprint", None) if translation is not None else None
        was_draft = translation is not None and getattr(translation.meta, "review", None) is not None
        if recorded != value or was_draft != draft:
            new = fingerprints.set_fingerprint(new, value, relative, draft=draft)
    if new == old:
        return None
    return TranslationChange(relative, old, new, complete)


def write_changes(content: Path, changes: list[TranslationChange]) -> None:
    for change in changes:
        path = content / change.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(change.new)
