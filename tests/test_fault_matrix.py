"""The fault matrix: bad input and misbehaving machines give one clear line and an exit code.

Each row: what goes wrong, the command, the exit code and the words the one line must hold.
Nothing here may leave a traceback, a partial file, or a replaced good file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakes import fake_ffmpeg
from measure import decode, ffmpeg_chapters

from narrator import ffmpeg
from narrator.speech import espeak

REPO = Path(__file__).resolve().parent.parent
TINY = """\
title = "Tiny"
[[exercise]]
name = "Neck Roll"
instructions = ["Roll your head slowly."]
hold = 2
"""


@dataclass(frozen=True)
class Fault:
    name: str
    args: list[str]
    code: int
    words: str
    setup: Callable[[Path], dict[str, str]] | None = None
    """Prepares files under the test's folder; returns environment variables to set."""


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _env_with_fake_ffmpeg(folder: Path, body: str) -> dict[str, str]:
    return {"NARRATOR_FFMPEG": str(fake_ffmpeg(folder, body))}


def _files(d: Path) -> None:
    _write(d / "empty.txt", "")
    _write(d / "binary.txt", bytes(range(256)) * 64)
    _write(d / "tiny.toml", TINY)
    _write(d / "no-routine.html", "<html><head><title>Shop</title></head><body><nav>Home</nav>"
           "<p>Buy our new running shoes today. Free shipping on orders over $50.</p>"
           "<footer>© 2024 Shoes Inc</footer></body></html>")
    _write(d / "wrong-types.toml", 'title = "x"\n[[exercise]]\nname = 3\nhold = "long"\n')
    _write(d / "blocker", "a file where a folder should be")
    (d / "a-folder.mp3").mkdir()


