"""``python -m tools.translations``: see the package's docstring."""

import sys

from .commands import main

sys.exit(main())
