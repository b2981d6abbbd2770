"""The clip cache: every engine's clips, spoken or finished, kept by what makes their sound.

Entries are written whole and checked when read (narrator.cache); a damaged one is deleted
and made again, never served.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from narrator.cache import cache_root, content_key, drop_entry, read_entry, write_entry
from narrator.model import SAMPLE_RATE
from narrator.sound.audio import SAMPLE_WIDTH, Clip, wav_bytes
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
        return self.directory / key[:2] / f"{key}.clip"

    def get(self, key: str) -> Clip | None:
        return self._read(key, lambda pcm, rate: Clip(pcm) if rate == SAMPLE_RATE else None)

    def put(self, key: str, clip: Clip) -> None:
        write_entry(self.path_for(key), wav_bytes(clip), key)

    def get_spoken(self, key: str) -> Spoken | None:
        return self._read(key, Spoken)

    def put_spoken(self, key: str, spoken: Spoken) -> None:
        write_entry(self.path_for(key), wav_bytes(Clip(spoken.pcm), spoken.rate), key)

    def _read(self, key: str, make: Callable[[bytes, int], _Entry | None]) -> _Entry | None:
        """The entry for `key` as `make(pcm, rate)` makes it; a damaged entry, or one that
        holds another key's clip, is removed and missed (narrator.cache.read_entry)."""
        path = self.path_for(key)
        data = read_entry(path, key)
        if data is None:
            return None
        try:
            with wave.open(io.BytesIO(data), "rb") as w:
                shape = (w.getnchannels(), w.getsampwidth())
                rate, frames = w.getframerate(), w.getnframes()
                pcm = w.readframes(frames)
        except (OSError, EOFError, wave.Error):
            pcm, shape, frames = b"", (0, 0), 0
        entry = make(pcm, rate) if shape == (1, SAMPLE_WIDTH) and frames and \
            len(pcm) == frames * SAMPLE_WIDTH else None
        if entry is None:
            drop_entry(path)
        return entry
