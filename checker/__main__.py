"""Allow `python -m checker`."""

from checker.application.cli import main

if __name__ == "__main__":
    main()
