"""The parser on the two routines it must read exactly: the built-in one and the seed article."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from narrator.errors import SourceError
from narrator.model import Hold, Routine
from narrator.parse import ParseOptions, load_routine, parse_text

SEED = Path(__file__).resolve().parents[2] / "shared/seed/000_ce45fbb49eae6f1c.txt"

SEED_NAMES = [
    "Floor Hamstrings", "Knees to Chest", "Piriformis Stretch", "Spinal Stretch",
    "Lying Down Quadriceps", "Hip Flexors", "Total Back Stretch",
]
BUILT_IN_NAMES = [
    "Floor Hamstrings", "Knees to Chest", "Piriformis Stretch", "Spinal Twist",
    "Lying Quadriceps", "Hip Flexors", "Total Back Stretch",
]
SIDED = (Hold(30.0, "right", 1), Hold(30.0, "left", 1))
TWICE = (Hold(30.0, None, 1), Hold(30.0, None, 2))


def _all_spoken(routine: Routine) -> str:
    return " ".join(i for e in routine.exercises for i in e.instructions)


def test_built_in_routine() -> None:
    routine = load_routine(None)
    assert routine.source == "built-in"
    assert routine.title == "Seven stretches in seven minutes"
    assert [e.name for e in routine.exercises] == BUILT_IN_NAMES
    assert [e.holds for e in routine.exercises] == [SIDED] * 6 + [TWICE]
    assert sum(len(e.holds) for e in routine.exercises) == 14
    assert routine.hold_seconds == 420
    for exercise in routine.exercises:
        assert exercise.instructions
        assert not any("30 seconds" in i for i in exercise.instructions)
    assert "whole routine" not in _all_spoken(routine)


@pytest.fixture
def seed() -> Routine:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return load_routine(str(SEED))


def test_seed_article_exercises(seed: Routine) -> None:
    assert [e.name for e in seed.exercises] == SEED_NAMES
    assert [e.holds for e in seed.exercises] == [SIDED] * 6 + [TWICE]


def test_seed_article_title(seed: Routine) -> None:
    assert seed.title == "How to Get Instant Relief from Lower Back Pain: 7 Stretching Exercises"


def test_seed_article_speaks_no_noise(seed: Routine) -> None:
    spoken = _all_spoken(seed) + " " + seed.description
    for noise in ("back pain stretches", "magnesium", "Superfood", "Hearty Soul", "Founders",
                  "Easy? Hard?", "Posted on", "Last updated", "30 seconds", "switch"):
        assert noise not in spoken


def test_seed_article_keeps_the_instruction_part(seed: Routine) -> None:
    quads = seed.exercises[4]
    assert ("Just lie on your side, grab your leg just below the ankle, and gently pull it "
            "toward your butt.") in quads.instructions


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# Mine\n\n1. Neck Roll\nRoll your head slowly. Hold for 20 seconds.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    routine = load_routine("-")
    assert routine.source == "-"
    assert [(e.name, e.holds) for e in routine.exercises] == [("Neck Roll", (Hold(20.0),))]


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("\ufeffMy routine\r\n\r\n1. Cat Cow\r\nArch and round. Hold 10 seconds."
                     .encode())
    routine = load_routine(str(path))
    assert routine.title == "My routine"
    assert routine.exercises[0].holds == (Hold(10.0),)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "file not found"),
        (b"", "empty"),
        (b"  \n\r\n ", "empty"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b"Just some words about nothing at all.", "no exercise found"),
    ],
)
def test_source_errors(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "routine.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        load_routine(str(path))
    message = str(info.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="directory"):
        load_routine(str(tmp_path))


def test_options_change_the_choices() -> None:
    text = "1. Pigeon\nSink your hips. Hold 20-40 seconds.\n\n2. Cobra\nLift up. Take 4 breaths.\n"
    lower = parse_text(text, options=ParseOptions(range_choice="lower", seconds_per_breath=6))
    assert [e.holds[0].seconds for e in lower.exercises] == [20.0, 24.0]
    middle = parse_text(text, options=ParseOptions(range_choice="middle"))
    assert [e.holds[0].seconds for e in middle.exercises] == [30.0, 20.0]
    assert any("range" in n for n in middle.exercises[0].notes)
    assert any("breath" in n for n in middle.exercises[1].notes)


def test_language_can_be_chosen() -> None:
    text = "1. Kindhaltung\nSetzen Sie sich auf die Fersen. Halten Sie 40 Sekunden pro Seite.\n"
    routine = parse_text(text, options=ParseOptions(language="de"))
    assert routine.exercises[0].holds == (Hold(40.0, "right", 1), Hold(40.0, "left", 1))
    with pytest.raises(SourceError, match="no word data for language 'xx'"):
        parse_text(text, options=ParseOptions(language="xx"))


def test_exercise_without_time_gets_the_default_with_a_note() -> None:
    routine = parse_text("# Mine\n\n## Neck Roll\n\nRoll your head slowly in a circle.\n",
                         options=ParseOptions(default_hold=25))
    exercise = routine.exercises[0]
    assert exercise.holds == (Hold(25.0),)
    assert exercise.notes == ("no hold time given: used the default hold (25 s)",)


def test_a_huge_text_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # Refused on its length alone: the block reader is never reached. (How fast parsing
    # grows with the text is measured by scripts/bench, never timed in a test.)
    import narrator.parse as parse

    def never(*_: object, **__: object) -> None:
        raise AssertionError("a text over the limit was read")

    monkeypatch.setattr(parse, "_parse_free_text", never)
    text = "Hold for 30 seconds, then switch sides. " * 500_000  # 20 MB
    with pytest.raises(SourceError, match="too long"):
        parse_text(text, source="big.txt")


def test_guarded_patterns_find_what_the_whole_pattern_finds() -> None:
    import re

    from narrator.parse import lang, timing

    texts = [line for path in sorted((Path(__file__).parent / "cases").iterdir())
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    texts += ["another 30 seconds", "one more minute", "Reps: 10-12", "Sets = 2 to 3",
              "1 minute, 30 seconds", "2 min plus 15 s", "for a count of ten", "3 slow sets",
              "noch einmal 20 Sekunden", "Wiederholungen: 8", "contando hasta diez"]
    found = 0
    for code in lang.available():
        p = timing.patterns(lang.load(code))
        for guarded in (p.count_lead, p.another, p.sets, p.compound, p.rep_label, p.set_label):
            whole = re.compile(guarded._source, re.IGNORECASE)
            for text in texts:
                spans = [m.span() for m in guarded.finditer(text)]
                assert spans == [m.span() for m in whole.finditer(text)]
                assert guarded.sub(" ", text) == whole.sub(" ", text)
                found += len(spans)
    assert found > 20
