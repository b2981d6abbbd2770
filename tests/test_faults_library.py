"""Faults below the command line: engines, cache and output never lose a good file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeSynthesizer, fake_ffmpeg

from narrator import ffmpeg
from narrator.errors import EngineError, OutputError
from narrator.files import replace_atomically
from narrator.model import Exercise, Hold, Routine
from narrator.options import SessionOptions
from narrator.publish.encode import encode_mp3
from narrator.session import build, prepare
from narrator.sound.audio import Clip
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
    assert files == ["ab" * 32 + ".wav"]  # no temporary file left behind


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
