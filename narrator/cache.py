"""Where narrator keeps what it can make again: spoken clips and parsed routines.

Everything here is a pure function of its key, so an entry is only ever replaced whole
(written beside, then renamed) and a damaged one is deleted and made again.

Each entry starts with one header line that holds its key and the SHA-256 of the content
after it. Every read checks both: an entry that was truncated, edited by hand, or moved to
another key's name (two files swapped) is a miss, and is removed, never served.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from narrator.errors import OutputError
from narrator.files import replace_atomically

CACHE_ENV = "NARRATOR_CACHE_DIR"


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("narrator"))


def content_key(*parts: object) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def entry_path(kind: str, key: str, suffix: str) -> Path:
    return cache_root() / kind / key[:2] / f"{key}{suffix}"


ENTRY_MAGIC = b"narrator-cache-1"


def _header(key: str, data: bytes) -> bytes:
    return b"%s %s %s\n" % (ENTRY_MAGIC, key.encode(), hashlib.sha256(data).hexdigest().encode())


def write_entry(path: Path, data: bytes, key: str) -> None:
    """Put `data` at `path` whole or not at all, under a header naming `key` and the
    content's digest; a cache that cannot be written only costs speed, so failures are
    ignored."""
    with contextlib.suppress(OutputError), \
            replace_atomically(path, path.suffix + ".partial") as partial:
        partial.write_bytes(_header(key, data) + data)


def read_entry(path: Path, key: str) -> bytes | None:
    """The content stored at `path` for `key`, or None: missing, or not whole and not
    this key's (then it is removed)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        drop_entry(path)
        return None
    head, newline, data = raw.partition(b"\n")
    if not newline or head + newline != _header(key, data):
        drop_entry(path)
        return None
    return data


def drop_entry(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
