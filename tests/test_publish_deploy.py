"""Deploy-ready output: fingerprinted assets, host files, --minify, and `build.py deploy --dry-run`."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from eventsite import hosting
from eventsite.build import build_site
from eventsite.cli import main
from eventsite.deploy import plan_upload, upload
from eventsite.publish import BuildOptions

from tests.support.vnu import check_html, format_messages

from .sitekit import PROJECT_ROOT, build, parse_html, project_for, snapshot, write_site

BASE = "https://example.org/forum/"
HASHED = re.compile(r"\.[0-9a-f]{8}\.")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deploy")
    build(write_site(root), root / "site")
    return root / "site"


def static_references(site: Path) -> list[tuple[str, str]]:
    """(page, file below the site) of every href/src into static/."""
    found = []
    for path in site.rglob("*.html"):
        page = path.relative_to(site).as_posix()
        for url in parse_html(path).xpath("//@href | //@src"):
            if "static/" not in url:
                continue
            absolute = urljoin(BASE + page, url)
            assert absolute.startswith(BASE), url
            found.append((page, urlsplit(absolute).path[len(urlsplit(BASE).path):]))
    return found


# --- fingerprints ---------------------------------------------------------------------


def test_every_static_file_is_fingerprinted_and_every_reference_follows(built: Path) -> None:
    theme = sorted(p.name for p in (PROJECT_ROOT / "templates" / "static").iterdir() if p.is_file())
    shipped = sorted(p.name for p in (built / "static").iterdir() if p.is_file())
    assert len(shipped) == len(theme)
    assert all(".".join(p.name.split(".")[::2]) == f"{p.name.split('.')[0]}.svg" for p in (built / "static" / "flags").iterdir())
    for name in shipped:
        stem, digest, suffix = name.split(".", 2)
        assert f"{stem}.{suffix}" in theme
        assert digest == hashlib.sha256((built / "static" / name).read_bytes()).hexdigest()[:8]
    references = static_references(built)
    assert {target for _, target in references} >= {f"static/{n}" for n in shipped if n.startswith(("style.", "favicon."))}
    for page, target in references:
        assert (built / target).is_file(), f"{page} → {target}"
        assert HASHED.search(target), f"{page} → {target}: not fingerprinted"


def test_theme_assets_name_no_other_asset() -> None:
    """The rewrite covers HTML only; a url() in CSS or a path in a script would need it too."""
    static = PROJECT_ROOT / "templates" / "static"
    names = [p.name for p in static.iterdir()]
    for path in static.iterdir():
        if path.suffix in (".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert "url(" not in text.replace("url()", ""), path.name
            named = [name for name in names if re.search(r"[\"'(/]" + re.escape(name), text) and name != path.name]
            assert not named, f"{path.name} refers to {named}"  # (a mention in a comment is fine)


def test_dev_builds_keep_plain_names_and_write_no_host_files(tmp_path: Path) -> None:
    build(write_site(tmp_path), tmp_path / "site", options=BuildOptions(dev=True))
    assert (tmp_path / "site" / "static" / "style.css").is_file()
    assert not any((tmp_path / "site" / name).exists() for name in ("_headers", "_redirects", ".nojekyll"))
    assert not list((tmp_path / "site").rglob("og.png"))


def test_builds_are_byte_reproducible(built: Path, tmp_path: Path) -> None:
    build(write_site(tmp_path), tmp_path / "again")
    assert snapshot(tmp_path / "again") == snapshot(built)


# --- host files -------------------------------------------------------------------------


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            name, _, value = line.strip().partition(": ")
            assert name not in rules[-1][1], f"{name} twice in one rule"
            rules[-1][1][name] = value
        else:
            rules.append((line.strip(), {}))
    return rules


def covers(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def test_headers_file(built: Path) -> None:
    rules = parse_headers((built / "_headers").read_text(encoding="utf-8"))
    everything = dict(rules)["/forum/*"]
    assert everything["X-Content-Type-Options"] == "nosniff"
    assert everything["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # Every served file gets exactly one Cache-Control: no two rules overlap (Cloudflare would join them).
    for relative in snapshot(built):
        if relative in hosting.HOST_FILES:
            continue
        path = "/forum/" + relative
        values = [headers["Cache-Control"] for pattern, headers in rules if "Cache-Control" in headers and covers(pattern, path)]
        assert len(values) == 1, (path, values)
        expected = hosting.IMMUTABLE if relative.startswith("static/") else hosting.REVALIDATE
        assert values[0] == expected, path
    assert [headers["Cache-Control"] for pattern, headers in rules if pattern == "/forum/"] == ["no-cache"]
    assert len(rules) <= hosting.RULE_LIMIT


def meta_policies(site: Path) -> set[str]:
    found = set()
    for path in site.rglob("*.html"):
        found.update(parse_html(path).xpath("//meta[@http-equiv='Content-Security-Policy']/@content"))
    return found


def test_csp_header_is_the_meta_policy(built: Path) -> None:
    """The header is base.html's policy; where a page's own meta tag allows more (search: wasm), the union of both."""
    header = dict(parse_headers((built / "_headers").read_text(encoding="utf-8")))["/forum/*"]["Content-Security-Policy"]
    # base.html's policy: the csp_policy macro with its default script-src (templates/_macros.html)
    macros = (PROJECT_ROOT / "templates" / "_macros.html").read_text(encoding="utf-8")
    macro = re.search(r"macro csp_policy\(script=\"([^\"]+)\"\) -%\}\n([^\n]+)\n", macros)
    base_policy = macro[2].replace("{{ script|safe }}", macro[1])
    policies = meta_policies(built)
    assert base_policy in policies
    assert header == hosting.union(sorted(policies, key=lambda p: p != base_policy))
    assert hosting.union([base_policy]) == base_policy  # alone, it is sent as it is
    directives = lambda policy: {d.split()[0]: set(d.split()[1:]) for d in policy.split(";")}  # noqa: E731
    for policy in policies:  # a page's meta policy is never looser than the header
        for name, sources in directives(policy).items():
            assert sources <= directives(header)[name] or sources == {"'none'"}, (name, policy)


def test_redirects_and_nojekyll(built: Path) -> None:
    assert (built / ".nojekyll").read_bytes() == b""
    rules = [line.split() for line in (built / "_redirects").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert rules == [[f"/forum/{lang}/*", f"/forum/{lang}/404.html", "404"] for lang in ("en", "ko", "th")]
    assert not any(rule[0] in ("/", "/forum/") for rule in rules)  # the root stays the language chooser


# --- minify ---------------------------------------------------------------------------------


def test_minify_is_off_by_default_and_keeps_pages_valid(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code = main(["build", "--content", str(write_site(tmp_path)), "--out", str(out), "--minify"], root=PROJECT_ROOT)
    assert code == 0
    plain, small = built / "en" / "sessions" / "opening" / "index.html", out / "en" / "sessions" / "opening" / "index.html"
    assert small.stat().st_size < plain.stat().st_size * 0.95
    assert "\n  <" in plain.read_text() and "\n  <" not in small.read_text()
    css = next((out / "static").glob("style.*.css"))
    assert css.stat().st_size < next((built / "static").glob("style.*.css")).stat().st_size
    assert css.name.split(".")[1] == hashlib.sha256(css.read_bytes()).hexdigest()[:8]  # the hash of what is served
    for page, target in static_references(out):
        assert (out / target).is_file(), f"{page} → {target}"
    files = [small, out / "index.html", out / "404.html", out / "th" / "404.html", out / "en" / "schedule" / "index.html"]
    report = check_html(files)
    assert not report.errors, format_messages(report.errors)


def test_media_are_published_as_they_are_while_pages_are_minified_and_fingerprinted(tmp_path: Path) -> None:
    """Minify and fingerprints change the rendered pages and the theme's assets, as they are written; an
    HTML or CSS file in media/ (a handout) is the editor's file, byte for byte, whatever it links to."""
    handout = '<!doctype html>\n<html lang="en">\n  <head>\n    <link rel="stylesheet" href="../static/style.css">\n  </head>\n</html>\n'
    sheet = "body {\n  color: black;\n}\n"
    content = write_site(tmp_path, {"media/handout.html": handout, "media/print.css": sheet})
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(out), "--minify"], root=PROJECT_ROOT) == 0
    assert (out / "media" / "handout.html").read_text(encoding="utf-8") == handout
    assert (out / "media" / "print.css").read_text(encoding="utf-8") == sheet
    page = (out / "en" / "sessions" / "opening" / "index.html").read_text(encoding="utf-8")
    assert "\n  <" not in page
    stylesheet = parse_html(out / "en" / "sessions" / "opening" / "index.html").xpath("//link[@rel='stylesheet']/@href")
    assert stylesheet and all(HASHED.search(href) for href in stylesheet)


