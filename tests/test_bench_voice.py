"""The listening benchmark's scoring (scripts/bench_voice.py): what is compared, and how.

The benchmark itself needs the bench extra and minutes of Whisper; only its arithmetic and
its reading of the spoken script are tested here, on a real MP3's tags.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO
from mutagen.id3 import ID3, USLT

sys.path.insert(0, str(REPO / "scripts"))
from bench_voice import normalise, number_words, spoken_reference, word_errors


def test_numbers_are_compared_as_words() -> None:
    assert [number_words(n) for n in (0, 7, 13, 30, 45, 100, 125)] == [
        "zero", "seven", "thirteen", "thirty", "forty five", "one hundred",
        "one hundred twenty five"]
    assert normalise("Stretch 3 of 7: Piriformis Stretch. Let's begin!") == [
        "stretch", "three", "of", "seven", "piriformis", "stretch", "lets", "begin"]
    assert normalise("Halfway. 15 seconds to go.") == normalise("halfway fifteen seconds to go")


def test_word_errors_count_substitutions_insertions_and_deletions() -> None:
    said = normalise("switch sides left side thirty seconds")
    assert word_errors(said, said) == 0
    assert word_errors(said, normalise("switch sides left side dirty seconds")) == 1
    assert word_errors(said, normalise("switch sides left side thirty")) == 1
    assert word_errors(said, normalise("so switch sides left side thirty seconds now")) == 2
    assert word_errors(said, []) == len(said)


def test_the_reference_is_every_spoken_line_without_titles_or_hold_marks(tmp_path: Path) -> None:
    mp3 = tmp_path / "tagged.mp3"
    tags = ID3()
    tags.add(USLT(encoding=3, lang="eng", desc="", text=(
        "[Introduction]\nTwo stretches.\n\n[Knees to Chest]\nStretch 1 of 2: Knees to Chest.\n"
        "(hold 30 s, right side)\nHalfway. 15 seconds to go.\n3\n2\n1\nSwitch sides.")))
    tags.save(mp3)
    assert spoken_reference(mp3).splitlines() == [
        "Two stretches.", "Stretch 1 of 2: Knees to Chest.", "Halfway. 15 seconds to go.",
        "3", "2", "1", "Switch sides."]
