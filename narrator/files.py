"""Writing files whole or not at all: the one way narrator replaces a file.

Used for every output (the audio, its timeline and side files, a routine's TOML) and for
every cache entry, so that a failed or interrupted run never leaves half a file in place.

Every target is checked before anything is written (`check_target`): a directory, a FIFO,
a device or a socket at the path is refused, never replaced. New content goes to a short
temporary name beside the target, `.narrator-<pid>-<token><suffix>`, short so that a
target name near the 255-byte limit still fits, and carrying the writer's process id so
that a later run can tell a leftover of a killed run (SIGKILL cannot be caught) from the
file of a run still going, and remove it (`remove_stale_temporaries`).

Several files that belong together (the MP3, its timeline, its chapters and transcript)
are replaced together by `replace_all`: all of them, or none.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from narrator.errors import NarratorError, OutputError

TEMPORARY_PREFIX = ".narrator-"
STALE_AFTER_S = 24 * 3600
"""A temporary file this old is a leftover whatever its process id says (ids are reused)."""
MAX_NAME_BYTES = 255
"""The longest file name (one path component) Linux, macOS and Windows file systems take."""
_OURS = re.compile(r"^\.narrator-(\d+)-[0-9a-f]+\.")
_LEGACY = re.compile(r"^\..+\.partial(\.ffmetadata)?$")
"""Temporary names of older versions (`.NAME.XXXX.mp3.partial`): removed once a day old."""


def check_name(path: Path, *, error: type[NarratorError] = OutputError,
               to_write: bool = True) -> None:
    """Refuse a path with a component over 255 bytes or, `to_write`, with no file name
    ("", ".", "..")."""
    if to_write and path.name in ("", ".", ".."):
        raise error("expected a file name, not a folder", path=path)
    for part in path.parts:
        if len(os.fsencode(part)) > MAX_NAME_BYTES:
            raise error(f"a name in this path is {len(os.fsencode(part))} bytes long; "
                        f"file systems allow at most {MAX_NAME_BYTES}", path=path)


def read_limited(path: Path, limit: int, *, error: type[NarratorError], what: str) -> bytes:
    """The bytes of the regular file at `path`, reading at most `limit` + 1: a FIFO, a
    device (/dev/zero) or an endless file would otherwise hang or fill the memory. `error`
    (naming the path) for anything else, or for a file over `limit` bytes."""
    check_name(path, error=error, to_write=False)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"file not found: expected {what}", path=path) from None
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    if stat.S_ISDIR(mode):
        raise error(f"is a directory: expected {what}", path=path)
    if not stat.S_ISREG(mode):
        raise error(f"not a regular file (a FIFO, device or socket): expected {what}",
                    path=path)
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    if len(data) > limit:
        raise error(f"the file is too large (over {limit:,} bytes): expected {what}",
                    path=path)
    return data


def check_target(final: Path) -> None:
    """OutputError unless `final` can be written: a regular file, or nothing, is there, and
    its folder is a folder (or can be made)."""
    check_name(final)
    try:
        mode = final.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # nothing there, or a parent is a file
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise OutputError("the output path is a directory", path=final)
        if not stat.S_ISREG(mode):
            raise OutputError("the output path exists and is not a regular file (a FIFO, "
                              "device or socket); it is left alone", path=final)
        return
    for folder in final.parents:
        try:
            if folder.is_dir():
                return
        except OSError:
            return  # os.stat will say more when the folder is made
        if folder.exists():
            raise OutputError(f"cannot write here: {folder} is a file, not a folder",
                              path=final)


def _temporary_path(final: Path, suffix: str) -> Path:
    """Create a new empty temporary file beside `final`, with the usual permissions."""
    check_target(final)
    directory = final.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        while True:
            name = f"{TEMPORARY_PREFIX}{os.getpid()}-{secrets.token_hex(3)}{suffix}"
            try:
                # O_EXCL: never someone else's file; the umask gives the usual permissions.
                fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            os.close(fd)
            return directory / name
    except FileExistsError as exc:  # a parent is a file (mkdir says "File exists")
        raise OutputError(f"cannot write here: a part of {directory} is a file, not a "
                          "folder", path=final) from exc
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", path=directory) from exc


def _writer_is_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # alive under another user, or no way to tell here
    return False


def remove_stale_temporaries(directory: Path, *, now: float | None = None) -> list[Path]:
    """Remove our temporary files in `directory` whose writer is gone or that are over a
    day old (a build killed with SIGKILL leaves its partial MP3 behind); returns them."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    for entry in entries:
        ours, legacy = _OURS.match(entry.name), _LEGACY.match(entry.name)
        if not (ours or legacy):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
            if old or (ours and _writer_is_gone(int(ours.group(1)))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # another run removed it first, or it is not ours to remove
    return removed


def check_outputs(finals: Sequence[Path]) -> None:
    """Before any slow work: every target writable (`check_target`), and the leftovers of
    killed runs beside them removed."""
    for final in finals:
        check_target(final)
    for folder in dict.fromkeys(f.parent for f in finals):
        remove_stale_temporaries(folder)


@contextlib.contextmanager
def replace_atomically(final: Path, suffix: str) -> Iterator[Path]:
    """A temporary path beside `final`; renamed onto it only if the block finishes.

    A failed or interrupted build therefore never replaces a good file.
    """
    with replace_all([final], [suffix]) as (partial,):
        yield partial


@contextlib.contextmanager
def replace_all(finals: Sequence[Path], suffixes: Sequence[str] | None = None,
                ) -> Iterator[list[Path]]:
    """Temporary paths beside each of `finals`, in order; when the block finishes, every
    one is renamed onto its target, or (should a rename fail) none is: the targets renamed
    already get their old content back. Errors that name a temporary name the target."""
    suffixes = suffixes or [f.suffix + ".partial" for f in finals]
    partials: list[Path] = []
    try:
        for final, suffix in zip(finals, suffixes, strict=True):
            partials.append(_temporary_path(final, suffix))
        try:
            yield partials
        except NarratorError as exc:
            shown = {str(p): f for p, f in zip(partials, finals, strict=False)}
            if exc.path is not None and str(exc.path) in shown:
                exc.path = shown[str(exc.path)]
            raise
        _commit(finals, partials)
    finally:
        for partial in partials:
            with contextlib.suppress(OSError):
                partial.unlink()


def _commit(finals: Sequence[Path], partials: Sequence[Path]) -> None:
    from narrator.interrupts import deferred_interrupts

    # A signal between two renames would leave a mixed set: the renames run as one step.
    with deferred_interrupts():
        backups: dict[Path, Path | None] = {}
        existed = {final: final.is_file() for final in finals}
        renamed: list[Path] = []
        try:
            for final, partial in zip(finals, partials, strict=True):
                backups[final] = _backup(final) if len(finals) > 1 else None
                try:
                    os.replace(partial, final)
                except OSError as exc:
                    raise OutputError(f"cannot write: {exc.strerror or exc}",
                                      path=final) from exc
                renamed.append(final)
        except BaseException:
            for final in renamed:  # put the set back as it was
                backup = backups.get(final)
                with contextlib.suppress(OSError):
                    if backup is not None:
                        os.replace(backup, final)
                    elif not existed[final]:
                        final.unlink()
            raise
        finally:
            for backup in backups.values():
                if backup is not None:
                    with contextlib.suppress(OSError):
                        backup.unlink()


def _backup(final: Path) -> Path | None:
    """A second name for the current `final` (a hard link), to put it back if a later
    rename of the set fails; None if there is no file there (or links are not possible)."""
    if not final.is_file():
        return None
    backup = final.parent / f"{TEMPORARY_PREFIX}{os.getpid()}-{secrets.token_hex(3)}.old"
    try:
        os.link(final, backup)
    except OSError:
        return None
    return backup
