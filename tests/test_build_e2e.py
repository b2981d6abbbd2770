"""End to end with real eSpeak NG and real ffmpeg: build, decode, measure."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from measure import decode, ffmpeg_chapters, onset_near

from narrator.model import Exercise, Hold, Routine, samples_to_ms, seconds_to_samples
from narrator.options import SessionOptions
from narrator.publish.mp3join import JOIN_QUIET, LAME_DELAY, plan_pieces
from narrator.publish.tags import read_tags
from narrator.session import Session, build, plan_dict, prepare
from narrator.sound.audio import Clip
from narrator.sound.bells import load_bells
from narrator.sound.mix import placed_sounds, silent_spans
from narrator.speech.base import OnSpoken, Spoken
from narrator.speech.cache import ClipCache
from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer

pytestmark = pytest.mark.e2e

SHORT = Routine(
    title="Two short stretches",
    exercises=(
        Exercise("Knees to Chest", ("Lie on your back.", "Hug one knee in."),
                 (Hold(10, "right"), Hold(10, "left"))),
        Exercise("Total Back Stretch", ("Hold the edge of a table.",),
                 (Hold(4, None, 1), Hold(4, None, 2))),
    ),
    source="test",
)
OPTIONS = SessionOptions(ready=1, switch=1, rest=1, countdown=2)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Path, list[int]]:
    cache = ClipCache(tmp_path_factory.mktemp("clips"))
    session = prepare(SHORT, OPTIONS, Pyttsx3Synthesizer(), cache)
    out = tmp_path_factory.mktemp("out") / "short.mp3"
    # Encoded in parts, two at once, the long silences of the 10 s holds written as silent
    # frames between them, then joined.
    build(session, out, encoders=2)
    return session, out, decode(out)


def test_the_session_is_encoded_in_parts_around_silent_pieces(built) -> None:  # type: ignore[no-untyped-def]
    session, _, samples = built
    bells = load_bells()
    total = session.timeline.total
    pieces = plan_pieces(silent_spans(placed_sounds(session.timeline, session.clips, {
        "start": bells.start, "end": bells.end}), total), total, 2)
    # So every test here measures a joined file with silence written as frames.
    assert [p.silent for p in pieces].count(True) == 2
    holds = [e for e in session.timeline.events if e.kind == "hold"]
    for piece in pieces:
        if piece.silent:
            assert any(h.start < piece.start < piece.end < h.end for h in holds)
            around = samples[piece.start - LAME_DELAY - JOIN_QUIET:piece.end + JOIN_QUIET]
            assert set(around) == {0}
        else:
            # Each join into an encoded piece is silent too.
            around = samples[piece.start - LAME_DELAY - JOIN_QUIET:piece.start + JOIN_QUIET]
            assert piece.start == 0 or set(around) == {0}


def test_decoded_length_is_the_planned_length_to_the_sample(built) -> None:  # type: ignore[no-untyped-def]
    session, _, samples = built
    assert len(samples) == session.timeline.total


def test_chapters_read_back_by_ffmpeg_in_order(built) -> None:  # type: ignore[no-untyped-def]
    session, out, _ = built
    chapters = ffmpeg_chapters(out)
    assert [c.title for c in chapters] == [
        "Introduction", "Knees to Chest", "Total Back Stretch", "Finish"]
    planned = plan_dict(session)["chapters"]
    assert isinstance(planned, list)
    # ffmpeg shifts ID3 chapter times by the MP3 encoder delay (1105 samples, 25 ms).
    for got, want in zip(chapters, planned, strict=True):
        assert abs(got.start_ms - want["start_ms"]) <= 26
        assert abs(got.end_ms - want["end_ms"]) <= 26
    for before, after in pairwise(chapters):
        assert before.end_ms == after.start_ms


def test_tags_hold_exact_chapters_and_metadata(built) -> None:  # type: ignore[no-untyped-def]
    session, out, samples = built
    info = read_tags(out)
    assert info.bitrate_mode == "CBR" and info.bitrate == 96000
    assert info.text["TIT2"] == "Two short stretches"
    assert info.text["TLEN"] == str(samples_to_ms(len(samples)))
    assert [(c.start_ms, c.end_ms) for c in info.chapters] == [
        (c["start_ms"], c["end_ms"]) for c in plan_dict(session)["chapters"]  # type: ignore[attr-defined]
    ]
    assert info.chapters[-1].end_ms == samples_to_ms(len(samples))
    assert len(info.toc) == len(info.chapters)
    assert info.lyrics_chars > 100


def test_bells_sound_on_their_samples_and_holds_are_exact(built) -> None:  # type: ignore[no-untyped-def]
    session, out, samples = built
    holds = [e for e in session.timeline.events if e.kind == "hold"]
    assert [h.end - h.start for h in holds] == [seconds_to_samples(s) for s in (10, 10, 4, 4)]
    two_ms = seconds_to_samples(0.002)
    for hold in holds:
        start = onset_near(samples, hold.start, window=seconds_to_samples(0.05), threshold=3000)
        end = onset_near(samples, hold.end, window=seconds_to_samples(0.05), threshold=3000)
        assert start is not None and abs(start - hold.start) <= two_ms
        assert end is not None and abs(end - hold.end) <= two_ms
    timeline = json.loads(out.with_suffix(".timeline.json").read_text())
    assert timeline["sample_rate"] == 44100
    assert [e["start"] for e in timeline["events"] if e["kind"] == "hold"] == [
        h.start for h in holds]


def test_a_second_build_speaks_nothing_and_a_played_clip_is_kept_finished(
    tmp_path: Path,
) -> None:
    class Counting(Pyttsx3Synthesizer):
        spoken = 0
        finished = 0

        def speak_many(self, texts: list[str], on_spoken: OnSpoken) -> dict[str, Spoken]:
            Counting.spoken += len(texts)
            return super().speak_many(texts, on_spoken)

        def finish(self, spoken: Spoken) -> Clip:
            Counting.finished += 1
            return super().finish(spoken)

    cache = ClipCache(tmp_path)
    first = prepare(SHORT, OPTIONS, Counting(), cache)
    texts = len(first.script.spoken_texts)
    assert (Counting.spoken, Counting.finished) == (texts, 0)  # a plan needs lengths only
    second = prepare(SHORT, OPTIONS, Counting(), cache)
    assert (Counting.spoken, Counting.finished) == (texts, 0)
    assert second.timeline == first.timeline
    build(second, tmp_path / "second.mp3")
    assert Counting.finished == texts
    # Levelled once, while it was encoded, and served finished from then on.
    third = prepare(SHORT, OPTIONS, Counting(), cache)
    assert (Counting.spoken, Counting.finished) == (texts, texts)
    assert all(isinstance(clip, Clip) for clip in third.clips.values())
    assert {t: c.pcm for t, c in third.clips.items()} == {t: c.pcm for t, c in second.clips.items()}


BUILT_IN_CHAPTERS = [
    "Introduction", "Floor Hamstrings", "Knees to Chest", "Piriformis Stretch", "Spinal Twist",
    "Lying Quadriceps", "Hip Flexors", "Total Back Stretch", "Finish",
]


def test_the_built_in_routine_builds_as_the_readme_promises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from narrator.cli.commands import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["build"])
    assert exit_info.value.code == 0, capsys.readouterr().err
    (mp3,) = (tmp_path / "output").glob("*.mp3")
    assert mp3.name == "seven-stretches-in-seven-minutes.mp3"
    chapters = ffmpeg_chapters(mp3)
    assert [c.title for c in chapters] == BUILT_IN_CHAPTERS
    samples = decode(mp3)
    assert 9 * 60 <= len(samples) / 44100 <= 12 * 60
    timeline = json.loads(mp3.with_suffix(".timeline.json").read_text())
    assert len(samples) == timeline["total"]
    holds = [e for e in timeline["events"] if e["kind"] == "hold"]
    assert len(holds) == 14 and all(h["end"] - h["start"] == 30 * 44100 for h in holds)
