"""Our own error types: everything a user can see is one of these, as one line.

Each class carries the exit code the command line returns for it.
"""

from __future__ import annotations


class NarratorError(Exception):
    """Base of every error narrator reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, path: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        if self.path is not None:
            return f"{self.path}: {self.message}"
        return self.message


class ReadError(NarratorError):
    """A file given to narrator could not be read: the routine, or the audio to inspect."""

    exit_code = 3


class SourceError(ReadError):
    """The routine could not be read or holds no exercise."""


class FetchError(SourceError):
    """A routine's web address could not be fetched, or was refused (not a web page or
    text, too large, too slow, an HTTP error, offline)."""


class OptionError(NarratorError):
    """An option value is out of range or matches nothing."""

    exit_code = 2


class EngineError(NarratorError):
    """eSpeak NG or ffmpeg is missing or failed."""

    exit_code = 4


class OutputError(NarratorError):
    """The result could not be written; any earlier file is left as it was."""

    exit_code = 5


class TagReadError(ReadError):
    """An MP3 or M4B to read back is not audio, or its tags are unreadable."""


class TagWriteError(OutputError):
    """Writing the tags of a new file failed; any earlier file is left as it was."""


EXIT_CODES = {
    0: "success",
    1: "unexpected error (run with --debug for the traceback)",
    2: "bad option or argument",
    3: "the routine (or the file to inspect) could not be read, or has no exercise",
    4: "eSpeak NG or ffmpeg is missing or failed",
    5: "the output could not be written (any earlier file is kept)",
    129: "stopped by SIGHUP (the terminal closed); nothing was replaced",
    130: "interrupted (Ctrl-C); nothing was replaced",
    143: "stopped by SIGTERM; nothing was replaced",
}
