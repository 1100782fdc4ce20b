"""Kept fragments: parts of a page kept from the last build with what they read, reused while that is unchanged.

A programme page shows a card for every programme item. Moving one item to
another time makes the page stale in every language, and rendering it again
made all its cards again although only one of them changed. A template marks
such a part with ``keep``::

    {{ keep(item_card, item) }}

which calls the macro ``item_card(item)`` and keeps its HTML with
everything the call read (content files and facts, :mod:`eventsite.depends`).
When the page is rendered again by a command-line rebuild
(eventsite/rebuild.py, :class:`FragmentStore`: files in the cache folder)
or by the dev server after an edit (eventsite/incremental.py,
:class:`MemoryFragments`), a card whose reads did not change since the
page was last rendered is taken as it was; the others are made again. The page's bytes are
those of a full build (tests/test_fragments.py and the random edits of
tests/test_rebuild.py check it).

What a kept part may read, so that its record is whole:

- its arguments: views (recorded again when kept, :meth:`EntryView.record_again`),
  strings, numbers, booleans and None, which are its key on the page, and
  groups of views that name themselves (:class:`KeptGroup`: a programme day
  by its date and the ids of its items);
- ``site``, ``page``, ``links``, ``entry`` and the translations of the page's
  template context. Values the views compute once and cache record what they
  read on every later read (views.recorded_property), so a list made before
  the part (the programme's days) still reaches its record. What site.yaml,
  the catalogs and the templates say is not recorded: any change to them
  makes a full build or, for templates, keeps no fragment at all;
- never a loop counter or a variable set around it: pass it as an argument.

A kept part may hold kept parts (a programme day holds its items' cards:
``keep(day_items, day)``): its record holds theirs, and it lists their keys,
so that taking it whole takes them along (:func:`_carry_inner`) for the
rendering that makes it again when one of its items changed.

A part that reported a problem or a link to an anchor is not kept (those are
the page's, reported each time it renders). The fragments of a page are a
file in the cache folder, named after its URL and the stamp of the build
that wrote it; the build state names the stamp each page's record goes with,
so a file written by a failed build is never read. A rendering that took
most of its parts again from the page's last full file writes only the
others and the keys of those it took, over that file (a moved programme
item rewrote ~50 MB of parts for one changed card per page). The file is written with
:mod:`marshal` (a programme page's is ~2 MB: pickle took twice as long each
way), a value as its kind and its text: HTML, a serialized JSON-LD node, a
plain string or bytes (a calendar's event); a part with any other value is
made again on each rendering. Texts are kept as UTF-8 and what a part read as
tuples, made into text and sets only for the parts a rendering takes: most of
a programme page's parts are its cards, carried inside their days and never
taken one by one (reading such a file was 1.4–2.8 ms, 0.3 ms now).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol, TypeVar, runtime_checkable

from jinja2 import TemplateRuntimeError
from markupsafe import Markup

from .cache import seal, unseal
from .depends import Reads
from .links import LinkTrace
from .structured import JSONRun, JSONText
from .views import EntryView

if TYPE_CHECKING:
    from .page import Page

# Bump when the file's layout or its values change (2: JSON-LD nodes kept serialized; 3: marshal; 4: sealed;
# 5: a file per build, listing only the new parts over the page's last full file; 6: runs of JSON-LD nodes;
# 7: bytes kept as bytes; 8: texts as UTF-8, reads as tuples).
FORMAT = 8
MAGIC = b"eventsite-fragments\n"  # a stray or foreign file is not decoded at all
Key = tuple[Any, ...]
Entry = tuple[str, bytes, tuple[str, ...], tuple[str, ...], tuple[Key, ...]]  # a part as stored: kind, UTF-8 text, files and facts read, inner parts
NEW_PARTS_AT_MOST = 0.25  # of a page's parts, for a file that lists only them over the page's full file
_STAMP = re.compile(r"[A-Za-z0-9-]{1,64}")  # a stamp is part of a file name
T = TypeVar("T")


class Fragment(NamedTuple):  # a tuple for the same reason as Reads
    value: Any  # HTML (Markup) or plain data (a serialized JSON-LD node): never changed once made
    reads: Reads
    inner: tuple[Key, ...] = ()  # the parts kept inside this one (a programme day's items), carried along with it


@dataclass
class PageFragments:
    """One page's fragments: those of the last build still valid, and those this rendering used."""

    earlier: Mapping[Key, Fragment] = field(default_factory=dict)
    now: dict[Key, Fragment] = field(default_factory=dict)
    reused: int = 0
    base: str = ""  # the stamp of the page's full file ``earlier`` was read from ("": none)
    in_base: frozenset[Key] = frozenset()  # the keys of ``earlier`` as that file has them
    making: list[list[Key]] = field(default_factory=list)  # the keys kept inside each part being made, innermost last
    # Parts taken along inside parts taken whole (_carry_inner): kept again as they are, never made into
    # Fragments here (a programme page carries ~900 of them).
    carried: set[Key] = field(default_factory=set)

    def carried_parts(self) -> dict[Key, Fragment]:
        """The carried parts not also taken on their own, as parts (for a store that keeps parts in memory)."""
        return {key: self.earlier[key] for key in self.carried if key not in self.now}


