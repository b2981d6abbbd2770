"""A fast, deterministic stand-in for eSpeak NG, for unit tests."""

from __future__ import annotations

import math
import stat
import struct
from pathlib import Path

from narrator.model import SAMPLE_RATE
from narrator.sound.audio import Clip

SECONDS_PER_CHAR = 0.06


class FakeSynthesizer:
    """A quiet tone whose length grows with the text, so schedules vary like real speech."""

    def __init__(self, voice: str = "fake") -> None:
        self.voice = voice
        self.calls: list[str] = []

    @property
    def identity(self) -> dict[str, object]:
        return {"engine": "fake", "engine_version": "1", "voice": self.voice}

    def synthesize(self, text: str) -> Clip:
        self.calls.append(text)
        samples = max(1, round((0.2 + SECONDS_PER_CHAR * len(text)) * SAMPLE_RATE))
        frames = (
            round(8000 * math.sin(2 * math.pi * 220 * i / SAMPLE_RATE)) for i in range(samples)
        )
        return Clip(struct.pack(f"<{samples}h", *frames))


def clip_lengths(texts: tuple[str, ...]) -> dict[str, int]:
    """What FakeSynthesizer would produce, without making the audio."""
    return {t: max(1, round((0.2 + SECONDS_PER_CHAR * len(t)) * SAMPLE_RATE)) for t in texts}


def fake_ffmpeg(folder: Path, body: str) -> Path:
    """An executable named ffmpeg in `folder` that runs the shell `body` instead."""
    script = folder / "ffmpeg"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script
