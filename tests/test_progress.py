"""eventsite/progress.py: lines only for slow builds, off when asked, and the timings table."""

from __future__ import annotations

import io

import pytest

from eventsite import progress as progress_module
from eventsite.progress import Progress, stderr_progress


class Captured(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_a_quick_build_prints_nothing():
    stream = Captured()
    progress = Progress(stream=stream)
    with progress.phase("render", total=4):
        progress.advance(4)
    assert stream.getvalue() == ""
    assert set(progress.timings) == {"render"}


def test_a_slow_build_prints_plain_lines_off_a_terminal(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    stream = Captured()
    progress = Progress(stream=stream)
    with progress.phase("render", total=4):
        for _ in range(4):
            progress.advance()
    lines = stream.getvalue().splitlines()
    assert lines[:4] == ["render: 1/4", "render: 2/4", "render: 3/4", "render: 4/4"]
    assert lines[-1].startswith("render: done in ") and lines[-1].endswith(" s")


@pytest.mark.parametrize("setting", ["off", "OFF", "0", "no"])
def test_the_environment_turns_the_lines_off(monkeypatch, setting):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.setenv("EVENTSITE_PROGRESS", setting)
    progress = stderr_progress()
    assert progress.stream is None
    with progress.phase("load"):
        pass
    assert "load" in progress.timings  # --timings still works


def test_without_the_setting_the_lines_go_to_stderr(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.delenv("EVENTSITE_PROGRESS", raising=False)
    progress = stderr_progress()
    with progress.phase("load"):
        pass
    assert capsys.readouterr().err.startswith("load: done in ")


def test_the_table_lists_every_phase_and_the_total():
    progress = Progress(timings={"load": 1.0, "render": 3.0})
    rows = progress.table().splitlines()
    assert rows[0].split() == ["phase", "seconds", "share"]
    assert rows[1].split() == ["load", "1.000", "25%"]
    assert rows[2].split() == ["render", "3.000", "75%"]
    assert rows[-1].split() == ["total", "4.000"]