@lru_cache(maxsize=1 << 14)
def normal_path(path: Path) -> str:
    """A file read, as the build state names it (folders resolved, the file itself not: it may be a link)."""
    return os.path.join(_resolved_folder(path.parent), path.name)


@lru_cache(maxsize=1 << 10)
def _resolved_folder(folder: Path) -> str:
    return str(folder.resolve())  # once per folder: the files read by a page's parts are in a few


def forget_resolved_paths() -> None:
    """At the start of each build: a folder that is a link may point elsewhere now (several builds in one
    process, as the tests and an embedding program run them), and the build state resolves afresh."""
    normal_path.cache_clear()
    _resolved_folder.cache_clear()


@dataclass(frozen=True)
class FragmentStore:
    """Where pages' fragments are kept between command-line builds, and which of them this build may reuse."""

    folder: Path
    stamp: str  # this build's: written into every file it saves
    # Pages rendered again: URL → the stamp of the fragments their last record goes with ("": none).
    expected: Mapping[str, str] = field(default_factory=dict)
    changed_sources: frozenset[str] = frozenset()  # normal_path of every file changed since the last build
    changed_facts: frozenset[str] = frozenset()
    reusable: bool = True  # False when a template changed: a kept part's record does not name the templates
    # One Path per file read, for all the pages a process renders: they read mostly the same files.
    _paths: dict[str, Path] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def new_stamp() -> str:
        return secrets.token_hex(8)

    def file(self, url: str, stamp: str = "") -> Path:
        """The page's file written by the build ``stamp`` (this one by default)."""
        digest = _url_digest(url)
        return self.folder / digest[:2] / f"{digest}-{stamp or self.stamp}.fragments"

    def for_page(self, url: str) -> PageFragments:
        """The page's fragments of the last build whose reads are unchanged (none if they cannot be trusted)."""
        stamp = self.expected.get(url, "")
        if not self.reusable or not _STAMP.fullmatch(stamp):
            return PageFragments()
        found = self._read(url, stamp)
        if found is None:
            return PageFragments()
        entries, base, taken = found
        try:
            if base:  # the new parts of that build, over the page's full file
                under = self._read(url, base)
                if under is None or under[1]:  # gone, damaged, or not a full file
                    return PageFragments()
                merged = {key: under[0][key] for key in taken}
                in_base = frozenset(merged) - entries.keys()
                merged.update(entries)
                entries = merged
            else:
                base, in_base = stamp, frozenset(entries)
            earlier = self._fresh(entries)
        except (ValueError, TypeError, KeyError, AttributeError):  # a damaged entry: trust none of the file
            return PageFragments()
        return PageFragments(earlier, base=base, in_base=in_base)

    def _read(self, url: str, stamp: str) -> tuple[dict[Key, Entry], str, tuple[Key, ...]] | None:
        """A file's parts, the stamp of the full file it lists them over ("": it is one) and the keys it
        takes from that file; None when it is missing, damaged or another page's."""
        try:
            with open(self.file(url, stamp), "rb") as stream:
                data = stream.read()
            version, saved_stamp, saved_url, entries, base, taken = marshal.loads(unseal(MAGIC, data))  # checked first
        except (OSError, ValueError, TypeError, EOFError):  # unreadable, cut or damaged: made again
            return None
        if version != FORMAT or saved_stamp != stamp or saved_url != url or not isinstance(entries, dict):
            return None
        if type(base) is not str or (base and not _STAMP.fullmatch(base)) or type(taken) is not tuple:
            return None
        return entries, base, taken

    def _fresh(self, entries: dict[Key, Entry]) -> "FreshParts":
        """The parts none of whose reads changed (each checked when first asked for)."""
        for kind, text, sources, facts, inner in entries.values():
            if kind not in _VALUE_OF or type(text) is not bytes or not type(sources) is type(facts) is type(inner) is tuple:
                raise TypeError("a kept value is bytes of a known kind, its reads and inner parts tuples")
        return FreshParts(entries, self)

    def fragment(self, entry: Entry) -> Fragment | None:
        """An entry of a file as a part, or None when something it read changed."""
        kind, text, sources, facts, inner = entry
        if not (self.changed_sources.isdisjoint(sources) and self.changed_facts.isdisjoint(facts)):
            return None
        try:
            value = _VALUE_OF[kind](text if kind == "bytes" else text.decode("utf-8"))
        except UnicodeDecodeError:  # a damaged text (the seal makes it unlikely): the part is made again
            return None
        paths = self._paths
        read = frozenset(paths.get(source) or paths.setdefault(source, Path(source)) for source in sources)
        return Fragment(value, Reads(read, frozenset(facts)), inner)

    def save(self, url: str, fragments: PageFragments) -> str:
        """Keep the fragments this rendering used; the stamp to record with the page ("" when there are none).

        Where the rendering took most of its parts as the page's full file has them, the file lists only
        the others and the keys of those; the full file is kept for it, older files of the page removed.
        """
        now, earlier, in_base = fragments.now, fragments.earlier, fragments.in_base
        carried = [key for key in fragments.carried if key not in now]
        if not now and not carried:
            return ""
        taken = tuple(key for key, fragment in now.items() if key in in_base and earlier.get(key) is fragment)
        taken += tuple(key for key in carried if key in in_base)
        parts = len(now) + len(carried)
        over = fragments.base if fragments.base and parts - len(taken) <= NEW_PARTS_AT_MOST * parts else ""
        skipped = frozenset(taken) if over else frozenset()
        entries: dict[Key, Entry] = {}
        for key, fragment in now.items():
            if key not in skipped:
                entry = _entry_of(fragment)
                if entry is not None:
                    entries[key] = entry
        for key in carried:
            if key not in skipped:
                stored = earlier.entry(key) if isinstance(earlier, FreshParts) else _entry_of(earlier[key])
                if stored is not None:
                    entries[key] = stored
        target = self.file(url)
        try:
            data = seal(MAGIC, marshal.dumps((FORMAT, self.stamp, url, entries, over, taken if over else ())))
        except ValueError:  # a key marshal cannot write: keep_macro allows none, a direct keep() might
            return ""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            temporary.replace(target)
        except OSError:
            return ""  # a read-only cache only costs time
        self._remove_others(target, (self.stamp, over))
        return self.stamp

    def _remove_others(self, written: Path, stamps: tuple[str, ...]) -> None:
        """The page's other files beside ``written``: those of earlier builds (their stamps are no longer
        recorded), a killed build's temporary one, one of an earlier format."""
        digest = written.name.split("-", 1)[0]
        kept = {f"{digest}-{stamp}.fragments" for stamp in stamps if stamp}
        try:
            names = os.listdir(written.parent)
        except OSError:
            return
        for name in names:
            if name.startswith(digest) and name not in kept:
                try:
                    os.unlink(written.parent / name)
                except OSError:
                    pass


