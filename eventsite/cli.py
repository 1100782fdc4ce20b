"""The command line: ``eventsite [build|serve|check|i18n|new|schemas|…] …`` (``python3 build.py …`` in a checkout)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .commands import COMMANDS, load_command
from .errors import BuildError, Problem


def make_parser() -> argparse.ArgumentParser:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "eventsite"
    program = "eventsite" if program in ("__main__.py", "-c", "") else program
    parser = argparse.ArgumentParser(prog=program, description="Build, serve and check a multilingual event site.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = load_command(name)
        module.add_arguments(commands.add_parser(name, help=module.HELP, description=module.HELP))
    return parser


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    """Run a command; without ``argv``, this process's own (it then ends with the command: see ``owns_process``)."""
    owns_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    # `build.py` and `build.py --out x` mean `build.py build …`.
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    # Process-wide settings (the cycle collector, BuildOptions.one_shot) only for a command that is the
    # process, not for one called from a longer-lived program (the tests).
    args.owns_process = owns_process
    try:
        return int(load_command(args.command).run(args, root or Path.cwd()))
    except BuildError as error:
        report(error.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`eventsite i18n --format json | head`): not an error of ours.
        # Point stdout at nothing so that the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def report(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}; the output was not changed", file=sys.stderr)
