"""The web editor (eventsite/admin.py): off by default; with site.yaml ``admin:``, /admin/ is the
vendored Sveltia CMS, configured from the content schemas, under its own policy, out of the
sitemap, the search index and the language links. The editor used in a browser:
tests/test_admin_browser.py."""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import types
from pathlib import Path

import jsonschema
import pytest
import yaml

from eventsite import admin
from eventsite.errors import BuildError
from eventsite.hosting import union
from eventsite.kinds import KINDS
from eventsite.schemas import json_schema
from tests.support.tools import NODE_MODULES, require_file
from tests.support.vnu import check_html, format_messages

from .sitekit import PROJECT_ROOT, SITE_YAML, build, parse_html, write_site
from .test_csp import POLICY as SITE_POLICY
from .test_publish_deploy import covers, parse_headers

ADMIN = "admin: {backend: github, repo: ministry/forum-site, branch: main}\n"
SVELTIA_SCHEMA = NODE_MODULES / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"
VENDORED = PROJECT_ROOT / "templates" / "admin"


def built(tmp_path: Path, site_yaml: str = SITE_YAML + ADMIN, name: str = "site") -> Path:
    content = write_site(tmp_path / name, {"site.yaml": site_yaml})
    output = tmp_path / name / "out"
    build(content, output)
    return output


@pytest.fixture(scope="module")
def with_admin(tmp_path_factory) -> Path:
    return built(tmp_path_factory.mktemp("admin"))


@pytest.fixture(scope="module")
def without_admin(tmp_path_factory) -> Path:
    return built(tmp_path_factory.mktemp("plain"), SITE_YAML)


def config_of(output: Path) -> dict:
    return yaml.safe_load((output / "admin" / "config.yml").read_text(encoding="utf-8"))


# --- on and off -------------------------------------------------------------------------------


def test_off_by_default(without_admin: Path) -> None:
    assert not (without_admin / "admin").exists()
    headers = dict(parse_headers((without_admin / "_headers").read_text(encoding="utf-8")))
    assert "Content-Security-Policy" in headers["/forum/*"]  # the site's policy on every path, as before


def test_publishes_the_page_its_configuration_and_the_vendored_cms(with_admin: Path) -> None:
    published = sorted(path.relative_to(with_admin / "admin").as_posix() for path in (with_admin / "admin").rglob("*") if path.is_file())
    assert published == [
        "config.yml",
        "fonts/material-symbols-outlined-latin-wght-normal.woff2",
        "fonts/noto-mono-latin-400-normal.woff2",
        "fonts/source-sans-3-latin-wght-normal.woff2",
        "index.html",
        "sveltia-cms.js",
    ]
    assert (with_admin / "admin" / "sveltia-cms.js").read_bytes() == (VENDORED / "sveltia-cms.js").read_bytes()
    page = parse_html(with_admin / "admin" / "index.html")
    assert page.xpath("//script/@src") == ["sveltia-cms.js"]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]
    assert page.xpath("//title/text()") == ["Test Forum"]


def test_the_admin_page_is_valid_html(with_admin: Path) -> None:
    """The vnu gate passes on the page we write; the app it starts is Sveltia's (axe: not gated, see test_gates_site)."""
    report = check_html([with_admin / "admin" / "index.html"])
    assert not report.errors, format_messages(report.errors)


