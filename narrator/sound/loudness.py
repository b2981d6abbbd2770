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
import operator
from collections.abc import Iterator
from dataclasses import dataclass

from narrator.model import SAMPLE_RATE
from narrator.sound.audio import SAMPLE_WIDTH, audioop

TARGET_LUFS = -16.0
"""Integrated loudness of the session: the spoken-word podcast level."""
CLIP_LOUDER_LU = 1.2
"""Each clip is levelled this much above TARGET_LUFS. A session measures quieter than its
clips because the 400 ms gating blocks straddle the pauses between sentences; this is that
loss, measured on built sessions (tests/test_sound_e2e.py checks the result)."""
PEAK_CEILING_DBFS = -3.0
"""Sample peak of the mix. True peak lands a little higher and MP3 encoding adds 1 to 1.5 dB
of overshoot on limited speech; with this margin the encoded file stays at or below -1 dBTP
(about -2 dBTP on the built-in routine and the seed article)."""
LEVELING_VERSION = 3
"""Part of the clip cache key: bump it whenever the processing here changes the audio."""

MAX_GAIN_DB = 24.0
"""A clip needing more gain than this is mostly noise; it is left as close as this gets it."""

_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_SHELF_TAPS_AT_44K = 13
_SHELF_GAIN = 0.585
"""K-weighting's +4 dB high shelf, approximated as x + g * (x - moving_average(x)). With 13
taps at 44.1 kHz (7 at eSpeak's 22.05 kHz) it is within about 0.7 dB of the BS.1770 curve
across the speech band, which is what lets the measurement run in audioop instead of a
per-sample filter loop."""
_WINDOWS_PER_HOP = 63
"""The limiter's gain steps: 1.6 ms at 22.05 and 44.1 kHz, and a whole number of them per
100 ms gating hop, so a block's loudness can be worked out from window energies alone."""
_LIMITER_ATTACK_WINDOWS = 3
"""The gain falls over this many windows before a peak (lookahead), so it never clicks."""
_LIMITER_RELEASE_S = 0.06
_RECOVERED = 0.999
"""A releasing gain this close to its target counts as back there (0.01 dB), so that the
long stretches between peaks are one multiplication each."""
_SAFETY_CHUNK_S = 0.1
"""limit_block looks for excess in 100 ms stretches."""


def db_to_gain(db: float) -> float:
    return float(10 ** (db / 20))


def _lufs(power: float) -> float:
    return -0.691 + 10 * math.log10(power) if power > 0 else -math.inf


def _gated(block_powers: list[float]) -> float:
    """Integrated loudness from the mean-square power of each gating block (BS.1770 gates)."""
    loud = [p for p in block_powers if _lufs(p) > _ABSOLUTE_GATE_LUFS]
    if not loud:
        return -math.inf
    relative_gate = _lufs(sum(loud) / len(loud)) + _RELATIVE_GATE_LU
    kept = [p for p in loud if _lufs(p) > relative_gate]
    return _lufs(sum(kept) / len(kept))


def _hop(rate: int) -> int:
    """EBU R128 gating blocks are 400 ms, overlapping by 75 %: one starts every 100 ms."""
    return rate // 10


def _moving_sum(x: bytes, taps: int) -> bytes:
    """Sum of the last `taps` samples at each sample, built from shifted copies by doubling
    (1, 2, 4, 8 samples), so 13 taps take five adds instead of twelve."""
    powers = [x]
    while 2 ** len(powers) <= taps:
        s = powers[-1]
        powers.append(audioop.add(s, _shifted(s, 2 ** (len(powers) - 1)), SAMPLE_WIDTH))
    total: bytes | None = None
    offset = 0
    for bit in range(len(powers) - 1, -1, -1):
        if taps & (1 << bit):
            part = _shifted(powers[bit], offset)
            total = part if total is None else audioop.add(total, part, SAMPLE_WIDTH)
            offset += 1 << bit
    assert total is not None
    return total


def _shifted(samples: bytes, by: int) -> bytes:
    """16-bit samples delayed by `by`, same length (zeros shifted in)."""
    return b"\0" * (SAMPLE_WIDTH * by) + samples[: len(samples) - SAMPLE_WIDTH * by]


