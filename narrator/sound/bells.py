"""The bells, as shipped: sounds/ in a source tree, narrator/sounds/ inside an installed wheel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from narrator.errors import EngineError
from narrator.sound.audio import Clip, read_clip


@dataclass(frozen=True)
class Bells:
    start: Clip
    end: Clip


def sounds_dir() -> Path:
    packaged = Path(str(resources.files("narrator"))) / "sounds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sounds"


@cache
def load_bells() -> Bells:
    directory = sounds_dir()
    try:
        return Bells(
            start=read_clip(directory / "bell-start.wav"),
            end=read_clip(directory / "bell-end.wav"),
        )
    except EngineError as exc:
        raise EngineError(
            f"the bells are missing or damaged ({exc}); run scripts/make-sounds"
        ) from exc
