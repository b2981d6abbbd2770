"""Finding ffmpeg, which decodes sounds, reads ambience beds and encodes the session.

Order of preference: $NARRATOR_FFMPEG, then ffmpeg on PATH, then the copy that ships inside
the PyPI package imageio-ffmpeg, so a bare machine works.
"""

from __future__ import annotations

import os
import shutil
from functools import cache

from narrator.errors import EngineError

FFMPEG_ENV = "NARRATOR_FFMPEG"


@cache
def find_ffmpeg() -> str:
    """Path of the ffmpeg executable to use."""
    override = os.environ.get(FFMPEG_ENV)
    if override:
        path = shutil.which(override)
        if path is None:
            raise EngineError(f"{FFMPEG_ENV}={override} is not an executable ffmpeg")
        return path
    system = shutil.which("ffmpeg")
    if system:
        return system
    try:
        import imageio_ffmpeg

        bundled: str = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # the package raises RuntimeError or ImportError
        raise EngineError(
            "ffmpeg not found: install ffmpeg, `pip install imageio-ffmpeg`, "
            f"or set {FFMPEG_ENV} to its path"
        ) from exc
    return bundled
