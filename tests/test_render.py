"""eventsite/render.py: which template files a page depends on, worked out once and kept in the cache folder."""

from __future__ import annotations

from pathlib import Path

import jinja2.meta
import pytest

from eventsite.build import Caches, prepare
from eventsite.cache import DiskCache
from eventsite.l10n import load_translations
from eventsite.project import BuildOptions
from eventsite.render import Renderer, SharedBytecodeCache

from .sitekit import PROJECT_ROOT, project_for, write_site


def renderer_for(tmp_path: Path, cache: Path | None) -> Renderer:
    project = project_for(write_site(tmp_path / "src"), tmp_path / "site")
    prepared = prepare(project, Caches(), BuildOptions())
    site = prepared.site
    translations = load_translations(project.theme.locale_folders, site.languages, site.fallback_chains)
    return Renderer(site, prepared.plan, project.theme, translations,
                    disk_cache=DiskCache(cache, "markdown") if cache is not None else None, cache_folder=cache)


def parses(monkeypatch) -> list[str]:
    seen: list[str] = []
    original = jinja2.meta.find_referenced_templates

    def counting(ast):
        seen.append("parsed")
        return original(ast)

    monkeypatch.setattr("eventsite.render.jinja_meta.find_referenced_templates", counting)
    return seen


def test_a_page_depends_on_its_template_and_all_it_uses(tmp_path: Path) -> None:
    renderer = renderer_for(tmp_path, None)
    files = {path.name for path in renderer.template_files("session.html")}
    assert {"session.html", "base.html", "_macros.html"} <= files
    assert all(path.is_file() and path.is_relative_to(PROJECT_ROOT / "templates") for path in renderer.template_files("session.html"))


def test_the_references_are_parsed_once_and_then_read_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    seen = parses(monkeypatch)
    first = renderer_for(tmp_path, tmp_path / "cache").template_files("session.html")
    parsed = len(seen)
    assert parsed >= 3
    again = renderer_for(tmp_path, tmp_path / "cache").template_files("session.html")
    assert again == first and len(seen) == parsed  # nothing parsed by the second renderer


@pytest.mark.parametrize("damage", [b"{", b'"not a list"', b"[1, 2]"])
def test_a_damaged_entry_is_parsed_again(tmp_path: Path, monkeypatch, damage: bytes) -> None:
    first = renderer_for(tmp_path, tmp_path / "cache").template_files("session.html")
    for entry in (tmp_path / "cache" / "template-references").rglob("*.json"):
        entry.write_bytes(damage)
    seen = parses(monkeypatch)
    assert renderer_for(tmp_path, tmp_path / "cache").template_files("session.html") == first
    assert seen


def test_without_a_cache_folder_nothing_is_kept(tmp_path: Path) -> None:
    renderer_for(tmp_path, None).template_files("session.html")
    assert not (tmp_path / "cache").exists()


# --- values several pages make alike (page.SharedValues) ------------------------------


def test_the_programme_exports_make_their_schedule_once_and_each_records_what_it_read(tmp_path: Path, monkeypatch) -> None:
    from eventsite import formats
    from eventsite.depends import Recorder
    from eventsite.parallel import plan_chunks
    from eventsite.render import render_route

    made: list[str] = []
    original = formats._schedule_of

    def counting(page):
        made.append(page.route.url)
        return original(page)

    monkeypatch.setattr(formats, "_schedule_of", counting)
    routes = {route.kind.name: route for route in renderer_for(tmp_path, None).plan.routes if route.kind.name in ("schedule-xml", "schedule-json")}
    assert set(routes) == {"schedule-xml", "schedule-json"}

    def render(renderer: Renderer, name: str) -> tuple[bytes | None, Recorder]:
        recorder = Recorder()
        return render_route(renderer, routes[name], recorder).data, recorder

    alone = {name: render(renderer_for(tmp_path, None), name) for name in routes}  # each with its own renderer
    assert len(made) == 2
    shared = renderer_for(tmp_path, None)
    together = {name: render(shared, name) for name in ("schedule-xml", "schedule-json")}
    assert len(made) == 3, "the second export made the schedule again"
    for name in routes:
        assert together[name][0] == alone[name][0]
        assert together[name][1].sources == alone[name][1].sources and together[name][1].facts == alone[name][1].facts
        assert any(fact.startswith("collection:") for fact in together[name][1].facts)

    # One worker renders both: they are one chunk of the parallel build.
    plan = list(shared.plan.routes)
    numbers = {plan.index(route) for route in routes.values()}
    assert numbers in [set(chunk) for chunk in plan_chunks(plan)]


# --- compiled templates shared by the languages' environments ----------------------------


class CountingFiles(jinja2.FileSystemBytecodeCache):
    def __init__(self, folder: Path):
        folder.mkdir(exist_ok=True)
        super().__init__(str(folder))
        self.loads: list[str] = []
        self.dumps: list[str] = []

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.loads.append(bucket.key)
        super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.dumps.append(bucket.key)
        super().dump_bytecode(bucket)


def environment_for(folder: Path, cache: jinja2.BytecodeCache, greeting: str) -> jinja2.Environment:
    """As Renderer.environment makes one per language: its own globals, the compiled code shared."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, autoescape=True)
    environment.globals["greeting"] = greeting
    return environment


def test_languages_share_each_template_s_code_read_once_from_disk(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{{ greeting }}, {{ name }}!", encoding="utf-8")
    files = CountingFiles(tmp_path / "cache")
    shared = SharedBytecodeCache(files)
    made = [environment_for(templates, shared, greeting).get_template("page.html").render(name="Busan")
            for greeting in ("Hello", "안녕하세요", "สวัสดี")]
    assert made == ["Hello, Busan!", "안녕하세요, Busan!", "สวัสดี, Busan!"]
    assert len(files.loads) == 1 and len(files.dumps) == 1  # compiled once, then shared
    # A later build (a new process: a new shared cache) reads the code from disk, once, and compiles nothing.
    again = CountingFiles(tmp_path / "cache")
    later = SharedBytecodeCache(again)
    for greeting in ("Hello", "Xin chào"):
        environment_for(templates, later, greeting).get_template("page.html").render(name="Busan")
    assert len(again.loads) == 1 and again.dumps == []


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("{{ greeting }}, {{ name }}!", encoding="utf-8")
    files = CountingFiles(tmp_path / "cache")
    shared = SharedBytecodeCache(files)
    assert environment_for(templates, shared, "Hello").get_template("page.html").render(name="Busan") == "Hello, Busan!"
    page.write_text("{{ greeting }} from {{ name }}.", encoding="utf-8")
    assert environment_for(templates, shared, "Hello").get_template("page.html").render(name="Busan") == "Hello from Busan."
    assert len(files.dumps) == 2
    # With no file behind it, a template not compiled yet is not found (Jinja compiles it).
    bucket = jinja2.bccache.Bucket(environment_for(templates, shared, ""), "key", "sum")
    SharedBytecodeCache().load_bytecode(bucket)
    assert bucket.code is None
