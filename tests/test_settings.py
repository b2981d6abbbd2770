from __future__ import annotations

from pathlib import Path

import pytest

from narrator.errors import OptionError
from narrator.options import Options, options_for, resolve


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_command_line_beats_routine_file_beats_config(tmp_path: Path) -> None:
    config = _write(tmp_path / "config.toml", "[session]\nrounds = 3\nready = 8\ncountdown = 5\n")
    routine = _write(tmp_path / "r.toml", "title = 'x'\n[session]\nready = 2\nhold = 40\n")
    session = options_for({"countdown": 0, "hold": None}, config, str(routine)).session
    assert session.countdown == 0  # command line
    assert session.ready == 2  # routine file
    assert session.rounds == 3  # config file
    assert session.holds == ("40",)
    assert session.rest == 5.0 and session.halfway is True  # defaults


def test_missing_default_config_is_fine_but_a_named_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATOR_CONFIG", str(tmp_path / "absent.toml"))
    assert options_for({}) == Options()
    with pytest.raises(OptionError, match="no such config file"):
        resolve({}, tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[session]\nrounds = 'two'\n", "rounds = 'two' should be a number"),
        ("[session]\nhalfway = 1\n", "halfway = 1 should be true or false"),
        ("[session]\nrounds = true\n", "should be a number"),
        ("[session]\nloudness = 3\n", "unknown setting 'loudness'"),
        ("[session\n", "not valid TOML"),
        ("session = 3\n", r"\[session\] should be a table"),
    ],
)
def test_bad_settings_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        resolve({}, _write(tmp_path / "c.toml", text))
