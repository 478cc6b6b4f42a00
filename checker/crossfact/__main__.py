"""Run the command line for `python -m crossfact`."""

from checker.__main__ import main

if __name__ == "__main__":
    main()
