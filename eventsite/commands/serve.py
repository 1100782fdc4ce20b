"""``build.py serve``: preview with live reload and incremental rebuilds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import add_project_arguments, project_from

HELP = "build, serve on http://127.0.0.1:8000/ and rebuild on every save"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=True)
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1; other values expose your preview)"
    )


def run(args: argparse.Namespace, root: Path) -> int:
    from ..serve import DevServer, PortUnavailable

    server = DevServer(project_from(args, root), host=args.host, port=args.port, log=lambda line: print(line, file=sys.stderr, flush=True))
    try:
        server.serve_forever()
    except PortUnavailable as error:
        print(f"serve: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
