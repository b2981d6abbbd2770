"""Levelling measured against ffmpeg's own EBU R128 meter."""

from __future__ import annotations

import math
import random
import struct
from functools import cache
from pathlib import Path

import pytest
from measure import loudness

from narrator.model import SAMPLE_RATE
from narrator.sound.audio import Clip, wav_bytes
from narrator.sound.loudness import (
    PEAK_CEILING_DBFS,
    Leveling,
    db_to_gain,
    integrated_loudness,
    level_speech,
    limit_block,
    peak_dbfs,
)

RATES = pytest.mark.parametrize("rate", [SAMPLE_RATE, 22050])
"""The session's rate, and eSpeak NG's, at which spoken clips are levelled."""


@cache
def _speechlike(seconds: float, amplitude: float, seed: int = 1,
                rate: int = SAMPLE_RATE) -> Clip:
    """Syllable-like bursts: a buzzy tone with harmonics and noise, in a 4 Hz envelope,
    with the peaky crest factor of real speech."""
    rng = random.Random(seed)
    n = round(seconds * rate)
    out = []
    for i in range(n):
        t = i / rate
        envelope = max(0.0, math.sin(2 * math.pi * 4 * t)) ** 2
        voice = sum(math.sin(2 * math.pi * 140 * k * t) / k for k in range(1, 7))
        out.append(round(amplitude * 32767 * envelope * (voice / 3 + 0.1 * rng.uniform(-1, 1))))
    return Clip(struct.pack(f"<{n}h", *(max(-32768, min(32767, v)) for v in out)))


@RATES
def test_integrated_loudness_matches_ffmpeg_ebur128(tmp_path: Path, rate: int) -> None:
    for amplitude in (0.1, 0.4):
        clip = _speechlike(2.0, amplitude, rate=rate)
        path = tmp_path / f"{amplitude}.wav"
        path.write_bytes(wav_bytes(clip, rate))
        # ffmpeg prints one decimal; the shelf approximation adds a few tenths at most.
        assert abs(integrated_loudness(clip.pcm, rate) - loudness(path)["integrated"]) <= 0.5


def test_silence_has_no_loudness() -> None:
    assert integrated_loudness(b"\0\0" * SAMPLE_RATE) == -math.inf
    assert level_speech(b"\0\0" * 100) == b"\0\0" * 100


@RATES
def test_level_speech_reaches_the_target_with_peaks_under_the_ceiling(
    tmp_path: Path, rate: int
) -> None:
    # A gentle target, which this sustained synthetic tone can reach without being crushed
    # (real eSpeak speech reaching the real target is checked in test_sound_e2e).
    leveling = Leveling(target_lufs=-20.0)
    for amplitude in (0.05, 0.3, 0.9):
        levelled = Clip(level_speech(_speechlike(1.5, amplitude, rate=rate).pcm, leveling, rate))
        assert abs(integrated_loudness(levelled.pcm, rate) - leveling.target_lufs) <= 0.3
        assert peak_dbfs(levelled.pcm) <= leveling.peak_ceiling_dbfs + 0.05
        path = tmp_path / "levelled.wav"
        path.write_bytes(wav_bytes(levelled, rate))
        assert loudness(path)["true_peak"] <= leveling.peak_ceiling_dbfs + 1.0


def test_a_quieter_volume_is_that_much_quieter() -> None:
    loud = Clip(level_speech(_speechlike(1.5, 0.3).pcm, Leveling(target_lufs=-16)))
    soft = Clip(level_speech(_speechlike(1.5, 0.3).pcm, Leveling(target_lufs=-22)))
    difference = integrated_loudness(loud.pcm) - integrated_loudness(soft.pcm)
    assert abs(difference - 6) <= 0.5


def test_limit_block_leaves_quiet_blocks_alone_and_pulls_loud_ones_under() -> None:
    quiet = _speechlike(1.0, 0.2).pcm
    assert limit_block(quiet) is quiet
    loud = _speechlike(1.0, 1.5).pcm  # clipped at full scale
    limited = limit_block(loud)
    assert len(limited) == len(loud)
    ceiling = db_to_gain(PEAK_CEILING_DBFS) * 32767
    assert max(abs(v) for v in struct.unpack(f"<{len(limited) // 2}h", limited)) <= ceiling + 2
