"""Golden routines: each file in tests/cases holds a source, a marker line, then the plan.

The plan is written to be checked by eye, one exercise a line:

    title: Morning stretches
    Knees to Chest: 30R 30L
    Total Back Stretch: 30 30

A hold is its seconds, then R or L for its side; repetitions follow from the order
(right, left, right, left...). A hold out of that order shows its repetition: "30#2".
An optional "options:" line sets ParseOptions (e.g. "options: range_choice=lower").
An optional "xfail: why" line marks a case the parser does not read right yet (strict: the
test fails once it passes, so the line is removed when the parser is fixed).

To rewrite the plans from what the parser says now (then check every one by hand!):

    NARRATOR_REGEN_CASES=1 PYTHONPATH=. python -m pytest tests/test_parse_cases.py
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest

from narrator.model import Routine
from narrator.parse import ParseOptions, parse_text

CASES = Path(__file__).parent / "cases"
MARKER = "==== expected plan ===="
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".txt": "text", ".toml": "toml"}


def plan_lines(routine: Routine) -> list[str]:
    lines = [f"title: {routine.title}"]
    for exercise in routine.exercises:
        holds: list[str] = []
        per_rep = 2 if exercise.has_sides else 1
        for index, hold in enumerate(exercise.holds):
            text = f"{hold.seconds:g}" + {"right": "R", "left": "L", None: ""}.get(hold.side, "?")
            if hold.repetition != index // per_rep + 1:
                text += f"#{hold.repetition}"
            holds.append(text)
        lines.append(f"{exercise.name}: {' '.join(holds)}")
    return lines


def _options(line: str) -> ParseOptions:
    kinds = {f.name: f.type for f in fields(ParseOptions)}
    values: dict[str, object] = {}
    for pair in line.split(":", 1)[1].split():
        key, value = pair.split("=", 1)
        values[key] = float(value) if "float" in str(kinds[key]) else value
    return ParseOptions(**values)  # type: ignore[arg-type]


def read_case(path: Path) -> tuple[str, ParseOptions, list[str]]:
    raw = path.read_bytes().decode("utf-8")  # the BOM and CRLF stay: they are part of the case
    source, _, expected = raw.partition(MARKER)
    source = source.removesuffix("\n").removesuffix("\r")
    options = ParseOptions()
    plan: list[str] = []
    for line in expected.replace("\r\n", "\n").strip("\n").split("\n"):
        if line.startswith("options:"):
            options = _options(line)
        elif line.startswith("xfail:"):
            continue
        elif line.strip():
            plan.append(line.rstrip())
    return source, options, plan


CASE_FILES = sorted(p for p in CASES.iterdir() if p.is_file()) if CASES.is_dir() else []


def _xfail_reason(path: Path) -> str | None:
    expected = path.read_bytes().decode("utf-8").partition(MARKER)[2]
    for line in expected.splitlines():
        if line.startswith("xfail:"):
            return line.split(":", 1)[1].strip()
    return None


def _param(path: Path) -> object:
    reason = _xfail_reason(path)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(path, id=path.name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in CASE_FILES])
def test_case(path: Path) -> None:
    source, options, expected = read_case(path)
    fmt = FORMATS.get(path.suffix)
    routine = parse_text(source, source=path.name, fmt=fmt, options=options)
    actual = plan_lines(routine)
    if os.environ.get("NARRATOR_REGEN_CASES"):
        raw = path.read_bytes().decode("utf-8")
        head = raw.partition(MARKER)[0]
        opts = [line for line in raw.partition(MARKER)[2].splitlines()
                if line.startswith(("options:", "xfail:"))]
        path.write_text(head + MARKER + "\n" + "\n".join([*opts, *actual]) + "\n",
                        encoding="utf-8", newline="")
        return
    assert actual == expected
    spoken = " ".join(i for e in routine.exercises for i in e.instructions)
    for word in ("http", "**", "<", "Advertisement", "©"):
        assert word not in spoken


def test_there_are_enough_cases() -> None:
    assert len(CASE_FILES) >= 15
