"""What a phone plays and shows, measured on built files (real eSpeak NG and ffmpeg)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from measure import decode, ffmpeg_chapters, loudness
from PIL import Image
from test_build_e2e import OPTIONS, SHORT

from narrator.cli.commands import main
from narrator.model import samples_to_ms
from narrator.options import VoiceOptions
from narrator.publish.metadata import metadata_for
from narrator.publish.tags import read_mp4_tags, read_tags
from narrator.session import Session, build, prepare
from narrator.sound.bells import load_bells
from narrator.sound.loudness import TARGET_LUFS, integrated_loudness
from narrator.speech.cache import ClipCache
from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer

pytestmark = pytest.mark.e2e

ROUTINE = replace(SHORT, author="Dr. Example", source="https://example.org/back-stretches")


@pytest.fixture(scope="module")
def session() -> Session:
    return prepare(ROUTINE, OPTIONS, Pyttsx3Synthesizer(), ClipCache())


@pytest.fixture(scope="module")
def default_build(session: Session, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sound") / "short.mp3"
    build(session, out, chapters_json=True, vtt=True)
    return out


def test_session_is_at_podcast_loudness_with_true_peak_headroom(default_build: Path) -> None:
    measured = loudness(default_build)
    assert abs(measured["integrated"] - TARGET_LUFS) <= 1.0, measured
    assert measured["true_peak"] <= -1.0, measured


def test_every_spoken_clip_is_levelled_alike(session: Session) -> None:
    levels = [integrated_loudness(clip.pcm) for clip in session.clips.values()]
    assert max(levels) - min(levels) <= 1.0


def test_bells_sit_a_little_below_the_voice() -> None:
    bells = load_bells()
    for bell in (bells.start, bells.end):
        assert TARGET_LUFS - 8 <= integrated_loudness(bell.pcm) <= TARGET_LUFS - 2


def test_volume_lowers_the_voice_by_that_much() -> None:
    text = "Lie on your back and breathe out slowly."
    full = Pyttsx3Synthesizer().synthesize(text)
    half = Pyttsx3Synthesizer(VoiceOptions(volume=0.5)).synthesize(text)
    drop = integrated_loudness(full.pcm) - integrated_loudness(half.pcm)
    assert abs(drop - 6.0) <= 0.7


def test_player_metadata_comes_from_the_routine(default_build: Path) -> None:
    info = read_tags(default_build)
    assert info.text["TIT2"] == ROUTINE.title
    assert info.text["TPE1"] == "Dr. Example"
    assert info.text["TALB"] == ROUTINE.title
    assert info.text["TCON"] == "Fitness"
    assert info.text["TXXX:source"] == info.text["WOAS"] == ROUTINE.source


def test_generated_cover_is_read_back_from_the_mp3(default_build: Path) -> None:
    from mutagen.id3 import ID3, PictureType

    pictures = ID3(str(default_build)).getall("APIC")
    assert [p.type for p in pictures] == [PictureType.COVER_FRONT]
    with Image.open(io.BytesIO(pictures[0].data)) as image:
        assert image.size == (1400, 1400)
        assert image.format == "JPEG" and pictures[0].mime == "image/jpeg"


def test_overrides_and_own_cover(session: Session, tmp_path: Path) -> None:
    own = tmp_path / "own.png"
    Image.new("RGB", (800, 800), (200, 120, 40)).save(own)
    metadata = metadata_for(session.routine, session.timeline.total, title="Morning back",
                            artist="Me", album="Mornings", cover=own)
    out = tmp_path / "own.mp3"
    build(session, out, metadata=metadata)
    info = read_tags(out)
    assert (info.text["TIT2"], info.text["TPE1"], info.text["TALB"]) == (
        "Morning back", "Me", "Mornings")
    assert info.cover is not None
    assert (info.cover.mime, info.cover.width, info.cover.height) == ("image/png", 800, 800)
    assert info.cover.kind == "front cover"


def test_inspect_shows_what_a_player_shows(default_build: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["inspect", str(default_build)])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    for expected in ("title     Two short stretches", "artist    Dr. Example", "genre     Fitness",
                     "source    https://example.org/back-stretches",
                     "cover     front cover, image/jpeg, 1400x1400", "chapters (4):"):
        assert expected in shown


def test_side_files_beside_the_mp3_match_its_timeline(default_build: Path) -> None:
    timeline = json.loads(default_build.with_suffix(".timeline.json").read_text())
    chapters = json.loads(default_build.with_suffix(".chapters.json").read_text())
    assert chapters["version"] == "1.2.0"
    assert [(c["title"], c["startTime"], c["endTime"]) for c in chapters["chapters"]] == [
        (c["title"], samples_to_ms(c["start"]) / 1000, samples_to_ms(c["end"]) / 1000)
        for c in timeline["chapters"]]
    vtt = default_build.with_suffix(".vtt").read_text()
    starts = re.findall(r"^(\d\d):(\d\d):(\d\d\.\d{3}) --> ", vtt, re.M)
    said = [e for e in timeline["events"] if e["kind"] == "speech"]
    assert [round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000) for h, m, s in starts] == [
        samples_to_ms(e["start"]) for e in said]


@pytest.fixture(scope="module")
def m4b_build(session: Session, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("m4b") / "short.m4b"
    build(session, out)
    return out


def test_m4b_chapters_read_back_by_ffmpeg_to_the_sample(session: Session,
                                                        m4b_build: Path) -> None:
    chapters = ffmpeg_chapters(m4b_build)
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters] == [
        (c.title, samples_to_ms(c.start), samples_to_ms(c.end))
        for c in session.timeline.chapters]


def test_m4b_plays_the_whole_session_at_podcast_loudness(session: Session,
                                                         m4b_build: Path) -> None:
    assert len(decode(m4b_build)) == session.timeline.total  # AAC priming trimmed
    measured = loudness(m4b_build)
    assert abs(measured["integrated"] - TARGET_LUFS) <= 1.0, measured
    assert measured["true_peak"] <= -1.0, measured


def test_m4b_shows_tags_and_cover(m4b_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = read_mp4_tags(m4b_build)
    assert info.text["TIT2"] == ROUTINE.title and info.text["TPE1"] == "Dr. Example"
    assert info.text["TXXX:source"] == ROUTINE.source
    assert info.cover is not None and (info.cover.width, info.cover.height) == (1400, 1400)
    assert [c.title for c in info.chapters] == [
        "Introduction", "Knees to Chest", "Total Back Stretch", "Finish"]
    with pytest.raises(SystemExit):
        main(["inspect", str(m4b_build)])
    assert "cover     front cover, image/jpeg, 1400x1400" in capsys.readouterr().out
