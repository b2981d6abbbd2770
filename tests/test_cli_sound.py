"""The build options of issue 5 through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator.cli.commands import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_unknown_format_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["build", "--format", "ogg"], capsys)
    assert code == 2 and err.strip() == "narrator: error: --format 'ogg': expected mp3 or m4b"


def test_bad_cover_fails_before_anything_is_spoken(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["build", "--cover", str(tmp_path / "none.jpg")], capsys)
    assert code == 2 and "--cover: no such file" in err and len(err.strip().splitlines()) == 1
    junk = tmp_path / "junk.png"
    junk.write_text("hello")
    code, _, err = _run(["build", "--cover", str(junk)], capsys)
    assert code == 2 and "not an image" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(["build", "--cover", str(junk), "--no-cover"], capsys)
    assert code == 2 and "contradict" in err


@pytest.mark.e2e
def test_build_m4b_with_side_files_and_overrides(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    routine = tmp_path / "tiny.md"
    routine.write_text("# Tiny\n\n## 1. Neck Roll\n\nRoll your head slowly. Hold for 3 seconds.\n",
                       encoding="utf-8")
    out = tmp_path / "tiny"
    code, printed, err = _run(["build", str(routine), "-o", str(out), "--format", "m4b",
                               "--chapters-json",
                               "--vtt", "--title", "Neck", "--ready", "1", "--rest", "1"],
                              capsys)
    assert code == 0, err
    assert (tmp_path / "tiny.m4b").is_file() and "tiny.m4b" in printed
    chapters = json.loads((tmp_path / "tiny.chapters.json").read_text())
    assert chapters["title"] == "Neck"
    assert [c["title"] for c in chapters["chapters"]] == ["Introduction", "Neck Roll", "Finish"]
    assert (tmp_path / "tiny.vtt").read_text().startswith("WEBVTT")
    code, printed, _ = _run(["inspect", str(tmp_path / "tiny.m4b")], capsys)
    assert "title     Neck" in printed and "album     Tiny" in printed
