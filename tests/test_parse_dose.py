"""The dose inside one exercise: each form a routine writes it in, read as the corpus
conventions say (tests/corpus/README.md). Texts are our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator.model import Exercise, Routine, Sets
from narrator.parse import ParseOptions, parse_text, routine_to_toml


def _routine(body: str, *, intro: str = "", options: ParseOptions | None = None) -> Routine:
    """The exercise under test between two plain ones, so the list has a shape."""
    text = (f"# Evening stretches\n\n{intro}\n\n"
            "## 1. Calf Stretch\n\nLean on a wall with one heel back. Hold for 25 seconds.\n\n"
            f"## 2. Test Stretch\n\n{body}\n\n"
            "## 3. Hamstring Stretch\n\nSit with one leg long and reach for your toes. Hold "
            "for 20 seconds.\n")
    return parse_text(text, source="dose.md", fmt="markdown", options=options or ParseOptions())


def under_test(routine: Routine) -> Exercise:
    (exercise,) = [e for e in routine.exercises if e.name == "Test Stretch"]
    return exercise


def plan(body: str, **kwargs: object) -> str:
    """The tested exercise's holds as the corpus writes them: "30R 30L", "45 45"."""
    exercise = under_test(_routine(body, **kwargs))  # type: ignore[arg-type]
    return " ".join(f"{h.seconds:g}" + {"right": "R", "left": "L", None: ""}[h.side]
                    for h in exercise.holds)


@pytest.mark.parametrize(("body", "expected"), [
    ("Sit tall and lean forward. Stay there for between 30 and 60 seconds.", "60"),
    ("Lie on your back and let your knees drop. Stay here for 3-5 mins.", "300"),
    ("Kneel and fold forward. Take five deep breaths, about 30 seconds.", "30"),
    ("Kneel and fold forward. Hold for about 30 seconds (five slow breaths).", "30"),
    ("Kneel and fold forward. Take five deep breaths.", "25"),
    ("Step forward and lower the back knee. Do 10-12 lunges on each side.", "36R 36L"),
    ("Lie on your back and lift your hips. 2 sets of 15.", "45 45"),
    ("Lie on your back and lift your hips. 3 x 10", "30 30 30"),
    ("Hang from a bar with straight arms. 3 x 30 s", "30 30 30"),
    ("Lie on your back and lift your hips. 15 bridges.", "45"),
    ("Jog easily, building speed. 20-30 m strides, walk back.", "30"),
    ("Swing one leg forward and back. Ten reps.", "30"),
    ("Reach both arms up. Hold for thirty seconds.", "30"),
    ("Reach both arms up. Hold twenty-five seconds, twice.", "25 25"),
])
def test_a_dose_form(body: str, expected: str) -> None:
    assert plan(body) == expected


def test_several_holds_in_one_exercise_are_each_held() -> None:
    body = ("Sit on your heels and hold for 10 seconds. Then walk your hands further out and "
            "hold for 30 seconds.")
    assert plan(body) == "10 30"
    assert "several holds" in " ".join(under_test(_routine(body)).notes)


def test_a_dose_said_in_the_name_and_again_below_is_one_hold() -> None:
    text = ("## 1. Cobra (hold 20 seconds)\n\nLie face down and press up. Hold for 20-30 "
            "seconds.\n\n## 2. Child's Pose\n\nSit back on your heels. Hold 40 seconds.\n")
    routine = parse_text(text, fmt="markdown")
    assert [h.seconds for h in routine.exercises[0].holds] == [30]


def test_sets_of_reps_are_one_timed_hold_each_with_their_rest() -> None:
    routine = _routine("Lie on your back and lift your hips. 2 sets of 10 reps, rest 30 "
                       "seconds between sets.")
    exercise = under_test(routine)
    assert [h.seconds for h in exercise.holds] == [30, 30]
    assert [h.repetition for h in exercise.holds] == [1, 2]
    assert exercise.sets == Sets(count=2, reps=10, rest=30)
    assert exercise.sets.describe() == "2 sets of 10 reps, 30 s rest"


