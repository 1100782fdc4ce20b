"""``python -m eventsite``: the same as the ``eventsite`` command."""

import sys

from .cli import main

sys.exit(main())
