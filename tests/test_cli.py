"""The command line, in process: output, exit codes, one-line errors, plan == build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED

from narrator.cli.commands import main
from narrator.publish.tags import read_tags
from narrator.session import slugify

ROUTINE_TOML = """\
title = "Quick check"

[session]
ready = 1
rest = 1

[[exercise]]
name = "Neck Roll"
instructions = ["Roll your head slowly."]
hold = 3

[[exercise]]
name = "Side Bend"
instructions = ["Reach one arm over your head."]
hold = 2
sides = true
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "quick.toml"
    path.write_text(ROUTINE_TOML, encoding="utf-8")
    return path


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("narrator ")
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for word in ("build", "plan", "inspect", "voices", "routine", "Examples:", "Exit codes:"):
        assert word in out


@pytest.mark.e2e
def test_plan_json_of_the_seed_has_the_seven_stretches(capsys: pytest.CaptureFixture[str]) -> None:
    if not SEED.exists():
        pytest.skip("the seed article is not beside the repository")
    code, out, err = run(capsys, "plan", str(SEED), "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert [e["name"] for e in plan["exercises"]] == [
        "Floor Hamstrings", "Knees to Chest", "Piriformis Stretch", "Spinal Stretch",
        "Lying Down Quadriceps", "Hip Flexors", "Total Back Stretch"]
    assert all(e["holds"] == [30, 30] for e in plan["exercises"])
    assert sum(len(e["holds"]) for e in plan["exercises"]) == 14
    assert sum(sum(e["holds"]) for e in plan["exercises"]) == 420
    assert [c["title"] for c in plan["chapters"]][0::8] == ["Introduction", "Finish"]
    assert plan["total_seconds"] == plan["chapters"][-1]["end_ms"] / 1000


@pytest.mark.e2e
def test_build_agrees_with_plan_to_the_millisecond(
    capsys: pytest.CaptureFixture[str], routine_file: Path, tmp_path: Path
) -> None:
    options = ["--hold", "neck=4", "--countdown", "2", "--switch", "1"]
    code, out, err = run(capsys, "plan", str(routine_file), "--json", *options)
    assert code == 0, err
    plan = json.loads(out)
    assert [e["holds"] for e in plan["exercises"]] == [[4], [2, 2]]
    target = tmp_path / "out" / "q.mp3"
    code, out, err = run(capsys, "build", str(routine_file), "-o", str(target), *options)
    assert code == 0, err
    assert out.strip().startswith(f"wrote {target}")
    info = read_tags(target)
    assert [(c.title, c.start_ms, c.end_ms) for c in info.chapters] == [
        (c["title"], c["start_ms"], c["end_ms"]) for c in plan["chapters"]]
    timeline = json.loads(target.with_suffix(".timeline.json").read_text())
    holds = [e for e in timeline["events"] if e["kind"] == "hold"]
    assert [h["end"] - h["start"] for h in holds] == [4 * 44100, 2 * 44100, 2 * 44100]
    assert [h["side"] for h in holds] == [None, "right", "left"]
    assert {e["kind"] for e in timeline["events"]} >= {"speech", "bell", "hold", "rest"}

    code, out, _ = run(capsys, "inspect", str(target))
    assert code == 0 and "Neck Roll" in out and "chapters (4)" in out


@pytest.mark.e2e
def test_the_routine_file_settings_apply_and_the_command_line_wins(
    capsys: pytest.CaptureFixture[str], routine_file: Path
) -> None:
    _, out, _ = run(capsys, "plan", str(routine_file), "--json")
    with_file = json.loads(out)["total_seconds"]
    _, out, _ = run(capsys, "plan", str(routine_file), "--json", "--ready", "6")
    # the file's ready = 1 gave way: both exercises' ready gaps are five seconds longer (to
    # the millisecond: each total is rounded, and may end with up to 1 ms of MP3 padding)
    assert json.loads(out)["total_seconds"] == pytest.approx(with_file + 2 * 5, abs=0.003)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["plan", "/nonexistent/routine.txt"], 3, "file not found"),
        (["plan", "--hold", "abc"], 2, "--hold 'abc': expected seconds"),
        (["plan", "--hold", "0"], 2, "out of range"),
        (["plan", "--hold", "36000"], 2, "out of range"),
        (["plan", "--hold", "stretch=40"], 2, "matches more than one exercise"),
        (["plan", "--rounds", "0"], 2, "--rounds 0 is out of range"),
        (["plan", "--minutes", "1"], 2, "--minutes 1 cannot be met"),
        (["plan", "--voice", "klingon-ish"], 2, "unknown voice 'klingon-ish'"),
        (["plan", "--bogus"], 2, "No such option: --bogus"),
        (["build", "--bitrate", "loud"], 2, "--bitrate 'loud'"),
        (["inspect", "/nonexistent.mp3"], 2, "no such file"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    got, out, err = run(capsys, *args)
    assert got == code
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("narrator: error: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Seven stretches in seven minutes", "seven-stretches-in-seven-minutes"),
     ("../../x", "x"), ('Say "hi"\nnow 🙂', "say-hi-now"), ("שלום", "session"),
     ("Étirements du dos", "etirements-du-dos"), ("", "session")],
)
def test_output_names_from_titles_are_safe(title: str, slug: str) -> None:
    assert slugify(title) == slug


GUESSES = """\
# Guesses

## 1. Cat Cow

Arch and round your back for 20-30 seconds.

## 2. Child's Pose

Rest here for 5 breaths.

## 3. Wrist Circles

Circle your wrists, 10 reps.
"""


@pytest.mark.parametrize(
    ("options", "holds"),
    [
        ([], [[30], [25], [30]]),
        (["--range", "lower", "--seconds-per-breath", "4", "--seconds-per-rep", "2"],
         [[20], [20], [20]]),
        (["--range", "middle"], [[25], [25], [30]]),
    ],
)
def test_the_parsers_guesses_can_be_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str],
    holds: list[list[int]],
) -> None:
    source = tmp_path / "guesses.md"
    source.write_text(GUESSES, encoding="utf-8")
    code, out, err = run(capsys, "plan", str(source), "--json", *options)
    assert code == 0, err
    plan = json.loads(out)
    assert [e["holds"] for e in plan["exercises"]] == holds
    assert all(e["notes"] for e in plan["exercises"])  # every one of them was a guess


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--range", "widest"], "--range 'widest'"), (["--language", "xx"], "--language 'xx'"),
     (["--seconds-per-breath", "0"], "--seconds-per-breath 0 is out of range")],
)
def test_bad_parser_options_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "routine", *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
