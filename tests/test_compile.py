from __future__ import annotations

import pytest

from narrator.errors import OptionError, SourceError
from narrator.model import SAMPLE_RATE, Exercise, Hold, HoldStep, Routine, Say
from narrator.options import SessionOptions
from narrator.script.compile import compile_routine
from narrator.script.cues import phrases
from narrator.script.holds import apply_hold_options

ROUTINE = Routine(
    title="Back care",
    exercises=(
        Exercise("Knees to Chest", ("Lie on your back.",), (Hold(30, "right"), Hold(30, "left"))),
        Exercise("Piriformis Stretch", ("Cross one ankle over the knee.",),
                 (Hold(30, "right"), Hold(30, "left"))),
        Exercise("Table Stretch", ("Hold a table.",), (Hold(30, None, 1), Hold(30, None, 2))),
    ),
)


def _said(routine: Routine, options: SessionOptions | None = None) -> list[str]:
    return compile_routine(routine, options or SessionOptions()).said_in_order()


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (30, "30 seconds"), (60, "1 minute"), (90, "90 seconds"),
     (120, "2 minutes"), (135, "2 minutes 15 seconds"), (37.4, "37 seconds")],
)
def test_durations_are_said_as_people_say_them(seconds: float, words: str) -> None:
    assert phrases("en").duration(seconds) == words


def test_each_exercise_is_announced_with_its_number_then_instructions() -> None:
    said = _said(ROUTINE)
    start = said.index("Stretch 2 of 3: Piriformis Stretch.")
    assert said[start + 1] == "Cross one ankle over the knee."
    assert said[start + 2] == "Start with your right side. Hold for 30 seconds."


def test_the_words_follow_the_hold_lengths_actually_used() -> None:
    said = " ".join(_said(apply_hold_options(ROUTINE, ["45"])))
    assert "30 seconds" not in said
    assert said.count("Hold for 45 seconds.") == 3
    assert "Switch sides. Left side, 45 seconds." in said
    assert "Halfway. 23 seconds to go." in said


def test_sides_repetitions_and_next_cues() -> None:
    said = _said(ROUTINE)
    assert said.count("Switch sides. Left side, 30 seconds.") == 2
    assert "You will do this twice. Hold for 30 seconds." in said
    assert "Release. Once more, 30 seconds." in said
    assert "Well done. Next: Piriformis Stretch." in said
    assert "Well done. Next: Table Stretch." in said


def test_countdown_and_halfway_are_laid_over_the_hold_on_their_seconds() -> None:
    script = compile_routine(ROUTINE, SessionOptions(countdown=3))
    hold = next(s for s in script.sections[1].steps if isinstance(s, HoldStep))
    assert hold.samples == 30 * SAMPLE_RATE
    assert [(o.offset, o.text) for o in hold.overlays] == [
        (15 * SAMPLE_RATE, "Halfway. 15 seconds to go."),
        (27 * SAMPLE_RATE, "3"), (28 * SAMPLE_RATE, "2"), (29 * SAMPLE_RATE, "1")]


def test_switches_turn_cues_off() -> None:
    said = _said(ROUTINE, SessionOptions(countdown=0, halfway=False, bells=False))
    assert not any(s.isdigit() or s.startswith("Halfway") for s in said)
    assert not any("bell" in s for s in said)


def test_rounds_repeat_the_routine_as_chapters() -> None:
    script = compile_routine(ROUTINE, SessionOptions(rounds=2))
    titles = [s.title for s in script.sections]
    assert titles[0] == "Introduction" and titles[-1] == "Finish"
    assert titles[1:-1] == [f"{e.name} (round {r})" for r in (1, 2) for e in ROUTINE.exercises]
    assert "Round 2 of 2." in _said(ROUTINE, SessionOptions(rounds=2))


def test_intro_says_title_length_and_what_you_need() -> None:
    script = compile_routine(ROUTINE, total_minutes=9)
    intro = [s.text for s in script.sections[0].steps if isinstance(s, Say)]
    assert intro[0] == "Back care."
    assert "This session takes about 9 minutes: 3 stretches, 6 holds." in intro
    assert "You will need a mat." in intro


@pytest.mark.parametrize(
    ("options", "message"),
    [(SessionOptions(ready=-1), "--ready"), (SessionOptions(countdown=11), "--countdown"),
     (SessionOptions(rounds=0), "--rounds"), (SessionOptions(rest=float("nan")), "--rest")],
)
def test_bad_session_options_are_errors(options: SessionOptions, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        compile_routine(ROUTINE, options)


def test_holds_out_of_range_are_errors() -> None:
    too_long = Routine("x", (Exercise("Long", holds=(Hold(601),)),), source="r.toml")
    # The routine's own number: the routine's problem (exit 3), naming its file.
    with pytest.raises(SourceError, match=r"r\.toml: Long: a hold of 601 s is out of range"):
        compile_routine(too_long)
