"""Speaking in two processes gives a clip for every text, in order, as one process would.

eSpeak NG carries a little state from one utterance to the next, so a clip's last few
milliseconds depend on what was said before it; the clips are compared by length, not bytes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from narrator.speech import (
    PARALLEL_MIN_CLIPS,
    ClipCache,
    Pyttsx3Synthesizer,
    SpeechStats,
    synthesize_all,
)

pytestmark = pytest.mark.e2e

TEXTS = [f"Hold for {n} seconds." for n in range(11, 11 + PARALLEL_MIN_CLIPS + 4)]


def _close(a: int, b: int) -> bool:
    return abs(a - b) <= 0.03 * max(a, b)


def test_two_processes_give_every_clip_in_order(tmp_path: Path) -> None:
    synthesizer = Pyttsx3Synthesizer()
    stats = SpeechStats()
    heard: list[str] = []
    together = synthesize_all(TEXTS, synthesizer, ClipCache(tmp_path / "a"), stats=stats,
                              on_clip=heard.append)
    assert stats.synthesized == len(TEXTS) and sorted(heard) == sorted(TEXTS)
    assert list(together) == TEXTS
    alone = {t: synthesizer.synthesize(t) for t in TEXTS}
    assert all(_close(together[t].samples, alone[t].samples) for t in TEXTS)


def test_a_helper_that_cannot_start_leaves_the_work_to_this_process(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    synthesizer = Pyttsx3Synthesizer()
    # The helper is started with these options; this voice makes its start-up fail.
    synthesizer.options = replace(synthesizer.options, voice="no-such-voice")
    clips = synthesize_all(TEXTS, synthesizer, ClipCache(tmp_path))
    assert list(clips) == TEXTS
    assert all(clip.samples > 0.5 * 44100 for clip in clips.values())
    assert capfd.readouterr() == ("", "")  # nothing from the helper reaches the user
