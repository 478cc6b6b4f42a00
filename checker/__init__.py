"""crossfact: claim-level fact consistency checker for news copy."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("crossfact")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