def test_nothing_is_loaded_from_elsewhere() -> None:
    """The vendored bundle points its fonts at admin/fonts/, not at a CDN (scripts/vendor-admin)."""
    bundle = (VENDORED / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in bundle
    for font in (VENDORED / "fonts").iterdir():
        assert f"url(fonts/{font.name})" in bundle


def test_the_vendored_copy_is_what_its_manifest_says() -> None:
    """templates/admin/vendored.json (written by scripts/vendor-admin) pins versions and bytes; the licences go along."""
    manifest = json.loads((VENDORED / "vendored.json").read_text(encoding="utf-8"))
    for relative, digest in manifest["files"].items():
        assert hashlib.sha256((VENDORED / relative).read_bytes()).hexdigest() == digest, relative
    package = json.loads((PROJECT_ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert manifest["packages"] == {name: package[name] for name in manifest["packages"]}  # what package.json pins
    licence = (VENDORED / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and licence.count("SIL OPEN FONT LICENSE") == 3


def test_the_vendored_copy_is_the_pinned_package_made_local() -> None:
    """What scripts/vendor-admin makes of node_modules (npm ci, package-lock.json) is what is committed."""
    loader = importlib.machinery.SourceFileLoader("vendor_admin", str(PROJECT_ROOT / "scripts" / "vendor-admin"))
    vendor = types.ModuleType(loader.name)
    vendor.__file__ = loader.path
    loader.exec_module(vendor)
    bundle = require_file(vendor.BUNDLE, "Sveltia CMS").read_text(encoding="utf-8")
    assert vendor.localized(bundle) == (VENDORED / "sveltia-cms.js").read_text(encoding="utf-8")
    for file in vendor.FONTS.values():
        assert (NODE_MODULES / file).read_bytes() == (VENDORED / "fonts" / Path(file).name).read_bytes()
    with pytest.raises(ValueError, match="not once"):
        vendor.localized(bundle.replace(vendor.CDN, "https://elsewhere.example/"))


# --- the configuration, from the schemas ---------------------------------------------------------


def test_the_configuration_is_valid_for_sveltia(with_admin: Path) -> None:
    """Against the JSON Schema Sveltia CMS publishes for its configuration (in the npm package)."""
    schema = json.loads(require_file(SVELTIA_SCHEMA, "Sveltia CMS's configuration schema").read_text(encoding="utf-8"))
    jsonschema.validate(config_of(with_admin), schema)


def test_the_configuration_is_wrong_for_sveltia_when_it_should_be(with_admin: Path) -> None:
    """The control: the schema does refuse a field type Sveltia lacks."""
    schema = json.loads(require_file(SVELTIA_SCHEMA, "Sveltia CMS's configuration schema").read_text(encoding="utf-8"))
    config = config_of(with_admin)
    config["collections"][0]["fields"][0]["widget"] = {"not": "a widget"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(config, schema)


def test_backend_languages_media_and_the_editorial_workflow(with_admin: Path) -> None:
    config = config_of(with_admin)
    assert config["backend"] == {"name": "github", "repo": "ministry/forum-site", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"  # saving opens a pull request
    assert config["media_folder"] == "content/media"
    assert config["i18n"] == {
        "structure": "multiple_files",
        "locales": ["en", "ko", "th"],
        "default_locale": "en",
        "omit_default_locale_from_file_path": True,  # <id>.md, <id>.ko.md
    }


def test_every_kind_is_a_collection_with_every_field(with_admin: Path) -> None:
    collections = {collection["name"]: collection for collection in config_of(with_admin)["collections"]}
    assert list(collections) == [kind.folder for kind in KINDS]
    for kind in KINDS:
        collection = collections[kind.folder]
        assert collection["folder"] == f"content/{kind.folder}"
        assert collection["i18n"] is True
        fields = {field["name"]: field for field in collection["fields"]}
        schema = json_schema(kind.meta)
        assert list(fields) == [*schema["properties"], "body", "source_fingerprint", "review"]
        for name, prop in schema["properties"].items():
            field = fields[name]
            translatable = name in kind.translatable
            assert field["i18n"] is translatable, (kind.name, name)
            if field["widget"] == "hidden":  # a choice among none (no tracks in site.yaml): no hint, never required
                continue
            if name in schema.get("required", ()):
                assert field["required"] == (["en"] if translatable else True), (kind.name, name)
            else:
                assert field["required"] is False, (kind.name, name)
            assert field["hint"].lower() == prop["description"].lower()
        assert fields["body"]["widget"] == "markdown" and fields["body"]["i18n"] is True
        # What a translation records about itself is kept, never shown.
        assert fields["source_fingerprint"] == {"name": "source_fingerprint", "widget": "hidden", "i18n": True}


def test_widgets_follow_types_and_references(with_admin: Path) -> None:
    collections = {collection["name"]: collection for collection in config_of(with_admin)["collections"]}
    sessions = {field["name"]: field for field in collections["sessions"]["fields"]}
    assert sessions["start"]["widget"] == "datetime" and sessions["start"]["format"] == "YYYY-MM-DD HH:mm"
    assert sessions["kind"]["widget"] == "select" and "bilateral" in sessions["kind"]["options"]
    # An optional choice has no default: the editor would write it into every file it saves.
    assert "default" not in sessions["kind"] and "default" not in sessions["status"]
    assert sessions["room"] == {**sessions["room"], "widget": "select", "options": [
        {"label": "Hall A", "value": "hall-a"}, {"label": "Hall B", "value": "hall-b"}]}
    # The fixture's site.yaml has no tracks: nothing to choose (Sveltia refuses a select without options).
    assert sessions["track"]["widget"] == "hidden" and "options" not in sessions["track"]
    assert sessions["speakers"] == {**sessions["speakers"], "widget": "relation", "collection": "people",
                                    "value_field": "{{slug}}", "display_fields": ["name"], "multiple": True}
    assert sessions["countries"]["widget"] == "select" and sessions["countries"]["multiple"] is True
    assert [option["value"] for option in sessions["countries"]["options"]] == ["KR", "TH", "NO"]
    exhibits = {field["name"]: field for field in collections["exhibits"]["fields"]}
    assert exhibits["section"]["options"] == [{"label": "Korea", "value": "korea"}]
    assert exhibits["url"]["type"] == "url"
    assert exhibits["image"]["widget"] == "string"  # a path below media/ (Sveltia's picker would write /media/…)
    news = {field["name"]: field for field in collections["news"]["fields"]}
    assert news["date"] == {**news["date"], "widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}


def test_an_oauth_client_and_another_content_folder(tmp_path: Path) -> None:
    output = built(tmp_path, SITE_YAML + "admin:\n  backend: github\n  repo: ministry/forum-site\n  branch: live\n"
                   "  auth_url: https://auth.example.org/\n  content_folder: sites/busan/content\n")
    config = config_of(output)
    assert config["backend"] == {"name": "github", "repo": "ministry/forum-site", "branch": "live", "base_url": "https://auth.example.org"}
    assert config["media_folder"] == "sites/busan/content/media"
    assert config["collections"][0]["folder"] == "sites/busan/content/sessions"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("admin: {backend: gitlab, repo: a/b}", "github"),
        ("admin: {backend: github, repo: forum-site}", "'forum-site' is not a GitHub repository"),
        ("admin: {backend: github, repo: https://github.com/a/b}", "is not a GitHub repository"),
        ("admin: {backend: github, repo: a/b, content_folder: ../content}", "is not a folder inside the repository"),
        ("admin: {backend: github, repo: a/b, auth_url: auth.example.org}", "http"),
        ("admin: {backend: github}", "repo"),
    ],
)
def test_bad_settings_are_located_errors_and_nothing_is_written(tmp_path: Path, settings: str, expected: str) -> None:
    content = write_site(tmp_path, {"site.yaml": SITE_YAML + settings + "\n"})
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "out")
    [problem] = raised.value.problems
    line = SITE_YAML.count("\n") + 1
    assert problem.path.endswith("site.yaml") and problem.line == line, problem
    assert expected in problem.message
    assert "pydantic" not in problem.message.lower()
    assert not (tmp_path / "out").exists()


# --- its own policy; everything else's unchanged ---------------------------------------------------


def test_the_admin_page_has_its_own_policy_and_every_other_page_keeps_the_site_one(with_admin: Path, without_admin: Path) -> None:
    policy = parse_html(with_admin / "admin" / "index.html").xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy == [admin.policy()]
    assert "'unsafe-eval'" not in admin.policy() and "https:" not in admin.policy().replace("https://", "")
    for output in (with_admin, without_admin):
        for page in sorted(output.rglob("*.html")):
            if page.relative_to(output).parts[0] == "admin":
                continue
            [found] = parse_html(page).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
            assert found in (SITE_POLICY, SITE_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")), page


def test_headers_give_admin_its_policy_and_no_path_two_policies(with_admin: Path, without_admin: Path) -> None:
    rules = parse_headers((with_admin / "_headers").read_text(encoding="utf-8"))
    site_policy = dict(parse_headers((without_admin / "_headers").read_text(encoding="utf-8")))["/forum/*"]["Content-Security-Policy"]
    by_path = dict(rules)
    assert by_path["/forum/admin/*"]["Content-Security-Policy"] == admin.header_policy()
    assert "frame-ancestors 'none'" in admin.header_policy()
    probes = ["/forum/", "/forum/index.html", "/forum/en/", "/forum/ko/sessions/talk/", "/forum/static/style.css",
              "/forum/admin/", "/forum/admin/sveltia-cms.js", "/forum/robots.txt", "/forum/pagefind/x.js"]
    for probe in probes:
        policies = [headers["Content-Security-Policy"] for pattern, headers in rules
                    if covers(pattern, probe) and "Content-Security-Policy" in headers]
        assert len(policies) == 1, (probe, policies)  # hosts would send both, and browsers enforce both
        assert policies[0] == (admin.header_policy() if probe.startswith("/forum/admin/") else site_policy), probe
    assert site_policy == union([site_policy])  # the site's header is what it was without the editor


def test_the_admin_page_is_not_in_the_sitemap_the_search_index_or_the_language_links(with_admin: Path) -> None:
    for sitemap in with_admin.rglob("sitemap*.xml"):
        assert "/admin/" not in sitemap.read_text(encoding="utf-8")
    assert "data-pagefind" not in (with_admin / "admin" / "index.html").read_text(encoding="utf-8")
    assert not any("admin" in path.name for path in (with_admin / "pagefind").rglob("*"))
    for page in with_admin.rglob("*.html"):
        if page.relative_to(with_admin).parts[0] == "admin":
            continue
        links = parse_html(page).xpath("//@href")
        assert not any("admin/" in link for link in links), page
    robots = (with_admin / "robots.txt").read_text(encoding="utf-8")
    assert "admin" not in robots or "Disallow" in robots
