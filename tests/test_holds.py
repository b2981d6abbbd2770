from __future__ import annotations

import pytest

from narrator.errors import OptionError
from narrator.model import Exercise, Hold, Routine
from narrator.script.holds import apply_hold_options, parse_seconds

ROUTINE = Routine(
    title="Three",
    exercises=(
        Exercise("Knees to Chest", holds=(Hold(30, "right"), Hold(30, "left"))),
        Exercise("Piriformis Stretch", holds=(Hold(30, "right"), Hold(30, "left"))),
        Exercise("Chest Opener", holds=(Hold(20, None, 1), Hold(20, None, 2))),
    ),
)


def _holds(routine: Routine) -> list[list[float]]:
    return [[h.seconds for h in e.holds] for e in routine.exercises]


def test_a_bare_hold_sets_every_hold() -> None:
    assert _holds(apply_hold_options(ROUTINE, ["45"])) == [[45, 45]] * 3


@pytest.mark.parametrize("spec", ["2=60", "piriformis=60", "PIRIFORMIS STRETCH=1m"])
def test_one_exercise_by_number_or_name(spec: str) -> None:
    assert _holds(apply_hold_options(ROUTINE, [spec])) == [[30, 30], [60, 60], [20, 20]]


def test_later_holds_override_earlier_ones_and_sides_are_kept() -> None:
    routine = apply_hold_options(ROUTINE, ["40", "chest opener=15"])
    assert _holds(routine) == [[40, 40], [40, 40], [15, 15]]
    assert [h.side for h in routine.exercises[0].holds] == ["right", "left"]


def test_scale_multiplies_after_holds_in_whole_seconds() -> None:
    assert _holds(apply_hold_options(ROUTINE, ["1=10"], scale=1.5)) == [
        [15, 15], [45, 45], [30, 30]]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("chest=60", "matches more than one exercise"),
        ("hamstring=60", "matches no exercise"),
        ("9=60", "there are only 3 exercises"),
        ("0", "out of range"),
        ("-5", "expected seconds"),
        ("36000", "out of range"),
        ("abc", "expected seconds"),
        ("2=", "expected seconds"),
    ],
)
def test_bad_holds_are_one_clear_error(spec: str, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        apply_hold_options(ROUTINE, [spec])


def test_parse_seconds_forms() -> None:
    assert [parse_seconds(t) for t in ("45", "45s", "45 sec", "1.5m", "2 min", "90 seconds")] == [
        45, 45, 45, 90, 120, 90]
