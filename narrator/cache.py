"""Where narrator keeps what it can make again: spoken clips and parsed routines.

Everything here is a pure function of its key, so an entry is only ever replaced whole
(written beside, then renamed) and a damaged one is deleted and made again.
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


def write_entry(path: Path, data: bytes) -> None:
    """Put `data` at `path` whole or not at all; a cache that cannot be written only costs
    speed, so failures are ignored."""
    with contextlib.suppress(OutputError), replace_atomically(path, path.suffix) as partial:
        partial.write_bytes(data)


def drop_entry(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