# --- deploy -----------------------------------------------------------------------------------


def dry_run(capsys, out: Path, *extra: str) -> list[list[str]]:
    code = main(["deploy", "--dry-run", "--no-build", "--out", str(out), "--target", "s3://bucket/events/busan", *extra], root=PROJECT_ROOT)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return [line.split("\t") for line in captured.out.splitlines()]


def test_deploy_dry_run_lists_every_file_with_type_and_caching(built: Path, capsys, tmp_path: Path) -> None:
    lines = dry_run(capsys, built, "--manifest", str(tmp_path / "none.json"))
    uploads = {fields[1]: fields for fields in lines if fields[0] == "upload"}
    files = [name for name in snapshot(built) if name not in hosting.HOST_FILES]
    assert sorted(uploads) == sorted("events/busan/" + name for name in files)
    assert uploads["events/busan/en/index.html"][2:] == ["text/html; charset=utf-8", "no-cache"]
    assert uploads["events/busan/sitemap.xml"][2] == "application/xml"
    assert uploads["events/busan/en/news/atom.xml"][2] == "application/atom+xml"
    assert uploads["events/busan/en/schedule.ics"][2] == "text/calendar; charset=utf-8"
    assert uploads["events/busan/en/sessions/opening/og.png"][2] == "image/png"
    style = next(key for key in uploads if "/static/style." in key)
    assert uploads[style][2:] == ["text/css; charset=utf-8", hosting.IMMUTABLE]
    keys = [fields[1] for fields in lines if fields[0] == "upload"]
    assert keys.index(style) < keys.index("events/busan/en/index.html")  # assets before the pages naming them
    assert {fields[1] for fields in lines if fields[0] == "skip"} == hosting.HOST_FILES
    assert lines[-1][0].startswith("s3://bucket/events/busan/: ") and not any(fields[0] == "delete" for fields in lines)


