"""The Piper engine, for real when its extra is installed (the test extra installs it), and
what happens without it; the two engines side by side in one process and in one cache."""

from __future__ import annotations

import array
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_cli import run

from narrator.model import SAMPLE_RATE
from narrator.options import VoiceOptions
from narrator.speech import piper_engine
from narrator.speech.base import choose_engine, create_engine
from narrator.speech.cache import ClipCache
from narrator.speech.speak import SpeechStats, synthesize_all

INSTALLED = piper_engine.PiperSynthesizer.missing() is None
needs_piper = pytest.mark.skipif(not INSTALLED, reason="the piper extra is not installed")
TEXT = "Stretch 3 of 7: Piriformis Stretch."


def test_without_the_extra_piper_is_one_line_with_the_install_command(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper_engine, "_missing_parts", lambda: ["piper"])
    code, out, err = run(capsys, "plan", "--engine", "piper")
    assert code == 4 and out == ""
    assert err.count("\n") == 1
    assert "pip install 'narrator[piper]'" in err and "NARRATOR_EXTRAS=piper" in err
    code, out, _ = run(capsys, "voices", "--engine", "piper")
    assert code == 0
    assert "en_US-joe-medium" in out and "not installed: pip install 'narrator[piper]'" in out


def test_voices_lists_every_engine_with_its_languages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "voices")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    engines = {row[0] for row in rows}
    assert engines == {"pyttsx3", "piper"}
    by_id = {row[1]: row[-1] for row in rows if row[0] in ("pyttsx3", "piper")}
    assert by_id["gmw/de"] == "de" and by_id["roa/es"] == "es"
    assert by_id["en_US-joe-medium"] == "en-us"


def test_rate_maps_onto_length_scale() -> None:
    if not INSTALLED:
        pytest.skip("the piper extra is not installed")
    slow = piper_engine.PiperSynthesizer(VoiceOptions(engine="piper", rate=94))
    assert slow.speech_identity["engine_version"] == "1.8.0"  # as the piper extra pins it
    assert slow.length_scale == pytest.approx(piper_engine.NATURAL_WPM / 94, abs=1e-3)
    assert slow.speech_identity["length_scale"] != piper_engine.PiperSynthesizer(
        VoiceOptions(engine="piper", rate=188)).speech_identity["length_scale"]


@pytest.fixture(scope="module")
def piper() -> piper_engine.PiperSynthesizer:
    if not INSTALLED:
        pytest.skip("the piper extra is not installed")
    return piper_engine.PiperSynthesizer(VoiceOptions(engine="piper"))


@needs_piper
def test_piper_speaks_for_real(piper: piper_engine.PiperSynthesizer) -> None:
    spoken = piper.speak(TEXT)
    seconds = len(spoken.pcm) / 2 / spoken.rate
    assert spoken.rate == 22_050
    assert 1.0 < seconds < 5.0
    samples = array.array("h", spoken.pcm)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    assert rms > 500  # speech, not silence
    # Twice the rate, about half the length. Piper draws its phoneme lengths with noise
    # (noise_w), so the ratio wanders: 0.652 was seen in CI. Rate ignored would give 1.0.
    fast = piper_engine.PiperSynthesizer(VoiceOptions(engine="piper", rate=300)).speak(TEXT)
    assert 0.35 < len(fast.pcm) / len(spoken.pcm) < 0.75
    # Levelled like every engine's clips, on the session clock, its length as scheduled.
    clip = piper.finish(spoken)
    assert clip.samples == spoken.samples
    assert spoken.samples == pytest.approx(seconds * SAMPLE_RATE, abs=2)


@needs_piper
def test_the_cache_keeps_the_two_engines_clips_apart(piper: piper_engine.PiperSynthesizer,
                                                     tmp_path: Path) -> None:
    espeak = create_engine(VoiceOptions(), "en")
    cache = ClipCache(tmp_path)
    first = {}
    for engine in (espeak, piper):
        stats = SpeechStats()
        clips = synthesize_all([TEXT], engine, cache, stats=stats)
        first[engine.name] = clips[TEXT].pcm
        assert stats.synthesized == 1  # the other engine's clip is never taken for its own
    assert ClipCache.key(espeak.identity, TEXT) != ClipCache.key(piper.identity, TEXT)
    assert first["pyttsx3"] != first["piper"]
    for engine in (espeak, piper):
        stats = SpeechStats()
        again = synthesize_all([TEXT], engine, cache, stats=stats)
        assert (stats.synthesized, stats.cached) == (0, 1)
        assert again[TEXT].pcm == first[engine.name]


@needs_piper
def test_piper_and_espeak_speak_in_one_process() -> None:
    # Piper carries its own eSpeak NG; narrator's copy, loaded globally, made this crash.
    # In a child process, so a crash fails this test rather than the whole run.
    script = textwrap.dedent("""
        import json
        from narrator.options import VoiceOptions
        from narrator.speech.base import create_engine
        espeak = create_engine(VoiceOptions(), "en")
        piper = create_engine(VoiceOptions(engine="piper"), "en")
        said = [espeak.speak("Switch sides."), piper.speak("Switch sides."),
                espeak.speak("Well done."), piper.speak("Well done.")]
        print(json.dumps([len(s.pcm) for s in said]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert all(n > 4000 for n in json.loads(done.stdout))


@needs_piper
def test_an_english_routine_keeps_piper_and_others_fall_back() -> None:
    engine, choice = choose_engine(VoiceOptions(engine="piper"), "en")
    assert (engine.name, choice.voice, choice.note) == ("piper", "en_US-joe-medium", None)
    engine, choice = choose_engine(VoiceOptions(engine="piper"), "es")
    assert (engine.name, choice.voice) == ("pyttsx3", "roa/es")


@needs_piper
@pytest.mark.e2e
def test_a_session_builds_with_piper_and_plays_as_planned(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from measure import decode
    from test_cli import ROUTINE_TOML

    source = tmp_path / "quick.toml"
    source.write_text(ROUTINE_TOML, encoding="utf-8")
    code, out, _ = run(capsys, "plan", str(source), "--engine", "piper", "--json")
    assert code == 0
    plan = json.loads(out)
    assert (plan["engine"], plan["voice"], plan["language"]) == (
        "piper", "en_US-joe-medium", "en")
    built = tmp_path / "quick.mp3"
    code, _, err = run(capsys, "build", str(source), "--engine", "piper", "-o", str(built))
    assert code == 0, err
    assert len(decode(built)) * 1000 // SAMPLE_RATE == pytest.approx(plan["total_ms"], abs=1)
