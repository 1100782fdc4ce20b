"""The GitHub workflow's pull-request job passes on the shipped content: its own commands, run here.

act (which runs workflows locally) needs Docker; instead this test reads
.github/workflows/site.yml and runs the `check` job's steps that build or
check the site, exactly as written, with the pull request's expressions
filled in.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from .sitekit import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "site.yml"


def pull_request_steps() -> list[str]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["check"]
    commands = [step["run"] for step in job["steps"] if "run" in step]
    return [command for command in commands if "build.py" in command]


def as_pull_request(command: str) -> str:
    """${{ github.event_name == 'pull_request' && format('…{0}…', github.event.number) || '' }} for PR number 7."""
    def expression(match: re.Match) -> str:
        inner = match.group(1)
        formatted = re.search(r"format\('([^']*)', github\.event\.number\)", inner)
        if "github.event_name == 'pull_request'" in inner and formatted:
            return formatted.group(1).replace("{0}", "7")
        raise AssertionError(f"an expression this test does not know: {inner}")

    return re.sub(r"\$\{\{(.*?)\}\}", expression, command)


def test_the_workflow_checks_and_builds_the_site_on_pull_requests() -> None:
    steps = pull_request_steps()
    assert any("check --strict" in step for step in steps) and any("--out site" in step for step in steps)


def test_the_pull_request_job_passes_on_the_shipped_content(tmp_path: Path) -> None:
    for command in pull_request_steps():
        words = shlex.split(as_pull_request(command))
        assert words[0] in ("python", "python3") and words[1] == "build.py", words
        words = [sys.executable, str(PROJECT_ROOT / "build.py"), *words[2:]]
        if "--out" in words:
            words[words.index("--out") + 1] = str(tmp_path / "site")
        done = subprocess.run(words, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "::error" not in done.stdout and "::warning" not in done.stdout, done.stdout[-3000:]
    assert (tmp_path / "site" / "en" / "index.html").is_file()
    assert "https://preview.invalid/pr-7/" in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
