"""Speaking fixes a clip's length; levelling it waits until it is played, then is cached."""

from __future__ import annotations

import math
import struct
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrator.errors import EngineError
from narrator.model import SAMPLE_RATE, Event, Timeline
from narrator.sound.audio import Clip, at_session_rate, audioop, resampled_length
from narrator.sound.mix import render
from narrator.speech.base import OnSpoken, Spoken, StagedSynthesizer
from narrator.speech.cache import ClipCache
from narrator.speech.speak import PendingClip, SpeechStats, finish_in_background, synthesize_all

NATIVE_RATE = 22050


class StagedFake:
    """A tone at half the session rate; finishing doubles its level (and resamples it)."""

    def __init__(self) -> None:
        self.spoken: list[str] = []
        self.finished: list[int] = []
        self.fail_finishing = False

    @property
    def speech_identity(self) -> dict[str, object]:
        return {"engine": "staged-fake", "stage": "spoken"}

    @property
    def identity(self) -> dict[str, object]:
        return {"engine": "staged-fake", "stage": "levelled"}

    def speak(self, text: str) -> Spoken:
        self.spoken.append(text)
        n = 200 * len(text)
        tone = (round(4000 * math.sin(2 * math.pi * 300 * i / NATIVE_RATE)) for i in range(n))
        return Spoken(struct.pack(f"<{n}h", *tone), NATIVE_RATE)

    def speak_many(self, texts: list[str], on_spoken: OnSpoken) -> dict[str, Spoken]:
        spoken = {}
        for text in texts:
            spoken[text] = self.speak(text)
            on_spoken(text, spoken[text])
        return spoken

    def finish(self, spoken: Spoken) -> Clip:
        if self.fail_finishing:
            raise EngineError("levelling failed")
        self.finished.append(len(spoken.pcm))
        return at_session_rate(audioop.mul(spoken.pcm, 2, 2.0), spoken.rate)

    def synthesize(self, text: str) -> Clip:
        return self.finish(self.speak(text))


def test_the_fake_is_a_staged_synthesizer() -> None:
    assert isinstance(StagedFake(), StagedSynthesizer)


@given(st.integers(0, 50_000), st.sampled_from([8000, 16000, 22050, 24000, 44100, 48000]))
def test_resampled_length_is_what_resampling_makes(samples: int, rate: int) -> None:
    assert resampled_length(samples, rate) == at_session_rate(bytes(2 * samples), rate).samples


def test_spoken_clips_are_finished_only_when_played_and_then_cached(tmp_path: Path) -> None:
    fake, cache = StagedFake(), ClipCache(tmp_path)
    texts = ["Breathe in.", "Hold it there.", "Breathe in."]
    stats = SpeechStats()
    clips = synthesize_all(texts, fake, cache, stats=stats)
    assert list(clips) == ["Breathe in.", "Hold it there."]
    assert fake.spoken == ["Breathe in.", "Hold it there."] and fake.finished == []
    assert (stats.synthesized, stats.cached) == (2, 0)
    assert all(isinstance(c, PendingClip) for c in clips.values())
    lengths = {t: c.samples for t, c in clips.items()}

    finished = {t: c.pcm for t, c in clips.items()}  # as the mixer asks for them
    assert {t: len(pcm) // 2 for t, pcm in finished.items()} == lengths
    assert len(fake.finished) == 2
    assert [c.pcm for c in clips.values()] == list(finished.values())  # finished once
    assert len(fake.finished) == 2

    again = SpeechStats()
    served = synthesize_all(texts, StagedFake(), cache, stats=again)
    assert all(isinstance(c, Clip) for c in served.values())
    assert {t: c.pcm for t, c in served.items()} == finished
    assert (again.synthesized, again.cached) == (0, 2)


def test_a_spoken_clip_found_in_the_cache_is_not_spoken_again(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    synthesize_all(["Roll onto your side."], StagedFake(), cache)  # spoken, never played
    fake = StagedFake()
    stats = SpeechStats()
    clips = synthesize_all(["Roll onto your side."], fake, cache, stats=stats)
    assert fake.spoken == [] and (stats.synthesized, stats.cached) == (0, 1)
    assert clips["Roll onto your side."].pcm  # finished from the cached speech
    assert len(fake.finished) == 1


def test_a_damaged_spoken_entry_is_dropped_and_spoken_again(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    first = StagedFake()
    synthesize_all(["Sit tall."], first, cache)
    (entry,) = tmp_path.rglob("*.clip")
    entry.write_bytes(entry.read_bytes()[:30])
    second = StagedFake()
    clips = synthesize_all(["Sit tall."], second, cache)
    assert second.spoken == ["Sit tall."]
    assert clips["Sit tall."].samples == resampled_length(200 * len("Sit tall."), NATIVE_RATE)


def test_the_background_finishes_and_caches_every_pending_clip(tmp_path: Path) -> None:
    fake = StagedFake()
    texts = [f"Cue number {n}." for n in range(12)]
    clips = synthesize_all(texts, fake, ClipCache(tmp_path))
    with finish_in_background(clips.values()):
        deadline = time.monotonic() + 30
        while len(fake.finished) < len(texts) and time.monotonic() < deadline:
            time.sleep(0.01)
    assert len(fake.finished) == len(texts)  # all by the thread, none asked for here
    assert len(list(tmp_path.rglob("*.clip"))) == 2 * len(texts)  # spoken and finished
    pcms = [clips[t].pcm for t in texts]
    assert len(fake.finished) == len(texts)
    assert all(len(pcm) // 2 == clips[t].samples for t, pcm in zip(texts, pcms, strict=True))


def test_a_clip_that_cannot_be_finished_fails_the_mix_with_our_error(tmp_path: Path) -> None:
    fake = StagedFake()
    clips = synthesize_all(["Lie still."], fake, ClipCache(tmp_path))
    fake.fail_finishing = True
    length = clips["Lie still."].samples
    timeline = Timeline(title="t", total=length + SAMPLE_RATE, events=(
        Event("speech", 0, length, text="Lie still."),), chapters=())
    with finish_in_background(clips.values()), pytest.raises(EngineError, match="levelling"):
        list(render(timeline, clips, {}))
    assert not list(tmp_path.rglob("*.clip"))[1:]  # only the spoken entry: nothing finished


def test_a_finished_clip_of_another_length_is_refused() -> None:
    spoken = Spoken(b"\1\0" * 100, NATIVE_RATE)
    pending = PendingClip(spoken, lambda s: Clip(b"\0\0" * 3))
    with pytest.raises(EngineError, match="scheduled for"):
        _ = pending.pcm
