"""Golden files for the compiler: a routine (TOML), the options, then the expected script.

Each tests/compile_cases/*.case file holds the routine, a line `# options: {json}`, a line
`# script`, and the expected `compile.describe` output. NARRATOR_REGEN_GOLDEN=1 rewrites the
expected part; read every change before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from narrator.options import SessionOptions
from narrator.parse import parse_text
from narrator.script.compile import compile_routine, describe

CASES = sorted((Path(__file__).parent / "compile_cases").glob("*.case"))
OPTIONS_MARK = "# options: "
SCRIPT_MARK = "# script\n"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_compiled_script_matches_its_golden_file(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    head, _, expected = text.partition(SCRIPT_MARK)
    source, _, options_line = head.rpartition(OPTIONS_MARK)
    options = SessionOptions(**json.loads(options_line))
    script = compile_routine(parse_text(source, source=case.name, fmt="toml"), options,
                             total_minutes=10)
    got = describe(script)
    if os.environ.get("NARRATOR_REGEN_GOLDEN"):
        case.write_text(head + SCRIPT_MARK + got, encoding="utf-8")
    assert got == expected


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 4
