"""Faults below the command line: engines, cache and output never lose a good file."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeSynthesizer, clip_lengths, fake_ffmpeg

from narrator import ffmpeg
from narrator.errors import EngineError, OutputError
from narrator.files import replace_atomically
from narrator.model import Exercise, Hold, Routine
from narrator.options import SessionOptions
from narrator.publish.encode import encode_mp3
from narrator.publish.mp3join import plan_pieces
from narrator.session import build, prepare
from narrator.sound.audio import Clip
from narrator.sound.bells import load_bells
from narrator.sound.mix import placed_sounds, silent_spans
from narrator.speech import espeak
from narrator.speech.cache import ClipCache
from narrator.speech.speak import synthesize_all

TINY = Routine("Tiny", (Exercise("Neck Roll", ("Roll slowly.",), (Hold(2),)),))


@pytest.fixture(autouse=True)
def _fresh_engine_lookup() -> Iterator[None]:
    ffmpeg.find_ffmpeg.cache_clear()
    espeak.find_espeak.cache_clear()
    yield
    ffmpeg.find_ffmpeg.cache_clear()
    espeak.find_espeak.cache_clear()


def test_a_corrupt_cached_clip_is_made_again_not_served(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    synth = FakeSynthesizer()
    first = synthesize_all(["Roll slowly."], synth, cache)["Roll slowly."]
    path = cache.path_for(ClipCache.key(synth.identity, "Roll slowly."))
    path.write_bytes(path.read_bytes()[:100])  # truncated, as by a crash mid-write
    again = synthesize_all(["Roll slowly."], synth, cache)["Roll slowly."]
    assert again == first
    assert synth.calls == ["Roll slowly.", "Roll slowly."]
    path.write_bytes(b"RIFF garbage")
    assert cache.get(ClipCache.key(synth.identity, "Roll slowly.")) is None
    assert not path.exists()


def test_cache_entries_appear_whole(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    cache.put("ab" * 32, Clip(b"\x01\x00" * 10))
    files = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert files == ["ab" * 32 + ".clip"]  # no temporary file left behind


def test_missing_ffmpeg_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_FFMPEG", "/nonexistent/ffmpeg")
    with pytest.raises(EngineError, match="NARRATOR_FFMPEG=/nonexistent/ffmpeg is not an"):
        ffmpeg.find_ffmpeg()


def test_ffmpeg_failing_mid_encode_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "session.mp3"
    out.write_bytes(b"a good earlier build")
    failing = fake_ffmpeg(tmp_path, "head -c 1000 >/dev/null\necho 'Conversion failed!' >&2\n"
                                     "exit 1\n")
    monkeypatch.setenv("NARRATOR_FFMPEG", str(failing))
    session = prepare(TINY, SessionOptions(ready=0, rest=0), FakeSynthesizer(),
                      ClipCache(tmp_path / "c"))
    with pytest.raises(EngineError, match="ffmpeg failed to encode the MP3: Conversion failed!"):
        build(session, out)
    assert out.read_bytes() == b"a good earlier build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "ffmpeg", "session.mp3"]


def test_a_full_disk_is_reported_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "session.mp3"
    out.write_bytes(b"old")
    full = fake_ffmpeg(tmp_path, "cat >/dev/null\n"
                                  "echo 'Error writing trailer: No space left on device' >&2\n"
                                  "exit 1\n")
    monkeypatch.setenv("NARRATOR_FFMPEG", str(full))
    with pytest.raises(OutputError, match="disk full"), replace_atomically(out, ".part") as part:
        encode_mp3(iter([b"\x00\x00" * 100]), part)
    assert out.read_bytes() == b"old"


def test_an_output_path_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"), replace_atomically(tmp_path, ".x"):
        pass


def test_an_output_folder_that_cannot_be_made_is_one_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write here"), replace_atomically(
        blocker / "out.mp3", ".x"
    ):
        pass


def test_an_interrupted_write_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "s.mp3"
    out.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), replace_atomically(out, ".part") as part:
        part.write_bytes(b"half")
        raise KeyboardInterrupt
    assert os.listdir(tmp_path) == ["s.mp3"] and out.read_bytes() == b"old"


def test_missing_espeak_data_is_an_error_before_espeak_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "libespeak-ng.so.1"
    library.write_bytes(b"")
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("NARRATOR_ESPEAK_LIBRARY", str(library))
    monkeypatch.setenv("NARRATOR_ESPEAK_DATA", str(tmp_path / "data"))
    with pytest.raises(EngineError, match="eSpeak NG data is missing or incomplete"):
        espeak.find_espeak()


def test_stale_temporaries_of_killed_runs_are_removed_and_live_ones_kept(
    tmp_path: Path,
) -> None:
    import time

    from narrator.files import remove_stale_temporaries

    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    gone = tmp_path / f".narrator-{dead.pid}-abc123.mp3.partial"
    live = tmp_path / f".narrator-{os.getppid()}-abc123.mp3.partial"
    ancient = tmp_path / f".narrator-{os.getppid()}-def456.json.partial"
    legacy = tmp_path / ".session.k2j4h1.mp3.partial"
    fresh_legacy = tmp_path / ".other.k2j4h1.mp3.partial"
    mine = tmp_path / "session.mp3"
    for path in (gone, live, ancient, legacy, fresh_legacy, mine):
        path.write_bytes(b"x")
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(ancient, (day_ago, day_ago))
    os.utime(legacy, (day_ago, day_ago))
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(removed) == sorted([gone, ancient, legacy])
    assert live.exists() and fresh_legacy.exists() and mine.exists()


def test_a_failed_rename_puts_the_whole_set_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from narrator.files import replace_all

    first, second, third = tmp_path / "a.mp3", tmp_path / "a.timeline.json", tmp_path / "a.vtt"
    first.write_text("old audio")
    second.write_text("old timeline")
    real_replace = os.replace

    def failing(src: object, dst: object) -> None:
        if str(dst) == str(third):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match=r"a\.vtt: cannot write: No space left"), \
            replace_all([first, second, third]) as partials:
        for partial in partials:
            partial.write_text("new")
    assert first.read_text() == "old audio" and second.read_text() == "old timeline"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp3", "a.timeline.json"]


def test_a_full_disk_names_the_target_not_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "session.mp3"
    full = fake_ffmpeg(tmp_path, "cat >/dev/null\n"
                                  "echo 'Error writing trailer: No space left on device' >&2\n"
                                  "exit 1\n")
    monkeypatch.setenv("NARRATOR_FFMPEG", str(full))
    session = prepare(TINY, SessionOptions(ready=0, rest=0), FakeSynthesizer(),
                      ClipCache(tmp_path / "c"))
    with pytest.raises(OutputError) as error:
        build(session, out)
    assert str(error.value) == f"{out}: disk full: no space left on the device"


def test_swapped_clip_entries_are_missed_not_served(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    synth = FakeSynthesizer()
    texts = ["Roll slowly.", "Breathe out and let the shoulders drop."]
    first = synthesize_all(texts, synth, cache)
    a, b = (cache.path_for(ClipCache.key(synth.identity, t)) for t in texts)
    a_bytes, b_bytes = a.read_bytes(), b.read_bytes()
    a.write_bytes(b_bytes)
    b.write_bytes(a_bytes)
    again = synthesize_all(texts, synth, cache)
    assert again == first  # each text has its own clip again, made anew
    assert synth.calls == texts + texts


def test_a_clip_entry_whose_audio_was_changed_is_missed(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = "cd" * 32
    cache.put(key, Clip(b"\x01\x00" * 10))
    path = cache.path_for(key)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # one sample changed, the header left alone
    path.write_bytes(bytes(data))
    assert cache.get(key) is None and not path.exists()


def test_a_cached_routine_edited_by_hand_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import narrator.parse as parse

    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path))
    text = "# Back\n\n1. Cat Cow\n\nArch and round your back. Hold for 20 seconds.\n"
    first = parse.parse_text(text, source="back.md")
    (entry,) = (tmp_path / "routines").rglob("*.toml")
    entry.write_text(entry.read_text().replace("hold = 20", "hold = 600"))
    assert "hold = 600" in entry.read_text()
    again = parse.parse_text(text, source="back.md")
    assert again == first and again.exercises[0].holds[0].seconds == 20


# --------------------------------------------------------------------------- the rate race

RATE_TEXT = "Lie on your back and pull one knee gently towards your chest, then breathe out."


@pytest.mark.e2e
def test_a_rate_dropped_inside_espeak_is_set_again_before_speaking() -> None:
    # What the race did: eSpeak NG's queued rate change was cancelled by pyttsx3's stop(),
    # so eSpeak spoke at pyttsx3's 200 while narrator believed it had set 150.
    from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer

    synth = Pyttsx3Synthesizer()  # loads eSpeak NG, which pyttsx3's binding needs first
    first = synth.speak(RATE_TEXT)
    from pyttsx3.drivers import _espeak

    _espeak.SetParameter(_espeak.RATE, 200, 0)
    again = synth.speak(RATE_TEXT)
    # At 200 it would be 0.75 times as long; eSpeak's own lengths vary by a few hundredths
    # of a percent between utterances.
    assert again.samples == pytest.approx(first.samples, rel=0.01)


@pytest.mark.e2e
def test_a_clip_spoken_at_another_rate_is_never_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer

    synth = Pyttsx3Synthesizer()  # loads eSpeak NG, which the driver module needs first
    from narrator.speech import pyttsx3_driver

    monkeypatch.setattr(pyttsx3_driver, "current_rate", lambda: 200)  # eSpeak stuck at 200
    cache = ClipCache(tmp_path)
    with pytest.raises(EngineError, match="at \\(200, 200\\) words a minute, not the 150"):
        synthesize_all([RATE_TEXT], synth, cache)
    assert not list(tmp_path.rglob("*.clip"))


def test_a_clip_far_off_the_asked_pace_is_refused(tmp_path: Path) -> None:
    import wave

    from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer, WrongRateError

    def clip_file(seconds: float) -> Path:
        path = tmp_path / "c.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(b"\x00\x10" * int(22050 * seconds))
        return path

    synth = Pyttsx3Synthesizer.__new__(Pyttsx3Synthesizer)
    synth.options = Pyttsx3Synthesizer.__init__.__globals__["VoiceOptions"](rate=150)
    words = len(RATE_TEXT.split())  # 15 words: about 6 s at 150 a minute
    assert synth._read_spoken(clip_file(6.0), RATE_TEXT, (150, 150)).rate == 22050
    with pytest.raises(WrongRateError, match="times the 150"):
        synth._read_spoken(clip_file(words / 150 * 60 / 4), RATE_TEXT, (150, 150))
    with pytest.raises(WrongRateError, match="not the 150"):
        synth._read_spoken(clip_file(6.0), RATE_TEXT, (150, 200))


@pytest.mark.slow
def test_cold_synthesis_in_fresh_processes_always_takes_the_rate(tmp_path: Path) -> None:
    import sys

    script = ("from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer\n"
              "texts = ['Stretch one of seven.', 'Halfway.', 'Switch sides.', "
              f"{RATE_TEXT!r}]\n"
              "made = Pyttsx3Synthesizer().speak_many(texts, lambda t, s: None)\n"
              "print(sum(s.samples for s in made.values()))\n")
    lengths = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True).stdout.strip() for _ in range(60)}
    assert len(lengths) == 1, lengths


@pytest.mark.e2e
def test_more_than_255_chapters_are_tagged_through_child_tables(tmp_path: Path) -> None:
    from measure import ffmpeg_chapters

    from narrator.model import SAMPLE_RATE, Chapter, Timeline
    from narrator.publish.tags import Metadata, read_tags, write_tags

    count = 300
    total = count * SAMPLE_RATE // 10
    out = tmp_path / "many.mp3"
    encode_mp3(iter([b"\x00\x00" * total]), out)
    step = total // count
    chapters = tuple(Chapter(f"Stretch {n}", n * step, (n + 1) * step) for n in range(count))
    write_tags(out, Timeline("Many", total, (), chapters), Metadata(title="Many"))
    read = ffmpeg_chapters(out)
    assert [c.title for c in read] == [c.title for c in chapters]
    info = read_tags(out)
    assert len(info.toc) == count and [c.title for c in info.chapters][-1] == "Stretch 299"


HELD = Routine("Held", (Exercise("Neck Roll", ("Roll slowly.",), (Hold(30),)),))
"""A hold long enough for silent pieces: the encoders are fed only around the cues."""


@pytest.mark.parametrize("writes", ["nothing", "random bytes"])
@pytest.mark.parametrize(("routine", "encoders"), [(TINY, 1), (TINY, 2), (HELD, 1), (HELD, 2)])
def test_an_encoder_that_exits_0_without_audio_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routine: Routine, encoders: int,
    writes: str,
) -> None:
    out = tmp_path / "session.mp3"
    out.write_bytes(b"a good earlier build")
    body = "cat >/dev/null\n" + ('for a; do last=$a; done\nhead -c 20000 /dev/urandom > "$last"\n'
                                 if writes == "random bytes" else "")
    monkeypatch.setenv("NARRATOR_FFMPEG", str(fake_ffmpeg(tmp_path, body)))
    session = prepare(routine, SessionOptions(ready=0, rest=0), FakeSynthesizer(),
                      ClipCache(tmp_path / "c"))
    if routine is HELD:  # else this would not test the pieces' checks
        assert any(p.silent for p in plan_pieces(silent_spans(placed_sounds(
            session.timeline, session.clips, {"start": load_bells().start,
                                              "end": load_bells().end}),
            session.timeline.total), session.timeline.total, encoders))
    with pytest.raises(EngineError, match="ffmpeg wrote"):
        build(session, out, encoders=encoders)
    assert out.read_bytes() == b"a good earlier build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "ffmpeg", "session.mp3"]


def test_a_short_mp3_is_not_the_planned_session(tmp_path: Path) -> None:
    from narrator.publish.check import check_encoded

    short = tmp_path / "short.mp3"
    encode_mp3(iter([b"\x00\x00" * 44100]), short)  # one second
    check_encoded(short, 44100, "mp3")
    with pytest.raises(EngineError, match=r"ffmpeg wrote 1\.0\d s of audio, not the planned 2\.00"):
        check_encoded(short, 2 * 44100, "mp3")
    short.write_bytes(short.read_bytes()[:-100])
    with pytest.raises(EngineError, match="ends in the middle of a frame"):
        check_encoded(short, 44100, "mp3")


@pytest.mark.parametrize("minutes", [8, 11.5, 15, 30])
def test_minutes_are_met_within_a_second_with_whole_second_holds(minutes: float) -> None:
    from narrator.model import SAMPLE_RATE
    from narrator.parse import load_routine

    class QuickSynthesizer(FakeSynthesizer):
        """The fake's lengths, without computing its tone."""

        def synthesize(self, text: str) -> Clip:
            return Clip(b"\x10\x00" * clip_lengths((text,))[text])

    session = prepare(load_routine(None), SessionOptions(), QuickSynthesizer(), None,
                      minutes=minutes)
    assert abs(session.timeline.total / SAMPLE_RATE - minutes * 60) <= 1.0
    assert all(h.seconds == round(h.seconds) for e in session.routine.exercises
               for h in e.holds)

