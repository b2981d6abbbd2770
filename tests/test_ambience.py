"""The ambience bed: ducking, looping, and holds that stay exact under it."""

from __future__ import annotations

import io
import math
import struct
from pathlib import Path

import pytest
from measure import decode, loudness, onset_near
from test_build_e2e import OPTIONS, SHORT

from narrator.errors import OptionError
from narrator.model import SAMPLE_RATE, Event, Timeline, seconds_to_samples
from narrator.session import build, prepare
from narrator.sound.ambience import DUCK_ATTACK, DUCK_DB, DUCK_RELEASE, Ambience, Bed
from narrator.sound.audio import Clip, wav_bytes
from narrator.sound.loudness import TARGET_LUFS, db_to_gain
from narrator.speech.cache import ClipCache
from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer


def _level(samples: list[int] | tuple[int, ...]) -> float:
    return math.sqrt(sum(v * v for v in samples) / len(samples))


def test_bed_ducks_under_speech_and_comes_back() -> None:
    speech = (SAMPLE_RATE, 2 * SAMPLE_RATE)
    timeline = Timeline("t", 4 * SAMPLE_RATE, (Event("speech", *speech, text="hi"),), ())
    stream = io.BytesIO(struct.pack("<h", 10000) * timeline.total)
    bed = Bed(timeline, stream, gain=1.0)
    half = timeline.total // 2
    pcm = bed(0, half) + bed(half, timeline.total)
    out = struct.unpack(f"<{timeline.total}h", pcm)
    assert out[SAMPLE_RATE // 2] == 10000  # long before speech: the full bed
    assert abs(out[speech[0] + 1000] - 10000 * db_to_gain(DUCK_DB)) <= 60  # under speech
    assert out[speech[1] + DUCK_RELEASE + 1000] == 10000  # back after the release
    ramp_in = out[speech[0] - DUCK_ATTACK // 2]
    assert 10000 * db_to_gain(DUCK_DB) < ramp_in < 10000  # eased in, not switched
    with pytest.raises(ValueError, match="in order"):
        bed(0, 10)


def test_ambience_option_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="no such file"):
        Ambience.from_option(str(tmp_path / "rain.ogg"))
    junk = tmp_path / "junk.ogg"
    junk.write_text("not audio")
    from narrator.sound.ambience import measure_loudness

    with pytest.raises(OptionError, match="cannot read it as audio") as info:
        measure_loudness(Ambience.from_option(str(junk)))
    assert "\n" not in str(info.value)


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["soft", "file"])
def test_holds_stay_exact_and_loudness_holds_under_ambience(kind: str, tmp_path: Path) -> None:
    if kind == "file":
        # A short tone: the bed must loop it for the whole session.
        n = SAMPLE_RATE // 2
        tone = [round(3000 * math.sin(2 * math.pi * 220 * i / SAMPLE_RATE)) for i in range(n)]
        source = tmp_path / "tone.wav"
        source.write_bytes(wav_bytes(Clip(struct.pack(f"<{n}h", *tone))))
        ambience = Ambience.from_option(str(source))
    else:
        ambience = Ambience.from_option("soft")
    session = prepare(SHORT, OPTIONS, Pyttsx3Synthesizer(), ClipCache())
    out = tmp_path / "bed.mp3"
    build(session, out, ambience=ambience)
    samples = decode(out)
    assert len(samples) == session.timeline.total
    holds = [e for e in session.timeline.events if e.kind == "hold"]
    two_ms = seconds_to_samples(0.002)
    for hold in holds:
        for expected in (hold.start, hold.end):
            found = onset_near(samples, expected, window=seconds_to_samples(0.05),
                               threshold=3000)
            assert found is not None and abs(found - expected) <= two_ms
    measured = loudness(out)
    assert abs(measured["integrated"] - TARGET_LUFS) <= 1.0 and measured["true_peak"] <= -1.0
    # Audible but quiet in the silence of the last hold (after its countdown's start bell
    # has died away, before the countdown), so the loop ran to the end.
    last = holds[-1]
    quiet = samples[last.start + seconds_to_samples(1.7): last.end - seconds_to_samples(2.1)]
    level_db = 20 * math.log10(max(1.0, _level(quiet)) / 32768)
    assert -55 <= level_db <= -28, level_db
