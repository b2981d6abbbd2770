"""Fuzzing the command line and the parser: no input may crash narrator.

The default suite runs a few hundred examples; `pytest -m slow` runs the full 2,000 each.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from fakes import FakeSynthesizer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.errors import SourceError
from narrator.parse import parse_text

TINY = 'title = "Tiny"\n[[exercise]]\nname = "Neck Roll"\nhold = 5\nsides = true\n'

values = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=12),
    st.sampled_from(["0", "1", "-1", "1e9", "nan", "inf", "45s", "3=60", "neck=10", "=", "",
                     "1.5m", "abc", "99999999999999999999", "600", "601", "0.5"]),
)
OPTIONS = ["--hold", "--scale", "--minutes", "--rounds", "--ready", "--switch", "--rest",
           "--countdown", "--rate", "--volume", "--voice", "--bitrate"]
FLAGS = ["--halfway", "--no-halfway", "--bells", "--no-bells", "--json", "--debug-not",
         "--", "-"]
arguments = st.lists(
    st.one_of(st.tuples(st.sampled_from(OPTIONS), values).map(list),
              st.sampled_from(FLAGS).map(lambda f: [f]),
              st.text(max_size=8).map(lambda t: [t])),
    max_size=5,
).map(lambda groups: [a for g in groups for a in g])


class _FakeEngine(FakeSynthesizer):
    """FakeSynthesizer where the registry expects an engine class (speech/base.py)."""

    name = "pyttsx3"
    voice_id = "fake"

    def __init__(self, options: object = None, language: str = "en") -> None:
        super().__init__()

    @classmethod
    def voice_for(cls, language: str) -> str:
        return cls.voice_id


@contextlib.contextmanager
def _fake_engine() -> Iterator[None]:
    with mock.patch("narrator.speech.pyttsx3_engine.Pyttsx3Synthesizer", _FakeEngine):
        yield


def _run(args: list[str]) -> tuple[int, str]:
    from narrator.cli.commands import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
            pytest.raises(SystemExit) as exit_info:
        main(args)
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), err.getvalue()


def _check_cli(args: list[str], routine: Path) -> None:
    code, err = _run(["plan", str(routine), *args])
    assert code in (0, 2, 3, 4, 5), (args, code, err)
    if code:
        assert err.startswith("narrator: error: ") and err.count("\n") == 1, (args, err)
        assert "Traceback" not in err and "run with --debug" not in err, (args, err)


def _check_parser(text: str) -> None:
    try:
        routine = parse_text(text, source="fuzz")
    except SourceError as exc:
        assert "\n" not in str(exc)
        return
    assert routine.exercises
    for exercise in routine.exercises:
        assert exercise.name.strip() and exercise.holds
        assert all(h.seconds > 0 for h in exercise.holds)


routine_like = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(["1. Child's pose", "## Cat cow", "Hold for 30 seconds.", "each side",
                         "Repeat 3 times.", "- 10 reps", "Step 2: Lunge", "<h2>Twist</h2>",
                         "switch legs", "for 5 breaths", "A. Pigeon", "20\u201330 seconds", ""]),
    ),
    max_size=12,
).map("\n".join)


@pytest.fixture(scope="module")
def routine_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=arguments)
def test_cli_options_never_crash(args: list[str], routine_file: Path) -> None:
    with _fake_engine():
        _check_cli(args, routine_file)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), routine_like))
def test_parser_never_crashes(text: str) -> None:
    _check_parser(text)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=arguments)
def test_cli_options_never_crash_2000(args: list[str], routine_file: Path) -> None:
    with _fake_engine():
        _check_cli(args, routine_file)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(max_size=400), routine_like))
def test_parser_never_crashes_2000(text: str) -> None:
    _check_parser(text)