FAULTS = [
    # sources
    Fault("missing file", ["plan", "missing.txt"], 3, "file not found"),
    Fault("directory as source", ["plan", "."], 3, "directory"),
    Fault("empty file", ["plan", "empty.txt"], 3, "empty"),
    Fault("binary file", ["plan", "binary.txt"], 3, "not a text file"),
    Fault("html page with no routine", ["plan", "no-routine.html"], 3, "no exercise found"),
    Fault("20 MB of text", ["plan", "huge.txt"], 3, "the text is too long",
          lambda d: {"_": str(_write(d / "huge.txt", "Hold the stretch for 30 seconds. " *
                                     (20_000_000 // 33)))}),
    Fault("toml routine with wrong types", ["plan", "wrong-types.toml"], 3, "wrong-types.toml"),
    # values
    Fault("hold of zero", ["plan", "tiny.toml", "--hold", "0"], 2, "out of range"),
    Fault("negative hold", ["plan", "tiny.toml", "--hold", "-5"], 2, "expected seconds"),
    Fault("hold of ten hours", ["plan", "tiny.toml", "--hold", "36000"], 2, "out of range"),
    Fault("hold abc", ["plan", "tiny.toml", "--hold", "abc"], 2, "expected seconds"),
    Fault("hold for no exercise", ["plan", "tiny.toml", "--hold", "hip=30"], 2,
          "matches no exercise"),
    Fault("minutes too small", ["plan", "tiny.toml", "--minutes", "0.1"], 2, "cannot be met"),
    Fault("minutes negative", ["plan", "tiny.toml", "--minutes", "-3"], 2, "out of range"),
    Fault("scale of zero", ["plan", "tiny.toml", "--scale", "0"], 2, "--scale"),
    Fault("unknown voice", ["plan", "tiny.toml", "--voice", "nobody"], 2, "unknown voice"),
    Fault("countdown not a number", ["plan", "tiny.toml", "--countdown", "many"], 2,
          "Invalid value for '--countdown'"),
    Fault("an option that does not exist", ["plan", "--loudness", "9"], 2, "No such option"),
    Fault("a bad bitrate", ["build", "tiny.toml", "--bitrate", "fast"], 2, "--bitrate"),
    Fault("rate out of range", ["plan", "tiny.toml", "--rate", "5000"], 2, "--rate 5000"),
    Fault("config with a wrong type", ["plan", "tiny.toml", "--config", "bad.toml"], 2,
          "rounds = 'two' should be a number",
          lambda d: {"_": str(_write(d / "bad.toml", "[session]\nrounds = 'two'\n"))}),
    # output
    Fault("output folder cannot be made", ["build", "tiny.toml", "-o", "blocker/out.mp3"], 5,
          "cannot write here"),
    Fault("output path is a directory", ["build", "tiny.toml", "-o", "a-folder.mp3"], 5,
          "is a directory"),
    Fault("disk full", ["build", "tiny.toml", "-o", "out.mp3"], 5, "disk full",
          lambda d: _env_with_fake_ffmpeg(d, "cat >/dev/null\necho 'av_interleaved_write_frame(): "
                                    "No space left on device' >&2\nexit 1\n")),
    # engines
    Fault("ffmpeg missing", ["build", "tiny.toml", "-o", "out.mp3"], 4, "NARRATOR_FFMPEG",
          lambda d: {"NARRATOR_FFMPEG": str(d / "no-ffmpeg-here")}),
    Fault("ffmpeg failing mid-encode", ["build", "tiny.toml", "-o", "out.mp3"], 4,
          "ffmpeg failed to encode the MP3: Invalid data found",
          lambda d: _env_with_fake_ffmpeg(d, "head -c 20000 >/dev/null\n"
                                    "echo 'Invalid data found when processing input' >&2\n"
                                    "exit 183\n")),
    Fault("inspect a file that is not an MP3", ["inspect", "tiny.toml"], 3, "not a readable MP3"),
    # issue 13: hostile outputs and encoders
    Fault("a FIFO at the routine's output", ["routine", "tiny.toml", "-o", "fifo.toml"], 5,
          "is not a regular file", lambda d: _fifo(d / "fifo.toml")),
    Fault("a FIFO at the build's output", ["build", "tiny.toml", "-o", "fifo.mp3"], 5,
          "is not a regular file", lambda d: _fifo(d / "fifo.mp3")),
    Fault("a FIFO at the timeline's path", ["build", "tiny.toml", "-o", "out.mp3"], 5,
          "out.timeline.json: the output path exists and is not a regular file",
          lambda d: _fifo(d / "out.timeline.json")),
    Fault("an encoder that exits 0 and writes nothing", ["build", "tiny.toml", "-o", "out.mp3"],
          4, "ffmpeg wrote",
          lambda d: {"NARRATOR_FFMPEG": "/bin/true"}),
    Fault("an encoder that writes random bytes", ["build", "tiny.toml", "-o", "out.mp3"], 4,
          "ffmpeg wrote",
          lambda d: _env_with_fake_ffmpeg(d, "cat >/dev/null\nfor a; do last=$a; done\n"
                                             'head -c 200000 /dev/urandom > "$last"\n')),
    Fault("an encoder that exits 0, for an M4B", ["build", "tiny.toml", "-o", "out.m4b",
          "--format", "m4b"], 4, "ffmpeg wrote something that is not an M4B",
          lambda d: {"NARRATOR_FFMPEG": "/bin/true"}),
    Fault("an empty output name", ["build", "tiny.toml", "-o", ""], 5, "expected a file name"),
    Fault("the current folder as output", ["build", "tiny.toml", "-o", "."], 5,
          "expected a file name"),
    Fault("an output name over 255 bytes", ["build", "tiny.toml", "-o", "x" * 256 + ".mp3"], 5,
          "at most 255"),
    Fault("the output's folder is a file", ["routine", "tiny.toml", "-o", "blocker/r.toml"], 5,
          "blocker is a file, not a folder"),
    # issue 13: unbounded reads
    Fault("/dev/zero as the source", ["plan", "/dev/zero"], 3, "not a regular file"),
    Fault("a FIFO as the source", ["plan", "fifo.md"], 3, "fifo.md: not a regular file",
          lambda d: _fifo(d / "fifo.md")),
    Fault("a FIFO as a TOML source", ["plan", "fifo.toml"], 3, "fifo.toml: not a regular file",
          lambda d: _fifo(d / "fifo.toml")),
    Fault("/dev/zero as the cover", ["build", "tiny.toml", "--cover", "/dev/zero"], 2,
          "/dev/zero: not a regular file"),
    Fault("a FIFO as the cover", ["build", "tiny.toml", "--cover", "c.png"], 2,
          "c.png: not a regular file", lambda d: _fifo(d / "c.png")),
    Fault("a FIFO as the config", ["plan", "tiny.toml", "--config", "c.toml"], 2,
          "c.toml: not a regular file", lambda d: _fifo(d / "c.toml")),
    # issue 13: clear errors, not "unexpected"
    Fault("a source name over 255 bytes", ["plan", "y" * 300 + ".txt"], 3, "at most 255"),
    Fault("--scale that overflows", ["plan", "tiny.toml", "--scale", "1e308"], 2,
          "--scale 1e+308: a hold of inf s is out of range"),
    Fault("TOML nested 5000 deep", ["plan", "deep.toml"], 3, "deep.toml: not valid TOML",
          lambda d: {"_": str(_write(d / "deep.toml", "a = " + "[" * 5000 + "]" * 5000))}),
    Fault("a TOML hold of ten hours", ["plan", "long.toml"], 3,
          "long.toml: Neck Roll: a hold of 36000 s is out of range",
          lambda d: {"_": str(_write(d / "long.toml", TINY.replace("hold = 2", "hold = 36000")))}),
    Fault("invalid TOML", ["plan", "bad.toml"], 3, "bad.toml: not valid TOML",
          lambda d: {"_": str(_write(d / "bad.toml", 'title = "x"\n[[exercise]\n'))}),
    Fault("a routine's [session] with a wrong type", ["plan", "s.toml"], 3,
          "rounds = 'two' should be a number",
          lambda d: {"_": str(_write(d / "s.toml", "[session]\nrounds = 'two'\n" + TINY))}),
    Fault("holds = []", ["plan", "empty-holds.toml"], 3,
          "exercise 1: holds = [] gives no hold",
          lambda d: {"_": str(_write(d / "empty-holds.toml",
                                     TINY.replace("hold = 2", "holds = []")))}),
    Fault("a misspelt TOML key", ["plan", "typo.toml"], 3,
          "exercise 1: unknown key 'hodl'; did you mean 'hold'?",
          lambda d: {"_": str(_write(d / "typo.toml", TINY.replace("hold = 2", "hodl = 45")))}),
    Fault("a bitrate of 00k", ["build", "tiny.toml", "--bitrate", "00k"], 2,
          "expected one of 32k, 40k"),
    Fault("a bitrate of 10k", ["build", "tiny.toml", "--bitrate", "10k"], 2, "320k"),
    Fault("a bitrate of 999k", ["build", "tiny.toml", "--bitrate", "999k"], 2, "--bitrate '999k'"),
    Fault("a rate of 0", ["plan", "tiny.toml", "--rate", "0"], 2, "--rate 0 is out of range"),
    Fault("a hold for an empty name", ["plan", "tiny.toml", "--hold", "=30"], 2,
          "expected an exercise's number or name"),
    Fault("a hold for exercise 2 of 1", ["plan", "tiny.toml", "--hold", "2=30"], 2,
          "there is only 1 exercise"),
    # issue 13: what eSpeak NG would crash on
    Fault("an exercise name of 32,000 characters", ["plan", "long-name.toml"], 3,
          "a sentence of 32,001 characters is too long to speak",
          lambda d: {"_": str(_write(d / "long-name.toml", TINY.replace(
              'name = "Neck Roll"', f'name = "{"stretch " * 4000}"')))}),
]


def _fifo(path: Path) -> dict[str, str]:
    os.mkfifo(path)
    return {}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    ffmpeg.find_ffmpeg.cache_clear()
    yield tmp_path
    ffmpeg.find_ffmpeg.cache_clear()


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_gives_one_line_and_its_exit_code(
    fault: Fault, folder: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from narrator.cli.commands import main

    (folder / "out.mp3").write_bytes(b"a good earlier build")
    for key, value in (fault.setup(folder) if fault.setup else {}).items():
        if not key.startswith("_"):
            monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) as exit_info:
        main(fault.args)
    out, err = capsys.readouterr()
    assert exit_info.value.code == fault.code, err
    assert out == ""
    assert err.startswith("narrator: error: ") and err.count("\n") == 1, err
    assert fault.words in err
    assert (folder / "out.mp3").read_bytes() == b"a good earlier build"
    assert not [p for p in folder.rglob(".*") if "partial" in p.name]


def test_a_failed_build_replaces_no_side_file_and_speaks_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from narrator.cli.commands import main

    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(folder / "cache"))
    old = {name: _write(folder / name, f"old {name}") for name in
           ("s.mp3", "s.timeline.json", "s.chapters.json")}
    (folder / "s.vtt").mkdir()
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "tiny.toml", "-o", "s.mp3", "--chapters-json", "--vtt"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 5 and "s.vtt: the output path is a directory" in err, err
    assert {p.name: p.read_text() for p in old.values()} == {n: f"old {n}" for n in old}
    assert not (folder / "cache").exists()  # refused before anything was spoken
    assert not [p for p in folder.iterdir() if p.name.startswith(".narrator-")]


def test_endless_standard_input_is_refused_not_read_to_the_end(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from narrator.cli.commands import main

    class Endless:
        def read(self, size: int = -1) -> bytes:
            assert size > 0  # read(-1) would never end
            return (b"hold for 30 seconds " * (size // 20 + 1))[:size]

    monkeypatch.setattr("sys.stdin", type("Stdin", (), {"buffer": Endless()})())
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "-"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 3 and "the input is too large" in err, err


def test_one_stretch_and_one_hold_are_said_in_the_singular(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from narrator.cli.commands import main

    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "tiny.toml"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert "1 stretch, 1 hold." in out and "1 holds" not in out


def test_a_name_of_245_characters_is_written(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from narrator.cli.commands import main

    name = "r" * 240 + ".toml"
    with pytest.raises(SystemExit) as exit_info:
        main(["routine", "tiny.toml", "-o", name])
    assert exit_info.value.code == 0, capsys.readouterr().err
    assert "Neck Roll" in (folder / name).read_text()


def test_there_are_at_least_25_faults_in_the_matrix() -> None:
    assert len(FAULTS) + 8 >= 25  # 8 more below: engines, interruptions, races, hostile text


def test_a_routine_with_no_durations_is_built_with_the_default_and_says_so(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from narrator.cli.commands import main

    _write(folder / "no-times.md", "# Morning\n\n## 1. Cat Cow\n\nArch and round your back.\n"
           "\n## 2. Child's Pose\n\nSit back on your heels and rest.\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "no-times.md"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 0, err
    assert "Cat Cow: 30s" in out and "Child's Pose: 30s" in out
    assert "guessed:" in out and "default" in out


def test_debug_shows_the_traceback(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from narrator.cli.commands import main
    from narrator.errors import SourceError

    with pytest.raises(SourceError):
        main(["--debug", "plan", "missing.txt"])


@pytest.mark.parametrize("args", [["--hold", "--debug"], ["--scale", "--debug"], ["--debug"]])
def test_debug_as_a_value_or_in_the_wrong_place_is_a_usage_error(
    folder: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    from narrator.cli.commands import main

    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "tiny.toml", *args])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2 and out == ""
    assert err.startswith("narrator: error: ") and err.count("\n") == 1, err


def test_exit_codes_are_documented_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    from narrator.cli.commands import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for code in ("0", "2", "3", "4", "5", "129", "130", "143"):
        assert f"  {code}  " in out


# --------------------------------------------------------------------------- in a real process


# A shell runs background jobs with Ctrl-C ignored, and children inherit that; a person at a
# terminal has it on. The child is started as a person would run it, whatever runs the suite.
_AS_IN_A_TERMINAL = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                     "from narrator.cli.commands import main; main()")


def _narrator(*args: str, cwd: Path, env: dict[str, str] | None = None,
              ) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _AS_IN_A_TERMINAL, *args],
        cwd=cwd, env={**os.environ, **(env or {})}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


@pytest.mark.e2e
def test_missing_espeak_data_is_an_error_not_a_silent_exit(tmp_path: Path) -> None:
    _files(tmp_path)
    (tmp_path / "data").mkdir()
    lib = espeak.find_espeak().library
    process = _narrator("plan", "tiny.toml", cwd=tmp_path, env={
        "NARRATOR_ESPEAK_LIBRARY": lib, "NARRATOR_ESPEAK_DATA": str(tmp_path / "data")})
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 4, err
    assert err.strip().count("\n") == 0 and "eSpeak NG data is missing or incomplete" in err


@pytest.mark.e2e
@pytest.mark.parametrize(("emptied", "words"), [
    ("phondata", "Wrong version of espeak-ng-data"),
    ("phontab", "eSpeak NG crashed (signal 11)"),
    ("en_dict", "eSpeak NG cannot speak with the data in"),
])
def test_broken_espeak_data_is_one_line_and_exit_4(
    tmp_path: Path, emptied: str, words: str
) -> None:
    import shutil

    _files(tmp_path)
    found = espeak.find_espeak()
    data = tmp_path / "data"
    shutil.copytree(found.data, data)
    (data / emptied).write_bytes(b"")  # empty but correctly named
    process = _narrator("plan", "tiny.toml", cwd=tmp_path, env={
        "NARRATOR_ESPEAK_LIBRARY": found.library, "NARRATOR_ESPEAK_DATA": str(data),
        "NARRATOR_CACHE_DIR": str(tmp_path / "cache")})
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 4, err
    assert err.startswith("narrator: error: ") and err.count("\n") == 1 and words in err, err


@pytest.mark.e2e
def test_a_corrupt_cached_clip_is_made_again(tmp_path: Path) -> None:
    _files(tmp_path)
    env = {"NARRATOR_CACHE_DIR": str(tmp_path / "cache")}
    first = _narrator("build", "tiny.toml", "-o", "a.mp3", cwd=tmp_path, env=env)
    assert _finish(first)[0] == 0
    for clip in (tmp_path / "cache").rglob("*.clip"):
        clip.write_bytes(clip.read_bytes()[: len(clip.read_bytes()) // 3])
    second = _narrator("build", "tiny.toml", "-o", "b.mp3", cwd=tmp_path, env=env)
    assert _finish(second)[0] == 0
    assert decode(tmp_path / "a.mp3") == decode(tmp_path / "b.mp3")


def _interrupt_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    _signal_when(process, ready, signal.SIGINT)


def _signal_when(process: subprocess.Popen[str], ready: Callable[[], bool], signum: int,
                 ) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signum)


@pytest.mark.e2e
def test_ctrl_c_during_synthesis_stops_cleanly(tmp_path: Path) -> None:
    _files(tmp_path)
    (tmp_path / "out.mp3").write_bytes(b"old")
    cache = tmp_path / "cache"
    # Twenty stretches: seconds of speech, so the Ctrl-C surely lands inside it.
    _write(tmp_path / "long.toml", 'title = "Long"\n' + "".join(
        f'[[exercise]]\nname = "Stretch number {n}"\n'
        f'instructions = ["Move slowly into position {n}.", "Breathe out for {n} counts."]\n'
        f"hold = {n + 5}\nsides = true\n" for n in range(20)))
    process = _narrator("build", "long.toml", "-o", "out.mp3", cwd=tmp_path,
                        env={"NARRATOR_CACHE_DIR": str(cache)})
    _interrupt_when(process, lambda: len(list(cache.rglob("*.clip"))) >= 3)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err == "narrator: error: interrupted; nothing was replaced\n"
    assert (tmp_path / "out.mp3").read_bytes() == b"old"
    assert not list(tmp_path.glob(".*partial*"))
    # It stopped while speaking: what it had spoken is kept, and the rest is still to make.
    spoken = len(list(cache.rglob("*.clip")))
    plan = _narrator("plan", "long.toml", cwd=tmp_path, env={"NARRATOR_CACHE_DIR": str(cache)})
    assert _finish(plan)[0] == 0
    assert 3 <= spoken < len(list(cache.rglob("*.clip")))


@pytest.mark.e2e
def test_ctrl_c_during_encoding_keeps_the_old_file(tmp_path: Path) -> None:
    _files(tmp_path)
    (tmp_path / "out.mp3").write_bytes(b"old")
    env = {"NARRATOR_CACHE_DIR": str(tmp_path / "cache")}
    warm = _narrator("plan", "--minutes", "30", cwd=tmp_path, env=env)
    assert _finish(warm)[0] == 0
    process = _narrator("build", "--minutes", "30", "-o", "out.mp3", cwd=tmp_path, env=env)
    _interrupt_when(process, lambda: any(
        p.stat().st_size > 100_000 for p in tmp_path.glob(".narrator-*.mp3.partial")))
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "narrator: error: interrupted; nothing was replaced\n"
    assert (tmp_path / "out.mp3").read_bytes() == b"old"
    assert not list(tmp_path.glob(".*partial*"))


@pytest.mark.e2e
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_during_encoding_stop_like_ctrl_c(
    tmp_path: Path, signum: int, code: int
) -> None:
    _files(tmp_path)
    (tmp_path / "out.mp3").write_bytes(b"old")
    env = {"NARRATOR_CACHE_DIR": str(tmp_path / "cache")}
    assert _finish(_narrator("plan", "--minutes", "20", cwd=tmp_path, env=env))[0] == 0
    process = _narrator("build", "--minutes", "20", "-o", "out.mp3", cwd=tmp_path, env=env)
    _signal_when(process, lambda: any(
        p.stat().st_size > 100_000 for p in tmp_path.glob(".narrator-*.mp3.partial")), signum)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    name = signal.Signals(signum).name
    assert err == f"narrator: error: stopped by {name}; nothing was replaced\n"
    assert (tmp_path / "out.mp3").read_bytes() == b"old"
    assert not list(tmp_path.glob(".*partial*"))


@pytest.mark.e2e
def test_a_later_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    _files(tmp_path)
    env = {"NARRATOR_CACHE_DIR": str(tmp_path / "cache")}
    assert _finish(_narrator("plan", "--minutes", "20", cwd=tmp_path, env=env))[0] == 0
    process = _narrator("build", "--minutes", "20", "-o", "out.mp3", cwd=tmp_path, env=env)
    _signal_when(process, lambda: any(
        p.stat().st_size > 100_000 for p in tmp_path.glob(".narrator-*.mp3.partial")),
        signal.SIGKILL)
    process.communicate(timeout=60)
    left = list(tmp_path.glob(".narrator-*"))
    assert left  # SIGKILL cannot be caught: its partial MP3 stays, for now
    code, _out, err = _finish(_narrator("build", "tiny.toml", "-o", "out.mp3", cwd=tmp_path,
                                        env=env))
    assert code == 0, err
    assert not [p for p in left if p.exists()]


@pytest.mark.e2e
def test_two_builds_writing_the_same_file_leave_one_whole_mp3(tmp_path: Path) -> None:
    _files(tmp_path)
    env = {"NARRATOR_CACHE_DIR": str(tmp_path / "cache")}
    assert _finish(_narrator("plan", "tiny.toml", cwd=tmp_path, env=env))[0] == 0
    runs = [_narrator("build", "tiny.toml", "--hold", str(s), "-o", "same.mp3", cwd=tmp_path,
                      env=env) for s in (3, 4)]
    results = [_finish(r) for r in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    # Whichever finished last wins, whole: its length is one of the two builds' lengths.
    lengths = {out.split("(")[1].split(",")[0] for _, out, _ in results}
    assert len(lengths) == 2
    samples = decode(tmp_path / "same.mp3")
    minutes, seconds = divmod(len(samples) / 44100, 60)
    assert f"{int(minutes)}:{seconds:06.3f}" in lengths
    titles = [c.title for c in ffmpeg_chapters(tmp_path / "same.mp3")]
    assert titles == ["Introduction", "Neck Roll", "Finish"]
    assert not list(tmp_path.glob(".*partial*"))


HOSTILE_TITLES = ['She said "stretch" & \'breathe\'', "Line one\nline two", "Morning 🌞 flow 🧘",
                  "מתיחות לגב", "../../x"]


@pytest.mark.e2e
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_are_tagged_faithfully_and_named_safely(
    title: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from narrator.cli.commands import main
    from narrator.publish.tags import read_tags

    monkeypatch.chdir(tmp_path)
    escaped = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    _write(tmp_path / "r.toml", TINY.replace('title = "Tiny"', f'title = "{escaped}"'))
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "r.toml", "--hold", "1"])
    _out, err = capsys.readouterr()
    assert exit_info.value.code == 0, err
    written = list((tmp_path / "output").glob("*.mp3"))
    assert len(written) == 1 and written[0].parent == tmp_path / "output"
    assert "/" not in written[0].stem and not written[0].name.startswith(".")
    assert read_tags(written[0]).text["TIT2"] == title
