"""The clip cache: every engine's clips, spoken or finished, kept by what makes their sound.

Entries are written whole and checked when read (narrator.cache); a damaged one is deleted
and made again, never served.
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from narrator.cache import cache_root, content_key, drop_entry, write_entry
from narrator.errors import NarratorError
from narrator.sound.audio import Clip, read_clip, read_wav_mono16, wav_bytes
from narrator.speech.base import Spoken


def default_cache_dir() -> Path:
    return cache_root() / "clips"


_Entry = TypeVar("_Entry")


class ClipCache:
    """Content-addressed clips: the key is everything that changes the sound, and the text.

    Entries are written to a temporary file and renamed into place, and checked when read:
    a damaged entry is deleted and made again, never served.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_cache_dir()

    @staticmethod
    def key(identity: dict[str, object], text: str) -> str:
        return content_key({"identity": identity, "text": text})

    def path_for(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Clip | None:
        return self._read(key, read_clip)

    def put(self, key: str, clip: Clip) -> None:
        write_entry(self.path_for(key), wav_bytes(clip))

    def get_spoken(self, key: str) -> Spoken | None:
        return self._read(key, lambda path: Spoken(*read_wav_mono16(path)))

    def put_spoken(self, key: str, spoken: Spoken) -> None:
        write_entry(self.path_for(key), wav_bytes(Clip(spoken.pcm), spoken.rate))

    def _read(self, key: str, read: Callable[[Path], _Entry]) -> _Entry | None:
        path = self.path_for(key)
        if not path.exists():
            return None
        try:
            return read(path)
        except (NarratorError, OSError, EOFError, wave.Error):
            drop_entry(path)
            return None
