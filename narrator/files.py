"""Writing a file whole or not at all: the one way narrator replaces a file.

Used for every output (the audio, its timeline and side files, a routine's TOML) and for
every cache entry, so that a failed or interrupted run never leaves half a file in place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from narrator.errors import OutputError


@contextlib.contextmanager
def replace_atomically(final: Path, suffix: str) -> Iterator[Path]:
    """A temporary path beside `final`; renamed onto it only if the block finishes.

    A failed or interrupted build therefore never replaces a good file.
    """
    if final.is_dir():
        raise OutputError("the output path is a directory", path=final)
    directory = final.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{final.stem}.", suffix=suffix)
        os.close(fd)
        # mkstemp makes the file private; the result should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", path=directory) from exc
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, final)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
