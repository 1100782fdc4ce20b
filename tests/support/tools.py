"""Where the external checkers live, and the error raised when one is missing.

Everything here is installed by ``scripts/install-test-deps``; nothing is
downloaded at test time.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "node_modules"

# Paths inside the npm packages pinned by package-lock.json.
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

# Debian's chromium; EVENTSITE_CHROMIUM overrides it for other machines.
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")

INSTALL_HINT = "run `bash scripts/install-test-deps`"


class MissingToolError(RuntimeError):
    """An external checker the trust gates rely on is not installed.

    Deliberately an error, not a skip: a gate that silently skips is a gate
    that always passes.
    """


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise MissingToolError(f"{what} not found at {path}; {INSTALL_HINT}")
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise MissingToolError(f"`java` (>= 17) is not on PATH; {INSTALL_HINT}")
    return java


def chromium_executable() -> Path:
    path = Path(os.environ.get("EVENTSITE_CHROMIUM", DEFAULT_CHROMIUM))
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise MissingToolError(f"chromium not found at {path}; {INSTALL_HINT}")
    return path
