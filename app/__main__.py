"""`python -m app` and the `rpa-assistant` console script."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.dpi import declare_dpi_awareness

    declare_dpi_awareness()  # before anything can create a window or take a screenshot
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