def _k_weighted(pcm: bytes, rate: int) -> tuple[bytes, int]:
    """The clip K-weighted (approximately), scaled down by the returned headroom factor so
    that the moving sum cannot saturate 16 bits."""
    taps = round(_SHELF_TAPS_AT_44K * rate / 44100) | 1  # odd: the sum has a centre sample
    headroom = 1 << taps.bit_length()
    x = audioop.mul(pcm, SAMPLE_WIDTH, 1 / headroom)
    # The moving sum lags by taps // 2 samples; delaying x to match keeps the phase linear.
    centred = _shifted(x, taps // 2)
    return audioop.add(audioop.mul(centred, SAMPLE_WIDTH, 1 + _SHELF_GAIN),
                       audioop.mul(_moving_sum(x, taps), SAMPLE_WIDTH, -_SHELF_GAIN / taps),
                       SAMPLE_WIDTH), headroom


def integrated_loudness(pcm: bytes, rate: int = SAMPLE_RATE) -> float:
    """Gated loudness of 16-bit mono PCM in LUFS, after BS.1770 / EBU R128.

    A clip shorter than one gating block (a single word, "three") is measured as one block.
    """
    weighted, headroom = _k_weighted(pcm, rate)
    scale = headroom / 32768
    hop = _hop(rate) * SAMPLE_WIDTH
    view = memoryview(weighted)
    if len(view) < 4 * hop:
        powers = [(audioop.rms(view, SAMPLE_WIDTH) * scale) ** 2] if len(view) else []
    else:
        powers = [(audioop.rms(view[i : i + 4 * hop], SAMPLE_WIDTH) * scale) ** 2
                  for i in range(0, len(view) - 4 * hop + 1, hop)]
    return _gated(powers)


def peak_dbfs(pcm: bytes) -> float:
    peak = audioop.max(pcm, SAMPLE_WIDTH)
    return 20 * math.log10(peak / 32768) if peak else -math.inf


def _window(rate: int) -> int:
    return max(1, _hop(rate) // _WINDOWS_PER_HOP)


def _windows(pcm: bytes, window: int) -> Iterator[memoryview]:
    """`pcm` in consecutive windows of `window` samples (the last may be shorter), uncopied."""
    view, step = memoryview(pcm), window * SAMPLE_WIDTH
    return (view[i : i + step] for i in range(0, len(view), step))


def _window_peaks(pcm: bytes, window: int) -> list[int]:
    return [audioop.max(w, SAMPLE_WIDTH) for w in _windows(pcm, window)]


def _lookahead_limits(peaks: list[int], ceiling: float) -> list[float]:
    """For each window, the highest gain that keeps it and the next few windows under the
    ceiling: the limiter starts lowering the gain a few windows before a peak."""
    limits = [ceiling / peak if peak else math.inf for peak in peaks]
    ahead = [limits[k:] + [math.inf] * k for k in range(_LIMITER_ATTACK_WINDOWS + 1)]
    return list(map(min, *ahead))


def _limiter_gains(limits: list[float], gain: float, window: int, rate: int) -> list[float]:
    """One gain per window: `gain`, lowered just enough that no window exceeds its limit,
    and let back up smoothly afterwards (exponential release)."""
    release = math.exp(-window / (_LIMITER_RELEASE_S * rate))
    gains = []
    previous = gain
    for limit in limits:
        g = gain - (gain - previous) * release
        if g >= gain * _RECOVERED:
            g = gain
        if limit < g:
            g = limit
        gains.append(g)
        previous = g
    return gains


def _apply_gains(pcm: bytes, gains: list[float], window: int) -> bytes:
    """`pcm` with each window multiplied by its gain; runs of one gain in one call."""
    view, step = memoryview(pcm), window * SAMPLE_WIDTH
    pieces = []
    run_start = 0
    for i in range(1, len(gains) + 1):
        if i == len(gains) or gains[i] != gains[run_start]:
            pieces.append(audioop.mul(view[run_start * step : i * step], SAMPLE_WIDTH,
                                      gains[run_start]))
            run_start = i
    return b"".join(pieces)


def limit_block(pcm: bytes, ceiling_dbfs: float = PEAK_CEILING_DBFS,
                rate: int = SAMPLE_RATE) -> bytes:
    """`pcm` with any peak above the ceiling pulled down; untouched where none is.

    The mixer's safety net: levelled speech is already under the ceiling, but speech laid
    over a ringing bell (or ambience) can add up past it. Only the stretches around an
    excess go through the limiter (with room for its attack before and release after), so
    a block costs a few C calls unless it needs the work.
    """
    ceiling = db_to_gain(ceiling_dbfs) * 32767
    if audioop.max(pcm, SAMPLE_WIDTH) <= ceiling:
        return pcm
    window = _window(rate)
    chunk = round(_SAFETY_CHUNK_S * rate / window) * window * SAMPLE_WIDTH
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
            limits = _lookahead_limits(_window_peaks(piece, window), ceiling)
            piece = _apply_gains(piece, _limiter_gains(limits, 1.0, window, rate), window)
        pieces.append(piece)
        k = end
    return b"".join(pieces)


class _WindowEnergies:
    """Each limiter window's energy, so that the loudness of the clip under any set of
    window gains is a sum over windows, with no pass over the samples."""

    def __init__(self, pcm: bytes, window: int, rate: int) -> None:
        self.energies = [audioop.rms(w, SAMPLE_WIDTH) ** 2 * (len(w) // SAMPLE_WIDTH)
                         for w in _windows(pcm, window)]
        self.per_hop = _hop(rate) // window
        self.samples = len(pcm) // SAMPLE_WIDTH
        self.block = 4 * _hop(rate)

    def unweighted_loudness(self, gains: list[float] | None = None) -> float:
        energies = (self.energies if gains is None
                    else list(map(operator.mul, map(operator.mul, gains, gains), self.energies)))
        scale = 1 / 32768**2
        if self.samples < self.block:
            return _gated([sum(energies) * scale / max(1, self.samples)])
        n = self.per_hop
        hops = [sum(energies[i : i + n]) for i in range(0, len(energies), n)]
        blocks = [sum(hops[h : h + 4]) * scale / self.block for h in range(len(hops) - 3)]
        return _gated(blocks)


@dataclass(frozen=True)
class Leveling:
    """How spoken clips are levelled; part of the clip cache key."""

    target_lufs: float = TARGET_LUFS + CLIP_LOUDER_LU
    peak_ceiling_dbfs: float = PEAK_CEILING_DBFS - 0.5
    """Under the mix's ceiling, so that speech alone never sets off limit_block, and with
    room for the MP3 encoder's overshoot on limited speech."""

    @property
    def identity(self) -> dict[str, object]:
        return {"version": LEVELING_VERSION, "target_lufs": round(self.target_lufs, 2),
                "peak_ceiling_dbfs": self.peak_ceiling_dbfs}


def level_speech(pcm: bytes, leveling: Leveling = Leveling(), rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono PCM at `leveling.target_lufs`, with its peaks held under the ceiling.

    Limiting the peaks takes a little loudness away, so the gain is raised to make up for it.
    Each try is worked out from window energies (a gain is constant across a window), and
    only the last is applied to the samples.
    """
    loudness = integrated_loudness(pcm, rate)
    if not math.isfinite(loudness):
        return pcm
    window = _window(rate)
    ceiling = db_to_gain(leveling.peak_ceiling_dbfs) * 32767
    limits = _lookahead_limits(_window_peaks(pcm, window), ceiling)
    lowest_limit = min(limits)
    gain_db = leveling.target_lufs - loudness
    if db_to_gain(gain_db) <= lowest_limit:
        # Nothing reaches the ceiling: a plain gain, whose loudness is exactly the target.
        return audioop.mul(pcm, SAMPLE_WIDTH, db_to_gain(gain_db))
    # Limiting moves the K-weighting's offset by a few tenths of a dB at most, so each try
    # is measured against the original without the weighting filter.
    energies = _WindowEnergies(pcm, window, rate)
    unweighted = energies.unweighted_loudness()
    tried: list[tuple[float, float]] = []  # (gain in dB, loudness reached)
    for _ in range(6):
        gains = _limiter_gains(limits, db_to_gain(gain_db), window, rate)
        reached = loudness + energies.unweighted_loudness(gains) - unweighted
        shortfall = leveling.target_lufs - reached
        if abs(shortfall) < 0.15 or gain_db > MAX_GAIN_DB:
            break
        tried.append((gain_db, reached))
        if len(tried) == 1:
            # The limiter takes back part of any extra gain, so ask for more than is missing.
            gain_db += 1.6 * shortfall
        else:
            # Loudness grows steadily with gain: the secant through the last two tries.
            (g0, r0), (g1, r1) = tried[-2:]
            slope = (r1 - r0) / (g1 - g0) if g1 != g0 else 1.0
            gain_db += shortfall / max(slope, 0.05)
    return _apply_gains(pcm, gains, window)
