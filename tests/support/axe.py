"""Run axe-core (the npm package pinned in package-lock.json) in a page.

Injection under CSP: our pages carry ``script-src 'self'``, which blocks
``page.add_script_tag`` (it inserts an inline script) unless the context is
opened with ``bypass_csp=True``. Bypassing would also let through inline
styles/scripts that real visitors' browsers block, so axe would judge a
rendering nobody sees. Instead we evaluate axe's source through the
DevTools protocol (``page.evaluate``), which page CSP does not govern: the
page keeps its real CSP and axe still runs. tests/test_support_gates.py
verifies both facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from playwright.sync_api import Page

from .tools import AXE_JS, require_file

# WCAG 2.0/2.1 levels A and AA: what our accessibility statement promises.
WCAG_AA_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN_AXE = """
async (options) => {
  const results = await axe.run(document, options);
  // Shadow-DOM/iframe targets are nested arrays; flatten to one string.
  const target = (t) => Array.isArray(t) ? t.map(target).join(" >>> ") : String(t);
  const pick = (items) => items.map((r) => ({
    id: r.id,
    impact: r.impact ?? null,
    help: r.help,
    helpUrl: r.helpUrl,
    tags: r.tags,
    nodes: r.nodes.map((n) => ({
      target: n.target.map(target),
      html: n.html,
      failureSummary: n.failureSummary ?? null,
    })),
  }));
  return {
    version: axe.version,
    violations: pick(results.violations),
    incomplete: pick(results.incomplete),
  };
}
"""


@dataclass(frozen=True, slots=True)
class AxeNode:
    target: tuple[str, ...]  # CSS selector path(s) of the offending element
    html: str  # its outer HTML, truncated by axe
    failure_summary: str | None


@dataclass(frozen=True, slots=True)
class Violation:
    id: str  # rule id, e.g. "image-alt", "color-contrast"
    impact: str | None  # "minor" | "moderate" | "serious" | "critical"
    help: str
    help_url: str
    tags: tuple[str, ...]
    nodes: tuple[AxeNode, ...]

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Violation:
        return cls(
            id=raw["id"],
            impact=raw["impact"],
            help=raw["help"],
            help_url=raw["helpUrl"],
            tags=tuple(raw["tags"]),
            nodes=tuple(
                AxeNode(tuple(n["target"]), n["html"], n["failureSummary"]) for n in raw["nodes"]
            ),
        )


@dataclass(frozen=True, slots=True)
class AxeResults:
    version: str
    violations: tuple[Violation, ...]
    # Rules axe could not decide (e.g. contrast of text over an image):
    # not failures, but a gate should look at them rather than trust silence.
    incomplete: tuple[Violation, ...]


class AxeError(RuntimeError):
    """axe could not be injected or run in the page."""


def run_axe(
    page: Page,
    *,
    tags: Sequence[str] = WCAG_AA_TAGS,
    disable_rules: Sequence[str] = (),
) -> list[Violation]:
    """Violations of the WCAG A/AA rules on the page as currently rendered."""
    return list(axe_check(page, tags=tags, disable_rules=disable_rules).violations)


def axe_check(
    page: Page,
    *,
    tags: Sequence[str] = WCAG_AA_TAGS,
    disable_rules: Sequence[str] = (),
) -> AxeResults:
    """Like ``run_axe`` but also returns the undecided (``incomplete``) results."""
    _inject(page)
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(tags)},
        # Full node lists only for what we report; passes are not serialised.
        "resultTypes": ["violations", "incomplete"],
    }
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    raw = page.evaluate(_RUN_AXE, options)
    return AxeResults(
        version=raw["version"],
        violations=tuple(Violation.from_json(v) for v in raw["violations"]),
        incomplete=tuple(Violation.from_json(v) for v in raw["incomplete"]),
    )


def preload_axe(page: Page) -> None:
    """Load axe into every document ``page`` opens from now on (a DevTools init script, which page CSP does
    not govern either), so that :func:`run_axe` finds it there. Evaluating axe's 500 kB after each load
    compiled it again every time: over the Busan site's pages this took 8 % off (a fifth on a sample)."""
    page.add_init_script(_axe_source())


def format_violations(violations: Sequence[Violation], *, max_nodes: int = 5) -> str:
    """Readable multi-line summary for assertion messages."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v.impact or '-'}] {v.id}: {v.help} ({len(v.nodes)} node(s))")
        for node in v.nodes[:max_nodes]:
            lines.append(f"    at {', '.join(node.target)}: {node.html}")
        if len(v.nodes) > max_nodes:
            lines.append(f"    ... and {len(v.nodes) - max_nodes} more")
    return "\n".join(lines)


@cache
def _axe_source() -> str:
    return require_file(AXE_JS, "axe.min.js (npm package axe-core)").read_text("utf-8")


def _inject(page: Page) -> None:
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    page.evaluate(_axe_source())
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise AxeError(f"axe-core did not load into {page.url}")
