"""The package's default theme: the repository's templates/ and locales/ go into the wheel.

Everything else about the package is in pyproject.toml. In a checkout or an
editable install the theme is read from those folders directly
(eventsite/theme.py); an installed wheel carries a copy in
eventsite/default_theme/, so `eventsite` works in any folder.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithTheme(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout's folders
        target = Path(self.build_lib) / "eventsite" / "default_theme"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "templates", target / "templates")
        shutil.copytree(
            ROOT / "locales", target / "locales", ignore=lambda folder, names: [n for n in names if n.endswith((".md", ".mo"))]
        )


setup(cmdclass={"build_py": BuildWithTheme})
