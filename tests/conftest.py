import os
import sys
from pathlib import Path

# Progress lines ("render: done in 2.10 s") depend on how loaded the machine is; tests read stderr
# for problems only. tests/test_progress.py checks the lines themselves.
os.environ["EVENTSITE_PROGRESS"] = "off"

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest_plugins = ["tests.support.fixtures"]


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def busan_site(tmp_path_factory):
    """The real Busan content, built once per test run."""
    from tests.sitekit import PROJECT_ROOT, build

    output = tmp_path_factory.mktemp("busan") / "site"
    build(PROJECT_ROOT / "content", output)
    return output


@pytest.fixture(scope="session")
def busan_partial_site(tmp_path_factory):
    """The real content with some translations removed (tests.sitekit.busan_partially_translated), built once."""
    from tests.sitekit import build, busan_partially_translated

    root = tmp_path_factory.mktemp("busan-partial")
    build(busan_partially_translated(root), root / "site")
    return root / "site"


@pytest.fixture(scope="session")
def busan_rtl_site(tmp_path_factory):
    """The real content with Arabic and Japanese added to `languages` and no other change."""
    from tests.sitekit import build, busan_with_languages

    root = tmp_path_factory.mktemp("busan-rtl")
    content = busan_with_languages(root, ["ar", "ja"])
    build(content, root / "site")
    return root / "site"