def test_deploy_dry_run_deletes_what_the_previous_upload_had(built: Path, capsys, tmp_path: Path) -> None:
    index = built / "en" / "index.html"
    previous = {
        "version": 1,
        "target": "s3://bucket/events/busan/",
        "files": {
            "events/busan/en/index.html": hashlib.sha256(index.read_bytes()).hexdigest(),
            "events/busan/en/sessions/cancelled/index.html": "0" * 64,
            "events/busan/static/style.00000000.css": "0" * 64,
        },
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(previous), encoding="utf-8")
    lines = dry_run(capsys, built, "--manifest", str(manifest))
    assert ["unchanged", "events/busan/en/index.html", "text/html; charset=utf-8", "no-cache"] in lines
    assert [fields[1] for fields in lines if fields[0] == "delete"] == [
        "events/busan/en/sessions/cancelled/index.html", "events/busan/static/style.00000000.css",
    ]


def test_deploy_refuses_a_manifest_of_another_target(built: Path, capsys, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"version": 1, "target": "s3://other/", "files": {}}), encoding="utf-8")
    code = main(["deploy", "--dry-run", "--no-build", "--out", str(built), "--target", "s3://bucket/x", "--manifest", str(manifest)], root=PROJECT_ROOT)
    assert code == 2 and "s3://other/" in capsys.readouterr().err


def test_deploy_builds_first_unless_told_not_to(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    out = tmp_path / "site"
    args = ["deploy", "--dry-run", "--content", str(content), "--out", str(out), "--target", "s3://bucket", "--manifest", str(tmp_path / "m.json")]
    assert main(args, root=PROJECT_ROOT) == 0
    captured = capsys.readouterr()
    assert "wrote " in captured.err and "upload\ten/index.html\t" in captured.out


def test_a_real_deploy_without_boto3_says_so(built: Path, capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 → ImportError, installed or not
    code = main(["deploy", "--no-build", "--out", str(built), "--target", "s3://bucket/x"], root=PROJECT_ROOT)
    err = capsys.readouterr().err
    assert code == 2 and "boto3" in err and "nothing was built or uploaded" in err


def test_upload_sends_assets_first_pages_last_deletes_last_and_writes_the_manifest(built: Path, tmp_path: Path) -> None:
    calls: list[tuple] = []

    class FakeS3:
        def upload_file(self, Filename: str, Bucket: str, Key: str, ExtraArgs: dict[str, str]) -> None:
            calls.append(("put", Bucket, Key, ExtraArgs["ContentType"], ExtraArgs["CacheControl"]))

        def delete_objects(self, Bucket: str, Delete: dict) -> None:
            calls.append(("delete", Bucket, [item["Key"] for item in Delete["Objects"]]))

    plan = plan_upload(built, "s3://bucket/p", {"p/gone.html": "x", "p/en/index.html": "0"})
    upload(plan, FakeS3(), tmp_path / "manifest.json")
    puts = [call[2] for call in calls if call[0] == "put"]
    assert len(puts) == len(plan.uploads)
    first_page = next(i for i, key in enumerate(puts) if key.endswith(".html"))
    assert all(not key.endswith(".html") for key in puts[:first_page]) and all(key.endswith(".html") for key in puts[first_page:])
    assert HASHED.search(puts[0])
    assert calls[-1] == ("delete", "bucket", ["p/gone.html"])
    written = json.loads((tmp_path / "manifest.json").read_text())
    assert written["target"] == "s3://bucket/p/" and written["files"]["p/en/index.html"] == plan.manifest()["files"]["p/en/index.html"]
    # The next run against that manifest sends nothing and deletes nothing.
    again = plan_upload(built, "s3://bucket/p", written["files"])
    assert all(item.unchanged for item in again.uploads) and not again.deletions


def test_base_url_sub_path_is_used_in_host_files(tmp_path: Path) -> None:
    build_site(project_for(write_site(tmp_path), tmp_path / "site", base_url="https://example.org/"))
    rules = dict(parse_headers((tmp_path / "site" / "_headers").read_text(encoding="utf-8")))
    assert "/*" in rules and "/static/*" in rules and "/" in rules
