"""A bed of sound under the whole session, looped and ducked under speech.

Any file ffmpeg reads is looped by ffmpeg itself (-stream_loop) and streamed in blocks as
the mixer asks for them, so memory stays flat however long the session or the file. "soft"
is a gentle background made from code: brown noise, low-passed, with a slow swell, from
ffmpeg's own generators. The bed only adds to the mix: the clock, and so every hold, is
untouched.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from narrator.errors import EngineError, OptionError
from narrator.ffmpeg import find_ffmpeg
from narrator.model import SAMPLE_RATE, Timeline, seconds_to_samples
from narrator.sound.audio import SAMPLE_WIDTH, audioop
from narrator.sound.loudness import TARGET_LUFS, db_to_gain

SOFT = "soft"
AMBIENCE_LUFS = TARGET_LUFS - 20
"""Far under the voice: there, not listened to. EBU R128's relative gate leaves it out of
the session's integrated loudness."""
DUCK_DB = -10.0
"""Further down while someone speaks."""
DUCK_ATTACK = seconds_to_samples(0.25)
"""The bed starts to dip this long before speech, so the first word is clear."""
DUCK_RELEASE = seconds_to_samples(0.6)
"""... and comes back this slowly after it."""
MEASURE_SECONDS = 60
"""Only this much of the file is measured to set its level: enough for a steady bed."""
_GAIN_WINDOW = SAMPLE_RATE // 100
"""The ducking gain moves in 10 ms steps of at most ~0.4 dB: smooth to the ear."""

_SOFT_SOURCE = ("anoisesrc=color=brown:seed=20240521:amplitude=0.6,"
                "highpass=f=70,lowpass=f=700,"
                # A slow swell, like distant surf: 11 s period, never below 55 %.
                "volume='0.775+0.225*sin(2*PI*t/11)':eval=frame")


@dataclass(frozen=True)
class Ambience:
    source: str
    """A path to any audio file ffmpeg reads, or "soft"."""

    @classmethod
    def from_option(cls, value: str) -> Ambience:
        if value == SOFT:
            return cls(SOFT)
        path = Path(value)
        if not path.is_file():
            raise OptionError("--ambience: no such file (or use --ambience soft)", path=path)
        return cls(str(path))

    def input_args(self, loop: bool) -> list[str]:
        if self.source == SOFT:
            return ["-f", "lavfi", "-i", _SOFT_SOURCE]
        return (["-stream_loop", "-1"] if loop else []) + ["-i", self.source]


_OUTPUT_ARGS = ["-vn", "-f", "s16le", "-acodec", "pcm_s16le", "-ar", str(SAMPLE_RATE),
                "-ac", "1"]


def measure_loudness(ambience: Ambience) -> float:
    """Integrated loudness of the first MEASURE_SECONDS of the bed, in LUFS."""
    args = [find_ffmpeg(), "-hide_banner", "-nostats", *ambience.input_args(loop=False),
            "-t", str(MEASURE_SECONDS), "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE),
            "-af", "ebur128", "-f", "null", "-"]
    try:
        result = subprocess.run(args, capture_output=True, text=True, errors="replace",
                                check=False)
    except OSError as exc:
        raise EngineError(f"cannot run ffmpeg: {exc}") from exc
    summary = result.stderr[result.stderr.rfind("Summary:"):]
    found = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    if result.returncode != 0 or "Summary:" not in result.stderr or not found:
        lines = [li for li in result.stderr.strip().splitlines() if li.strip()]
        detail = lines[-1] if lines else f"exit status {result.returncode}"
        raise OptionError(f"--ambience: ffmpeg cannot read it as audio ({detail})",
                          path=ambience.source)
    return float(found.group(1))


def _duck_spans(timeline: Timeline) -> list[tuple[int, int]]:
    """Merged spans, in samples, in which speech is heard."""
    spans: list[tuple[int, int]] = []
    for event in sorted((e for e in timeline.events if e.kind == "speech"),
                        key=lambda e: e.start):
        if spans and event.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], event.end))
        else:
            spans.append((event.start, event.end))
    return spans


class Bed:
    """The bed, block by block, for mix.render: `bed(start, end)` is its PCM there.

    Blocks must be asked for in order, each starting where the last ended.
    """

    def __init__(self, timeline: Timeline, stream: IO[bytes], gain: float) -> None:
        self._stream = stream
        self._gain = gain
        self._ducked = gain * db_to_gain(DUCK_DB)
        spans = _duck_spans(timeline)
        self._starts = [s for s, _ in spans]
        self._spans = spans
        self._position = 0

    def _duck_amount(self, t: int) -> float:
        """0 (full bed) to 1 (fully ducked) at sample t."""
        i = bisect.bisect_right(self._starts, t + DUCK_ATTACK) - 1
        amount = 0.0
        for start, end in self._spans[max(0, i - 1): i + 1]:
            if start <= t < end:
                return 1.0
            if start - DUCK_ATTACK <= t < start:
                amount = max(amount, 1 - (start - t) / DUCK_ATTACK)
            elif end <= t < end + DUCK_RELEASE:
                amount = max(amount, 1 - (t - end) / DUCK_RELEASE)
        return amount

    def __call__(self, start: int, end: int) -> bytes:
        if start != self._position:
            raise ValueError("the bed is read in order")
        wanted = (end - start) * SAMPLE_WIDTH
        raw = self._stream.read(wanted)
        if len(raw) != wanted:
            raise EngineError("ffmpeg stopped sending the ambience")
        self._position = end
        pieces = []
        step = _GAIN_WINDOW * SAMPLE_WIDTH
        for offset in range(0, wanted, step):
            t = start + offset // SAMPLE_WIDTH + _GAIN_WINDOW // 2
            duck = self._duck_amount(t)
            gain = self._gain + (self._ducked - self._gain) * duck
            pieces.append(audioop.mul(raw[offset:offset + step], SAMPLE_WIDTH, gain))
        return b"".join(pieces)


@contextlib.contextmanager
def open_bed(ambience: Ambience, timeline: Timeline) -> Iterator[Bed]:
    """The looping ffmpeg decoder for the whole session, stopped when the block ends."""
    loudness = measure_loudness(ambience)
    gain = db_to_gain(AMBIENCE_LUFS - loudness) if loudness > -70 else 0.0
    args = [find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin",
            *ambience.input_args(loop=True), *_OUTPUT_ARGS, "pipe:1"]
    try:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise EngineError(f"cannot run ffmpeg: {exc}") from exc
    assert process.stdout is not None
    try:
        yield Bed(timeline, process.stdout, gain)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