class FreshParts(Mapping[Key, Fragment]):
    """The parts of a page's file none of whose reads changed, each checked and made when first asked for.

    A programme page's file holds ~1,000 parts (its days, their items' cards and nodes); a rendering
    that takes most days whole asks for ~100 of them, and making every one up front was a third of
    rendering such a page again.
    """

    def __init__(self, entries: Mapping[Key, Entry], store: FragmentStore):
        self._entries = entries
        self._store = store
        self._checked: dict[Key, Fragment | None] = {}

    def get(self, key: Key, default: Any = None) -> Any:
        checked = self._checked
        if key in checked:
            found = checked[key]
        else:
            entry = self._entries.get(key)
            found = checked[key] = self._store.fragment(entry) if entry is not None else None
        return default if found is None else found

    def __getitem__(self, key: Key) -> Fragment:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Key]:
        return (key for key in self._entries if self.get(key) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def entry(self, key: Key) -> Entry:
        """The part as the file has it (whether fresh or not)."""
        return self._entries[key]

    def inner_of(self, key: Key) -> tuple[Key, ...] | None:
        """The keys of the parts inside the part ``key``, None when the file has no such part; not checked
        for freshness (a part inside a fresh part read nothing the outer one did not)."""
        entry = self._entries.get(key)
        return entry[4] if entry is not None else None


def _entry_of(fragment: Fragment) -> Entry | None:
    """A part as a file keeps it; None for a value of a kind not kept across builds."""
    kind = _kind_of(fragment.value)
    if kind is None:
        return None
    value = fragment.value
    try:
        text = value if type(value) is bytes else (value.text if isinstance(value, (JSONText, JSONRun)) else str(value)).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the page cannot be written either, and says so
        return None
    sources = tuple(normal_path(source) for source in fragment.reads.sources)
    return (kind, text, sources, tuple(fragment.reads.facts), fragment.inner)


def _url_digest(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class KeptParts(Protocol):
    """Where a build finds the fragments of pages it renders again, and leaves those it made."""

    def for_page(self, url: str) -> PageFragments: ...

    def save(self, url: str, fragments: PageFragments) -> str: ...


@dataclass
class MemoryFragments:
    """The dev server's kept fragments (eventsite/incremental.py): in memory, from each page's last rendering
    that was written.

    After an edit, the programme page is rendered again in every language; only the cards that read the
    edited file or a changed fact are made again. A page keeps its fragments from the last update that
    rendered it and succeeded, the same update whose record of that page the dependency index holds:
    any later change to what a fragment read made the page stale, and the update that renders it again
    names that change (:meth:`begin`). So a fragment is reused only while nothing it read has changed.
    """

    pages: dict[str, dict[Key, Fragment]] = field(default_factory=dict)
    changed_sources: frozenset[Path] = frozenset()
    changed_facts: frozenset[str] = frozenset()
    reusable: bool = True
    _made: dict[str, dict[Key, Fragment]] = field(default_factory=dict)  # by this update, kept if it succeeds
    reused: int = 0  # fragments taken in the current update (for tests and timings)

    def begin(self, changed_sources: frozenset[Path], changed_facts: frozenset[str], *, reusable: bool) -> None:
        """An update starts: what changed since the pages it renders were last rendered.

        ``reusable`` is False when a template changed: a fragment's record does not name the templates.
        """
        self.changed_sources, self.changed_facts, self.reusable = changed_sources, changed_facts, reusable
        self._made = {}
        self.reused = 0

    def for_page(self, url: str) -> PageFragments:
        kept = self.pages.get(url) if self.reusable else None
        if not kept:
            return PageFragments()
        sources, facts = self.changed_sources, self.changed_facts
        return PageFragments({key: found for key, found in kept.items() if not found.reads.stale(sources, facts)})

    def save(self, url: str, fragments: PageFragments) -> str:
        self._made[url] = {**fragments.carried_parts(), **fragments.now}
        self.reused += fragments.reused
        return ""  # no stamp: nothing is read from disk

    def commit(self, rendered: Iterable[str], removed: Iterable[str] = ()) -> None:
        """The update's pages are written: each page rendered keeps what this rendering used (nothing, if
        it used none), and removed pages keep nothing."""
        for url in rendered:
            self.pages[url] = self._made.pop(url, {})
        for url in removed:
            self.pages.pop(url, None)
        self._made = {}

    def clear(self) -> None:
        """A full build: nothing kept from before it is trusted (site.yaml or a catalog may have changed)."""
        self.pages.clear()
        self._made = {}


# A kept value in the file: its kind and its text.
# Bytes (a calendar's events) are kept as bytes: read back without decoding, written without encoding (a programme
# calendar's 300 events, 1.6 MB in ten scripts, took ~7 ms each way as text).
_VALUE_OF: dict[str, Callable[[Any], Any]] = {"html": Markup, "json": JSONText, "json-run": JSONRun, "text": str, "bytes": bytes}


def _kind_of(value: Any) -> str | None:
    if isinstance(value, Markup):
        return "html"
    if isinstance(value, JSONText):
        return "json"
    if isinstance(value, JSONRun):
        return "json-run"
    if type(value) is str:
        return "text"
    if type(value) is bytes:
        return "bytes"
    return None  # not kept across builds


def keep(page: "Page", key: Key, make: Callable[[], T], views: tuple[EntryView, ...] = ()) -> T:
    """``make()``, or the same value kept from the last build while nothing it read changed.

    ``key`` names the part on its page; ``views`` are those made outside the part that it shows. The
    value is shared with later builds: the caller must not change it.
    """
    fragments = page.fragments
    recorder = page.recorder
    if fragments is None or not recorder.active:
        return make()
    if fragments.making:
        fragments.making[-1].append(key)
    found = fragments.earlier.get(key)
    if found is not None:
        recorder.replay(found.reads)
        fragments.now[key] = found
        _carry_inner(fragments, found)
        fragments.reused += 1
        return found.value
    problems, claims = len(page.problems), len(page.claims)
    fragments.making.append([])
    try:
        with recorder.capture() as part:
            for view in views:
                view.record_again()
            value = make()
    finally:
        inner = tuple(dict.fromkeys(fragments.making.pop()))
    if len(page.problems) == problems and len(page.claims) == claims:
        fragments.now[key] = Fragment(value, part.reads(), inner)
    return value


def _carry_inner(fragments: PageFragments, found: Fragment) -> None:
    """A part taken whole takes along the parts it was made of: this rendering keeps them too, so that
    when the part is made again (one of its items moved) the others are still there to be taken.

    They are fresh: what they read, the part around them read as well.
    """
    earlier, now, carried = fragments.earlier, fragments.now, fragments.carried
    pending = list(found.inner)
    while pending:
        key = pending.pop()
        if key in now or key in carried:
            continue
        if isinstance(earlier, FreshParts):
            inner = earlier.inner_of(key)
        else:
            part = earlier.get(key)
            inner = part.inner if part is not None else None
        if inner is not None:
            carried.add(key)
            pending.extend(inner)


def keep_macro(page: "Page", entry: EntryView | None, macro: Any, *arguments: Any) -> Markup:
    """The template function ``keep(macro, *arguments)``: a macro call kept as a fragment (see the module's text)."""
    key, views = _macro_key(macro, arguments)
    if entry is not None:
        views = (entry, *views)
    return keep(page, key, lambda: Markup(macro(*arguments)), views)


@runtime_checkable
class KeptGroup(Protocol):
    """A value made outside a kept part that names it: a programme day, by its date and its items."""

    def fragment_key(self) -> tuple[Any, tuple[EntryView, ...]]:
        """Its key (strings and numbers; it must change whenever which items it groups does) and those items'
        views, recorded again when the part is kept."""
        ...


def _macro_key(macro: Any, arguments: tuple[Any, ...]) -> tuple[Key, tuple[EntryView, ...]]:
    """A kept macro call's key on its page, and the views among its arguments."""
    key: list[Any] = ["macro", macro.name]
    views: list[EntryView] = []
    for argument in arguments:
        if isinstance(argument, EntryView):
            key.append((argument.kind, argument.id))
            views.append(argument)
        elif argument is None or type(argument) in (str, int, float, bool):
            key.append(argument)
        elif isinstance(argument, KeptGroup):
            group_key, group_views = argument.fragment_key()
            key.append(group_key)
            views.extend(group_views)
        elif isinstance(argument, str):  # Markup: its own kind of key (it renders unescaped), and one marshal can write
            key.append((type(argument).__name__, str(argument)))
        else:
            raise TemplateRuntimeError(f"keep({macro.name}, …): a {type(argument).__name__} cannot name a kept fragment; pass views, strings, numbers or days")
    return tuple(key), tuple(views)


def keep_shared_macro(shared: "SharedParts", page: "Page", entry: EntryView | None, macro: Any, *arguments: Any) -> Markup:
    """The template function ``keep_shared(macro, *arguments)``: :func:`keep_macro`, and made once for the pages
    of a folder (:class:`SharedParts`). On a page of an entry, only kept: what the part reads of it is not known."""
    if entry is not None:
        return keep_macro(page, entry, macro, *arguments)
    return shared.keep(page, macro, arguments)


# --- parts shared by the pages of one folder -------------------------------------------------------


@dataclass(frozen=True)
class SharedPart:
    """A part made on one page, with what it read and the links it made there."""

    value: Markup
    reads: Reads
    links: tuple[tuple[str, str], ...]  # (target, link) as that page wrote them


class SharedParts:
    """Parts that the pages of one folder show alike, made once per build (per worker process).

    Ten country pages in a language each show the cards of the sessions their delegates take part
    in; a roundtable with every delegation was made ten times, the same bytes each time. A template
    asks for it with ``keep_shared(macro, *arguments)`` where the part reads only its arguments,
    ``site``, ``links`` and the translations: never ``page`` beyond its language, nor ``entry``.
    A part made on one page is taken on another page of the same kind, language and folder
    (``/en/countries/kr/`` and ``/en/countries/th/``) when every link it made is the same from
    there: a link into the first page's own folder is not. A part that showed a body (its links were
    made for its page's URL, perhaps by the cache, untraced), reported a problem or a link to an
    anchor is made on every page. tests/test_fragments.py compares with the parts made on each page.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], list[SharedPart]] = {}
        self.reused = 0  # for tests and timings

    def keep(self, page: "Page", macro: Any, arguments: tuple[Any, ...]) -> Markup:
        key, views = _macro_key(macro, arguments)
        fragments = page.fragments
        recorder = page.recorder
        earlier = fragments.earlier.get(key) if fragments is not None else None
        if earlier is not None:  # kept from the last build, as keep() takes it
            return keep(page, key, lambda: Markup(macro(*arguments)), views)
        route = page.route
        where = (route.kind.name, page.lang, route.url.rstrip("/").rsplit("/", 1)[0], key)
        links = page.links
        for part in self._made.get(where, ()):
            if all(links.url(target) == link for target, link in part.links):
                recorder.replay(part.reads)
                if fragments is not None and recorder.active:
                    if fragments.making:
                        fragments.making[-1].append(key)
                    fragments.now[key] = Fragment(part.value, part.reads)
                self.reused += 1
                return part.value
        problems, claims = len(page.problems), len(page.claims)
        trace = LinkTrace()
        outer, links.trace = links.trace, trace
        try:
            with recorder.capture() as captured:
                for view in views:
                    view.record_again()
                value = Markup(macro(*arguments))
        finally:
            links.trace = outer
            if outer is not None:  # a shared part inside another: the outer one made these links too
                outer.links.extend(trace.links)
                outer.shareable = outer.shareable and trace.shareable
        if len(page.problems) == problems and len(page.claims) == claims:
            reads = captured.reads()
            if fragments is not None and recorder.active:
                if fragments.making:
                    fragments.making[-1].append(key)
                fragments.now[key] = Fragment(value, reads)
            made = self._made.setdefault(where, [])
            # A link into this page's own folder is made alike from no other page; and a part made anew on
            # page after page is not worth comparing with every earlier one.
            own = route.url if route.url.endswith("/") else "\0"
            if trace.shareable and len(made) < MOST_VARIANTS and not any(target.startswith(own) for target, _ in trace.links):
                made.append(SharedPart(value, reads, tuple(dict.fromkeys(trace.links))))
        return value


MOST_VARIANTS = 4  # kept of one part in one folder: more means it links to each page's own folder
