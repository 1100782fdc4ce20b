"""The installed `eventsite` command works in any folder: the theme and catalogs ship in the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .sitekit import PROJECT_ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with the wheel built from this checkout (dependencies from the test environment)."""
    folder = tmp_path_factory.mktemp("installed")
    wheels = folder / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(PROJECT_ROOT)],
        check=True, capture_output=True, text=True,
    )
    environment = folder / "venv"
    venv.create(environment, system_site_packages=True, with_pip=False)
    python = environment / "bin" / "python"
    (wheel,) = wheels.glob("eventsite-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True, capture_output=True, text=True,
    )
    return environment / "bin"


def run(bin_folder: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": ""}
    return subprocess.run(["eventsite", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_carries_the_default_theme(installed: Path) -> None:
    done = subprocess.run(
        [str(installed / "python"), "-c", "import eventsite, eventsite.theme as t; print(eventsite.__file__); print(t.default_folders()[0])"],
        capture_output=True, text=True, check=True, cwd="/",
    )
    package, templates = done.stdout.split()
    assert str(installed.parent) in package  # the installed copy, not this checkout
    assert templates.endswith("eventsite/default_theme/templates") and (Path(templates) / "base.html").is_file()
    assert (Path(templates).parent / "locales" / "ko" / "LC_MESSAGES" / "messages.po").is_file()
    # The web editor (site.yaml admin:) comes with the wheel: no npm needed to publish it.
    assert (Path(templates) / "admin" / "sveltia-cms.js").stat().st_size > 1_000_000
    assert (Path(templates) / "admin" / "fonts" / "material-symbols-outlined-latin-wght-normal.woff2").is_file()


def test_new_site_checks_builds_and_takes_a_template_override(installed: Path, tmp_path: Path) -> None:
    done = run(installed, tmp_path, "new", "site", "demo")
    assert done.returncode == 0, done.stderr
    demo = tmp_path / "demo"
    done = run(installed, demo, "check", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "0 errors, 0 warnings"
    done = run(installed, demo, "build", "--no-search")
    assert done.returncode == 0, done.stderr
    about = demo / "site" / "en" / "about" / "index.html"
    assert "About the event" in about.read_text(encoding="utf-8")
    assert "Séance d&#39;ouverture" in (demo / "site" / "fr" / "sessions" / "opening" / "index.html").read_text(encoding="utf-8")
    # A template in the site's own templates/ replaces the default theme's, file by file.
    (demo / "templates").mkdir()
    page = (PROJECT_ROOT / "templates" / "page.html").read_text(encoding="utf-8")
    (demo / "templates" / "page.html").write_text(page.replace("{% block main %}", "{% block main %}<p id=\"ours\">Our own page template</p>", 1), encoding="utf-8")
    done = run(installed, demo, "build", "--no-search")
    assert done.returncode == 0, done.stderr
    assert 'id="ours"' in about.read_text(encoding="utf-8")
    assert 'id="ours"' not in (demo / "site" / "en" / "schedule" / "index.html").read_text(encoding="utf-8")


def test_the_command_outside_a_site_says_what_is_missing(installed: Path, tmp_path: Path) -> None:
    done = run(installed, tmp_path, "build")
    assert done.returncode == 1
    assert "content folder not found" in done.stderr and "Traceback" not in done.stderr


# --- the pinned versions CI and publishing install (constraints.txt, scripts/pin-python-deps) -----------


def pinned_versions() -> dict[str, str]:
    lines = (PROJECT_ROOT / "constraints.txt").read_text("utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if line and not line.startswith("#"))


def test_every_requirement_is_pinned_within_its_range() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pinned = pinned_versions()
    for text in project["dependencies"] + project["optional-dependencies"]["test"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in constraints.txt: run scripts/pin-python-deps"
        assert requirement.specifier.contains(pinned[name], prereleases=True), f"{name}=={pinned[name]} is outside {text!r}"


def test_the_installed_packages_are_the_pinned_ones() -> None:
    """What the tests ran against is what CI and the publishing workflow install."""
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "pin-python-deps"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, (
        "the installed packages differ from constraints.txt: run bash scripts/install-test-deps, "
        "or, to move to them, scripts/pin-python-deps and commit the file\n" + done.stdout + done.stderr
    )


def test_the_workflow_installs_the_pinned_versions() -> None:
    workflow = (PROJECT_ROOT / ".github" / "workflows" / "site.yml").read_text("utf-8")
    installs = [line for line in workflow.splitlines() if "pip install" in line]
    assert installs and all("-c constraints.txt" in line for line in installs), installs
    assert "-c constraints.txt" in (PROJECT_ROOT / "scripts" / "install-test-deps").read_text("utf-8")
