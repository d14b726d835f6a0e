"""Entry point for ``python -m matching``."""

from __future__ import annotations

import sys

from matching.cli import main

if __name__ == "__main__":
    sys.exit(main())
