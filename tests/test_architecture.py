"""The package's shape: no import cycles, and kinds named only where a kind lives."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventsite.kinds import KINDS

from .sitekit import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "eventsite"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def runtime_imports(path: Path) -> set[str]:
    """The eventsite modules a module imports when it runs (anywhere in it), leaving out
    ``if TYPE_CHECKING:`` blocks, which only type checkers read."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:  # noqa: N802
            test = node.test
            if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
            found.update(alias.name for alias in node.names if alias.name.startswith("eventsite"))

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("eventsite"):
                return
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if modules_by_name.get(candidate) else target)

    Visitor().visit(tree)
    return found


modules_by_name = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    return {name: {target for target in runtime_imports(path) if target in modules_by_name and target != name}
            for name, path in modules_by_name.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_import_graph_has_no_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_type_checking_imports_are_not_edges(tmp_path: Path) -> None:
    assert "eventsite.model" not in runtime_imports(PACKAGE / "kinds" / "base.py")
    assert "eventsite.routes" in runtime_imports(PACKAGE / "kinds" / "base.py")


# Kinds whose names are not also everyday words of the code ("page", "news", "person" are).
DISTINCT = ("session", "exhibit")


@pytest.mark.parametrize("kind", DISTINCT)
def test_only_its_module_and_the_registry_name_a_kind(kind: str) -> None:
    """A stage that needs to know a kind is a stage that must be edited to add one (docs/architecture.md)."""
    assert kind in {known.name for known in KINDS}
    found = subprocess.run(
        ["grep", "-rlw", "--include=*.py", kind, str(PACKAGE)], capture_output=True, text=True, check=False
    ).stdout.split()
    allowed = {f"eventsite/kinds/{kind}.py", "eventsite/kinds/__init__.py"}
    if kind == "session":
        allowed |= {f"eventsite/formats/{name}.py" for name in ("__init__", "ics", "frab", "c3voc")}  # the schedule formats
        allowed |= {"eventsite/exchange/programme.py"}  # the programme's import: imported items → the kind's fields
    if kind == "exhibit":
        allowed |= {"eventsite/kinds/session.py"}  # sessions link to exhibits (exhibit pages list them)
    named = {Path(path).relative_to(PROJECT_ROOT).as_posix() for path in found}
    assert named <= allowed, f"{sorted(named - allowed)} name the {kind!r} kind"


def test_mypy_passes() -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    done = subprocess.run([sys.executable, "-m", "mypy", "eventsite"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]


HEAVY = ("jinja2", "pydantic", "babel", "PIL", "icalendar", "markdown", "nh3", "lxml")


def test_the_command_line_starts_without_heavy_imports() -> None:
    """`--help` (and the up-to-date check of a build) must not pay for Jinja, pydantic, Pillow…"""
    probe = (
        "import sys\n"
        "from eventsite.cli import make_parser\n"
        "from eventsite.commands import project_from\n"
        "make_parser()\n"
        f"print(sorted({{name.split('.')[0] for name in sys.modules}} & set({HEAVY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    assert done.stdout.strip() == "[]", f"imported at start-up: {done.stdout.strip()}"


def test_a_build_imports_python_markdown_only_for_a_body_outside_the_subset() -> None:
    """A rebuild takes its bodies from the cache and the subset: Python-Markdown, its extensions and lxml's
    parser (~55 ms with the converter) wait until a body needs them; then they convert it. segno (~25 ms)
    waits for a QR code that is not in the cache (tests/test_qr.py makes them)."""
    probe = (
        "import json, sys\n"
        "import eventsite.build, eventsite.rebuild, eventsite.render, eventsite.serve\n"
        "from eventsite.markup import Conversions, MarkdownRenderer\n"
        "conversions = Conversions(None)\n"
        "print(json.dumps(MarkdownRenderer().render('A paragraph with *emphasis*.').html))\n"
        "print(sorted(name for name in ('markdown', 'lxml.etree', 'lxml.html', 'segno') if name in sys.modules))\n"
        "print(json.dumps(MarkdownRenderer().render('Term\\n: its definition').html))\n"
        "print('markdown' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    subset, imported, definition, later = done.stdout.splitlines()
    assert json.loads(subset) == "<p>A paragraph with <em>emphasis</em>.</p>"
    assert imported == "[]"
    assert json.loads(definition) == "<dl>\n<dt>Term</dt>\n<dd>its definition</dd>\n</dl>" and later == "True"