def test_short_holds_per_rep_make_one_set_and_long_ones_are_holds() -> None:
    short = _routine("Lie down and rotate your knees. Sets: 2. Reps: 10. Hold: 3 seconds.")
    assert [h.seconds for h in under_test(short).holds] == [30, 30]
    assert under_test(short).sets == Sets(2, 10)
    long = _routine("Kneel and sit back. Reps: 3. Hold: 30 seconds.")
    assert [h.seconds for h in under_test(long).holds] == [30, 30, 30]
    assert under_test(long).sets is None


def test_sets_survive_the_toml_round_trip() -> None:
    routine = _routine("Lie on your back and lift your hips. 2 sets of 10 reps, rest 30 seconds "
                       "between sets.")
    text = routine_to_toml(routine)
    assert "sets = { count = 2, reps = 10, rest = 30 }" in text
    again = parse_text(text, fmt="toml", source="dose.md")
    assert again == routine


@pytest.mark.parametrize(("sets", "error"), [
    ("{ count = 0 }", "sets.count must be a whole number from 1 to 100"),
    ("{ count = 2, reps = 1.5 }", "sets.reps must be a whole number"),
    ("{ count = 2, rest = -3 }", "sets.rest must be a positive number of seconds"),
    ("{ count = 2, pause = 3 }", "sets.pause is not a key of sets"),
    ("{ count = 3 }\nrepeat = 2", "sets.count is 3 but the holds make 2 repetitions"),
    ("3", "sets must be a table"),
])
def test_a_wrong_sets_table_is_named(sets: str, error: str) -> None:
    from narrator.errors import SourceError

    text = f'title = "x"\n[[exercise]]\nname = "Bridge"\nhold = 30\nsets = {sets}\n'
    with pytest.raises(SourceError, match=error):
        parse_text(text, fmt="toml")


def test_a_blank_left_to_fill_in_is_no_dose() -> None:
    assert plan("Lie on your back and hug both knees. Hold ____ seconds. Repeat ........ "
                "times.") == "30"


@pytest.mark.parametrize(("body", "ignored"), [
    ("Sit and breathe. A hold of 660 s is too long for anyone.", "660 s"),
    ("Sit and breathe. Hold for 0 seconds, then go on.", "0 seconds"),
    ("Sit and breathe. Stay here for 45 minutes.", "45 minutes"),
])
def test_a_duration_that_is_no_hold_is_dropped_with_a_note(body: str, ignored: str) -> None:
    exercise = under_test(_routine(body))
    assert [h.seconds for h in exercise.holds] == [30]
    assert f"ignored '{ignored}': not a hold length" in exercise.notes


def test_breaths_that_add_up_to_no_hold_are_dropped() -> None:
    exercise = under_test(_routine("Lie still and take 200 breaths."))
    assert [h.seconds for h in exercise.holds] == [30]
    assert "ignored '1000 s': not a hold length" in exercise.notes


def test_plan_and_its_json_show_sets_and_every_hold(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from narrator.cli.commands import main

    source = tmp_path / "sets.md"
    source.write_text(
        "# Two moves\n\n## 1. Glute Bridge\n\nLie on your back and lift your hips. 2 sets of "
        "10 reps, 30 s rest.\n\n## 2. Wall Sit\n\nSlide down a wall until your knees bend. "
        "Hold 20 seconds.\n", encoding="utf-8")
    for args in (["plan", str(source), "--json", "--ready", "1"],
                 ["plan", str(source), "--ready", "1"]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code in (0, None)
    out = capsys.readouterr().out
    data = json.loads(out[: out.index("\n}\n") + 2])
    bridge = data["exercises"][0]
    assert bridge["holds"] == [30, 30]
    assert bridge["sets"] == {"count": 2, "reps": 10, "rest": 30}
    assert data["exercises"][1]["sets"] is None
    assert "Glute Bridge: 30s, 30s  [2 sets of 10 reps, 30 s rest]" in out
