"""Parsed routines are cached by their text, and a damaged entry is parsed again."""

from __future__ import annotations

from pathlib import Path

import pytest

import narrator.parse as parse
from narrator.errors import SourceError

TEXT = "# Back\n\n1. Cat Cow\n\nArch and round your back. Hold for 20 seconds.\n"


def _entries(root: Path) -> list[Path]:
    return sorted((root / "routines").rglob("*.toml"))


def test_a_second_parse_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path))
    first = parse.parse_text(TEXT, source="back.md")
    assert len(_entries(tmp_path)) == 1

    def refuse(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse, "_parse_free_text", refuse)
    assert parse.parse_text(TEXT, source="back.md") == first
    with pytest.raises(AssertionError, match="parsed again"):
        parse.parse_text(TEXT + "\n", source="back.md")  # other text, other entry


def test_a_damaged_entry_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path))
    first = parse.parse_text(TEXT, source="back.md")
    (entry,) = _entries(tmp_path)
    entry.write_text('title = "x"\n[[exercise]]\nname = 3\n', encoding="utf-8")
    assert parse.parse_text(TEXT, source="back.md") == first
    assert "Cat Cow" in entry.read_text(encoding="utf-8")


def test_errors_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path))
    with pytest.raises(SourceError):
        parse.parse_text("nothing to see here", source="x.txt")
    assert _entries(tmp_path) == []
