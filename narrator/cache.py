"""Where narrator keeps what it can make again: spoken clips and parsed routines.

Everything here is a pure function of its key, so an entry is only ever replaced whole
(written beside, then renamed) and a damaged one is deleted and made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

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


def write_entry(path: Path, data: bytes) -> None:
    """Put `data` at `path` whole or not at all; a cache that cannot be written only costs
    speed, so failures are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    except OSError:
        return


def drop_entry(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
