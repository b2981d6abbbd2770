"""narrator: a stretching routine in, one voice-guided, chaptered MP3 out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("narrator")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
