"""Speech levelled for phones: every clip at one loudness, its peaks under a ceiling.

The session is mostly silence, and EBU R128 integrated loudness gates silence out, so a
session whose every clip sits at TARGET_LUFS measures at about TARGET_LUFS as a whole. Doing
the work per clip puts it in the clip cache: a warm rebuild levels nothing, and the session
is encoded in one pass with no second ffmpeg run over it.

Everything runs in audioop's C routines on whole buffers or short windows, never a Python
loop over samples, so levelling a clip costs far less than synthesizing it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from narrator.audio import SAMPLE_WIDTH, Clip, audioop
from narrator.model import SAMPLE_RATE

TARGET_LUFS = -16.0
"""Integrated loudness of the session: the spoken-word podcast level."""
CLIP_LOUDER_LU = 1.5
"""Each clip is levelled this much above TARGET_LUFS. A session measures quieter than its
clips because the 400 ms gating blocks straddle the pauses between sentences; this is that
loss, measured on built sessions (tests/test_sound_e2e.py checks the result)."""
PEAK_CEILING_DBFS = -3.0
"""Sample peak of the mix. True peak lands a little higher and MP3 encoding adds about
1 dB of overshoot; with this margin the encoded file stays at or below -1 dBTP."""
LEVELING_VERSION = 2
"""Part of the clip cache key: bump it whenever the processing here changes the audio."""

MAX_GAIN_DB = 24.0
"""A clip needing more gain than this is mostly noise; it is left as close as this gets it."""

_BLOCK = SAMPLE_RATE * 400 // 1000
"""EBU R128 gating block: 400 ms, overlapping by 75 %."""
_HOP = _BLOCK // 4
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_SHELF_TAPS = 13
_SHELF_GAIN = 0.585
"""K-weighting's +4 dB high shelf, approximated as x + g * (x - moving_average(x)). With 13
taps at 44.1 kHz it is within about 0.7 dB of the BS.1770 curve across the speech band, which
is what lets the measurement run in audioop instead of a per-sample filter loop."""
_FULL_SCALE_32 = 2.0**31
_HEADROOM = 16
_LIMITER_WINDOW = 64
"""Samples per gain step of the limiter (1.5 ms); the envelope moves smoothly across steps."""
_LIMITER_ATTACK_WINDOWS = 3
"""The gain falls over this many windows before a peak (lookahead), so it never clicks."""
_LIMITER_RELEASE_S = 0.06
_SAFETY_CHUNK = SAMPLE_RATE // 10
"""limit_block looks for excess in 100 ms stretches; a multiple of _LIMITER_WINDOW is not
needed, since each limited stretch starts its own windows."""


def db_to_gain(db: float) -> float:
    return float(10 ** (db / 20))


def _shifted(samples: bytes, by: int) -> bytes:
    """32-bit samples delayed by `by`, same length (zeros shifted in)."""
    return b"\0" * (4 * by) + samples[: len(samples) - 4 * by]


def _k_weighted(pcm: bytes) -> bytes:
    """The clip K-weighted (approximately), as 32-bit samples at 1/16 of full scale.

    The headroom lets a 13-sample sum run without saturating; the moving sum is built from
    shifted copies by doubling (1, 2, 4, 8, then 8 + 4 + 1), five adds instead of thirteen.
    """
    x = audioop.mul(audioop.lin2lin(pcm, SAMPLE_WIDTH, 4), 4, 1 / _HEADROOM)
    s2 = audioop.add(x, _shifted(x, 1), 4)
    s4 = audioop.add(s2, _shifted(s2, 2), 4)
    s8 = audioop.add(s4, _shifted(s4, 4), 4)
    s13 = audioop.add(audioop.add(s8, _shifted(s4, 8), 4), _shifted(x, 12), 4)
    # The moving sum lags by 6 samples; delaying x to match keeps the shelf's phase linear.
    centred = _shifted(x, _SHELF_TAPS // 2)
    return audioop.add(audioop.mul(centred, 4, 1 + _SHELF_GAIN),
                       audioop.mul(s13, 4, -_SHELF_GAIN / _SHELF_TAPS), 4)


def integrated_loudness(pcm: bytes) -> float:
    """Gated loudness of 16-bit mono PCM in LUFS, after BS.1770 / EBU R128.

    A clip shorter than one gating block (a single word, "three") is measured as one block.
    """
    return _gated_loudness(_k_weighted(pcm), 4, _HEADROOM / _FULL_SCALE_32)


def _unweighted_loudness(pcm: bytes) -> float:
    """The same gated measure without K-weighting: a tenth of the cost, for comparing two
    versions of one clip, whose weighting offsets are alike."""
    return _gated_loudness(pcm, SAMPLE_WIDTH, 1 / 32768)


def _gated_loudness(samples: bytes, width: int, scale: float) -> float:
    n = len(samples) // width

    def block_power(first: int, last: int) -> float:
        rms = audioop.rms(samples[width * first : width * last], width) * scale
        return float(rms * rms)

    if n < _BLOCK:
        powers = [block_power(0, n)] if n else []
    else:
        powers = [block_power(i, i + _BLOCK) for i in range(0, n - _BLOCK + 1, _HOP)]

    def lufs(power: float) -> float:
        return -0.691 + 10 * math.log10(power) if power > 0 else -math.inf

    loud = [p for p in powers if lufs(p) > _ABSOLUTE_GATE_LUFS]
    if not loud:
        return -math.inf
    relative_gate = lufs(sum(loud) / len(loud)) + _RELATIVE_GATE_LU
    kept = [p for p in loud if lufs(p) > relative_gate]
    return lufs(sum(kept) / len(kept))


def peak_dbfs(pcm: bytes) -> float:
    peak = audioop.max(pcm, SAMPLE_WIDTH)
    return 20 * math.log10(peak / 32768) if peak else -math.inf


def _window_peaks(pcm: bytes) -> list[int]:
    step = _LIMITER_WINDOW * SAMPLE_WIDTH
    return [audioop.max(pcm[i : i + step], SAMPLE_WIDTH) for i in range(0, len(pcm), step)]


def _limiter_gains(peaks: list[int], gain: float, ceiling: float) -> list[float]:
    """One gain per window: `gain`, lowered just enough that no window exceeds `ceiling`."""
    wanted = [min(gain, ceiling / peak) if peak else gain for peak in peaks]
    # Lookahead: start lowering the gain a few windows before the peak ...
    gains = [min(wanted[i : i + _LIMITER_ATTACK_WINDOWS + 1]) for i in range(len(wanted))]
    # ... and let it recover smoothly afterwards (exponential release).
    release = math.exp(-_LIMITER_WINDOW / (_LIMITER_RELEASE_S * SAMPLE_RATE))
    for i in range(1, len(gains)):
        recovered = gain - (gain - gains[i - 1]) * release
        gains[i] = min(gains[i], recovered)
    return gains


def _apply_gains(pcm: bytes, gains: list[float]) -> bytes:
    step = _LIMITER_WINDOW * SAMPLE_WIDTH
    return b"".join(
        audioop.mul(pcm[i * step : (i + 1) * step], SAMPLE_WIDTH, g) for i, g in enumerate(gains)
    )


def limit_block(pcm: bytes, ceiling_dbfs: float = PEAK_CEILING_DBFS) -> bytes:
    """`pcm` with any peak above the ceiling pulled down; untouched where none is.

    The mixer's safety net: levelled speech is already under the ceiling, but speech laid
    over a ringing bell (or ambience) can add up past it. Only the stretches around an
    excess go through the limiter (with room for its attack before and release after), so
    a block costs a few C calls unless it needs the work.
    """
    ceiling = db_to_gain(ceiling_dbfs) * 32767
    if audioop.max(pcm, SAMPLE_WIDTH) <= ceiling:
        return pcm
    chunk = _SAFETY_CHUNK * SAMPLE_WIDTH
    starts = range(0, len(pcm), chunk)
    over = [audioop.max(pcm[i : i + chunk], SAMPLE_WIDTH) > ceiling for i in starts]
    # Limit each excess with one chunk before it and two after (the release is 60 ms).
    marked = [any(over[max(0, k - 2) : k + 2]) for k in range(len(over))]
    pieces = []
    k = 0
    while k < len(marked):
        end = k + 1
        while end < len(marked) and marked[end] == marked[k]:
            end += 1
        piece = pcm[k * chunk : end * chunk]
        if marked[k]:
            piece = _apply_gains(piece, _limiter_gains(_window_peaks(piece), 1.0, ceiling))
        pieces.append(piece)
        k = end
    return b"".join(pieces)


@dataclass(frozen=True)
class Leveling:
    """How spoken clips are levelled; part of the clip cache key."""

    target_lufs: float = TARGET_LUFS + CLIP_LOUDER_LU
    peak_ceiling_dbfs: float = PEAK_CEILING_DBFS - 0.2
    """A little under the mix's ceiling, so that speech alone never sets off limit_block."""

    @property
    def identity(self) -> dict[str, object]:
        return {"version": LEVELING_VERSION, "target_lufs": round(self.target_lufs, 2),
                "peak_ceiling_dbfs": self.peak_ceiling_dbfs}


