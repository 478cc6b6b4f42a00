"""Run crossfact: `python -m checker` and the `crossfact` command both start here."""

from __future__ import annotations

import sys
from typing import NoReturn


def main() -> NoReturn:
    """Start the command line; Ctrl-C while the program is still loading gets one line too."""
    try:
        from checker.application.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("crossfact: interrupted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
