"""How the user runs us, for messages that name a command: ``python3 build.py`` in a checkout, else ``eventsite``."""

from __future__ import annotations

import sys
from pathlib import Path


def program() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python3 build.py" if name == "build.py" else "eventsite"
