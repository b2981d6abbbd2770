"""Clips on the session clock: 16-bit mono PCM at SAMPLE_RATE, and the pydub calls behind them.

All pydub use goes through here, so that its import-time warning about a missing ffmpeg and
its exceptions never reach a user.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from narrator.errors import EngineError
from narrator.model import SAMPLE_RATE

with warnings.catch_warnings():
    # audioop is deprecated in 3.11-3.12 (and comes from audioop-lts on 3.13+); it is the C
    # code pydub itself relies on, and every sample-level operation goes through it. It is
    # imported here only, for the whole package.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop as audioop

SAMPLE_WIDTH = 2
SILENCE_THRESHOLD_DBFS = -50.0
EDGE_PAD_MS = 15
"""Kept at each trimmed edge so that a soft consonant's onset is never clipped."""


class Sound(Protocol):
    """Anything the mixer can place: a length known up front, and its 16-bit mono PCM at
    SAMPLE_RATE when asked for it (a clip still being levelled is ready by then)."""

    @property
    def samples(self) -> int: ...

    @property
    def pcm(self) -> bytes: ...


@dataclass(frozen=True)
class Clip:
    """Mono 16-bit little-endian PCM at SAMPLE_RATE."""

    pcm: bytes

    @property
    def samples(self) -> int:
        return len(self.pcm) // SAMPLE_WIDTH


@cache
def pydub() -> Any:
    """The pydub module, imported quietly and pointed at the ffmpeg narrator uses."""
    with warnings.catch_warnings():
        # pydub warns at import when no ffmpeg is on PATH; narrator supplies its own.
        warnings.simplefilter("ignore", RuntimeWarning)
        import pydub as module
    from narrator.ffmpeg import find_ffmpeg

    # Only needed for formats other than WAV; a missing ffmpeg is reported where it is needed.
    with contextlib.suppress(EngineError):
        module.AudioSegment.converter = find_ffmpeg()
    return module


def segment(pcm: bytes, frame_rate: int = SAMPLE_RATE, sample_width: int = SAMPLE_WIDTH,
            channels: int = 1) -> Any:
    return pydub().AudioSegment(
        data=pcm, sample_width=sample_width, frame_rate=frame_rate, channels=channels
    )


def trim_silence(pcm: bytes, rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono PCM without its leading and trailing silence (a little of each kept)."""
    silence = pydub().silence
    seg = segment(pcm, frame_rate=rate)
    lead = silence.detect_leading_silence(seg, silence_threshold=SILENCE_THRESHOLD_DBFS)
    tail = silence.detect_leading_silence(seg.reverse(), silence_threshold=SILENCE_THRESHOLD_DBFS)
    start_ms = max(0, lead - EDGE_PAD_MS)
    end_ms = min(len(seg), len(seg) - tail + EDGE_PAD_MS)
    if end_ms <= start_ms:
        return pcm
    first = start_ms * rate // 1000
    last = end_ms * rate // 1000
    return pcm[first * SAMPLE_WIDTH : last * SAMPLE_WIDTH]


def resampled_length(samples: int, rate: int) -> int:
    """How many samples `at_session_rate` makes from `samples` at `rate`: audioop.ratecv
    puts one output sample at every output instant up to the last input sample."""
    if samples == 0 or rate == SAMPLE_RATE:
        return samples
    common = math.gcd(rate, SAMPLE_RATE)
    return (samples - 1) * (SAMPLE_RATE // common) // (rate // common) + 1


def at_session_rate(pcm: bytes, rate: int) -> Clip:
    """16-bit mono PCM at `rate`, resampled to the session's clock."""
    if rate == SAMPLE_RATE:
        return Clip(pcm)
    return Clip(bytes(segment(pcm, frame_rate=rate).set_frame_rate(SAMPLE_RATE).raw_data))


def _read_wav_frames(path: Path) -> tuple[int, int, int, bytes]:
    """Channels, sample width, rate and frames of a complete, well-formed WAV file."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.getnframes()
            data = w.readframes(frames)
    except (wave.Error, EOFError, OSError) as exc:
        raise EngineError(f"not a readable WAV file: {exc}", path=path) from exc
    if frames == 0 or len(data) != frames * channels * width:
        raise EngineError("WAV file is empty or truncated", path=path)
    return channels, width, rate, data


def read_clip(path: Path) -> Clip:
    """A WAV file that must already be in session format, as written by `wav_bytes`."""
    channels, width, rate, data = _read_wav_frames(path)
    if (channels, width, rate) != (1, SAMPLE_WIDTH, SAMPLE_RATE):
        raise EngineError("WAV file is not 16-bit mono at the session rate", path=path)
    return Clip(data)


def read_wav_mono16(path: Path) -> tuple[bytes, int]:
    """Any PCM WAV file as 16-bit mono PCM at its own rate, and that rate."""
    channels, width, rate, data = _read_wav_frames(path)
    if (channels, width) != (1, SAMPLE_WIDTH):
        data = bytes(segment(data, frame_rate=rate, sample_width=width, channels=channels)
                     .set_channels(1).set_sample_width(SAMPLE_WIDTH).raw_data)
    return data, rate


def wav_bytes(clip: Clip, rate: int = SAMPLE_RATE) -> bytes:
    """The clip's PCM, at `rate`, as a complete WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(rate)
        w.writeframes(clip.pcm)
    return buffer.getvalue()
