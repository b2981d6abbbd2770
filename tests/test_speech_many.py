"""Speaking many texts in a row: eSpeak NG speaks one while the one before is read back.

eSpeak NG carries a little state from one utterance to the next, so a clip's last few
milliseconds depend on what was said before it; clips are compared by length, not bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.speech.base import SilentClipError, Spoken
from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer

pytestmark = pytest.mark.e2e

TEXTS = [f"Hold for {n} seconds." for n in range(11, 31)]


def _close(a: int, b: int) -> bool:
    return abs(a - b) <= 0.03 * max(a, b)


def test_every_text_is_spoken_in_order_as_one_by_one() -> None:
    synthesizer = Pyttsx3Synthesizer()
    heard: list[str] = []
    together = synthesizer.speak_many(TEXTS, lambda text, spoken: heard.append(text))
    assert heard == TEXTS and list(together) == TEXTS
    alone = {t: synthesizer.speak(t) for t in TEXTS}
    assert all(_close(together[t].samples, alone[t].samples) for t in TEXTS)
    # Each clip is its own text, not a neighbour's: lengths grow with the words said.
    short, long = synthesizer.speak_many(["Breathe.", "Breathe in slowly through your nose, "
                                          "then out through your mouth."], lambda *_: None
                                         ).values()
    assert long.samples > 3 * short.samples


def test_a_clip_that_comes_back_silent_is_asked_for_again(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    synthesizer = Pyttsx3Synthesizer()
    read = Pyttsx3Synthesizer._read_spoken
    failed: list[str] = []

    def silent_once(self: Pyttsx3Synthesizer, path: Path, text: str,
                    spoken_at: tuple[int, int] | None) -> Spoken:
        if text == TEXTS[3] and not failed:
            failed.append(text)
            raise SilentClipError("no audio")
        return read(self, path, text, spoken_at)

    monkeypatch.setattr(Pyttsx3Synthesizer, "_read_spoken", silent_once)
    heard: list[str] = []
    spoken = synthesizer.speak_many(TEXTS[:6], lambda text, _: heard.append(text))
    assert failed == [TEXTS[3]]
    assert list(spoken) == TEXTS[:6] and sorted(heard) == sorted(TEXTS[:6])
    assert all(s.samples > 0.5 * 44100 for s in spoken.values())
    assert capfd.readouterr() == ("", "")  # no "Audio saved to ..." from pyttsx3


def test_stopping_partway_leaves_the_engine_ready(capfd: pytest.CaptureFixture[str]) -> None:
    synthesizer = Pyttsx3Synthesizer()

    def stop_at_the_third(text: str, spoken: Spoken) -> None:
        if text == TEXTS[2]:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        synthesizer.speak_many(TEXTS, stop_at_the_third)
    # The utterance that was under way when it stopped has ended, quietly; the next is fine.
    assert synthesizer.speak("Roll onto your side.").samples > 0.5 * 44100
    assert capfd.readouterr() == ("", "")