def level_speech(clip: Clip, leveling: Leveling = Leveling()) -> Clip:
    """The clip at `leveling.target_lufs`, with its peaks held under the ceiling.

    Limiting the peaks takes a little loudness away, so the gain is corrected and the
    limiter run again; two rounds land within a few tenths of a dB.
    """
    loudness = integrated_loudness(clip.pcm)
    if not math.isfinite(loudness):
        return clip
    # Limiting barely moves the K-weighting's offset, so each round's result is measured
    # against the original without the (costly) weighting filter.
    unweighted = _unweighted_loudness(clip.pcm)
    ceiling = db_to_gain(leveling.peak_ceiling_dbfs) * 32767
    peaks = _window_peaks(clip.pcm)
    gain_db = leveling.target_lufs - loudness
    out = clip.pcm
    for _ in range(4):
        gain = db_to_gain(gain_db)
        gains = _limiter_gains(peaks, gain, ceiling)
        if all(g == gain for g in gains):
            # Nothing reached the ceiling: a plain gain, whose loudness is exactly the target.
            out = audioop.mul(clip.pcm, SAMPLE_WIDTH, gain)
            break
        out = _apply_gains(clip.pcm, gains)
        reached = loudness + _unweighted_loudness(out) - unweighted
        shortfall = leveling.target_lufs - reached
        if abs(shortfall) < 0.15 or gain_db > MAX_GAIN_DB:
            break
        # The limiter takes back part of any extra gain, so ask for more than is missing.
        gain_db += 1.6 * shortfall
    return Clip(out)
