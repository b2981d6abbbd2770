"""The corpus of real-shaped routines (tests/corpus): one golden test per file, and the scorer.

A corpus file passes when the parser gives exactly its plan: the same number of exercises,
each aligned by name with the same holds, or, for a text that is not a routine, a refusal
with exit code 3. A file with an `xfail:` line is expected to fail (strictly: once the
parser reads it right, the line must go).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus_score import (
    Case,
    CaseFormatError,
    Expected,
    Result,
    align,
    corpus_files,
    main,
    name_similarity,
    normalise_name,
    parse_holds,
    read_case,
    report,
    run_case,
    score,
)

from narrator.options import ParseOptions

FILES = corpus_files()


def _param(path: Path) -> object:
    case = read_case(path)
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(path, id=path.name, marks=marks)


@pytest.mark.skipif(not FILES, reason="the corpus is empty")
@pytest.mark.parametrize("path", [_param(p) for p in FILES])
def test_corpus_file(path: Path) -> None:
    result = run_case(read_case(path))
    assert result.passed, "\n".join(result.misses())


# --------------------------------------------------------------------------- the scorer itself


def _case(*exercises: tuple[str, str], refused: str | None = None, language: str = "en",
          source: str = "") -> Case:
    return Case(Path("made-up.txt"), source, "text", language, "hand-made",
                ParseOptions(), tuple(Expected(n, parse_holds(h)) for n, h in exercises),
                refused)


def _result(case: Case, *parsed: tuple[str, str]) -> Result:
    got = tuple(Expected(n, parse_holds(h)) for n, h in parsed)
    pairs = align([e.name for e in case.exercises], [p.name for p in got])
    return Result(case, got, pairs=tuple(pairs))


def test_names_compare_without_case_punctuation_or_accents() -> None:
    assert normalise_name("Child's Pose!") == "childs pose"
    assert normalise_name("  Étirement   du PSOAS ") == "etirement du psoas"
    assert normalise_name("Oberschenkel-Dehnung (Quadrizeps)") == "oberschenkel dehnung quadrizeps"
    assert name_similarity("CAT-COW", "cat cow") == 1.0
    assert name_similarity("Cat cow", "Cat cow stretch") >= 0.8
    assert name_similarity("Childs pose", "Child pose") >= 0.8
    assert name_similarity("Pigeon", "Butterfly") < 0.8
    assert name_similarity("", "Butterfly") == 0.0


def test_one_missed_exercise_does_not_shift_the_rest() -> None:
    case = _case(("Cat cow", "30"), ("Cobra", "30"), ("Child's pose", "60"), ("Pigeon", "45R 45L"))
    result = _result(case, ("Cat-Cow", "30"), ("Childs pose", "60"), ("Pigeon pose", "45R 45L"))
    assert result.pairs == ((0, 0), (2, 1), (3, 2))
    assert result.right == [0, 2, 3]
    assert result.invented == []
    assert not result.right_count
    assert not result.passed
    assert "missed: Cobra: 30" in result.misses()


def test_an_exercise_aligned_to_nothing_is_invented() -> None:
    case = _case(("Hamstring stretch", "30R 30L"), ("Quad stretch", "30R 30L"))
    result = _result(case, ("Photo credit Getty", "30"), ("Hamstring stretch", "30R 30L"),
                     ("Reviews", "30"), ("Quad stretch", "30R 30L"))
    assert result.invented == [0, 2]
    assert result.right == [0, 1]
    assert [m for m in result.misses() if m.startswith("invented")] == [
        "invented: Photo credit Getty: 30", "invented: Reviews: 30"]


def test_wrong_holds_align_but_are_not_right() -> None:
    case = _case(("Calf stretch", "30R 30L"), ("Frog", "60"))
    result = _result(case, ("Calf stretch", "30"), ("Frog", "60 60"))
    assert result.pairs == ((0, 0), (1, 1))
    assert result.right == []
    assert result.right_count
    assert result.misses() == ["holds: Calf stretch: 30 (expected 30R 30L)",
                               "holds: Frog: 60 60 (expected 60)"]


def test_a_refusal_is_right_only_with_exit_3() -> None:
    case = _case(refused="no exercise")
    assert Result(case, error="no exercise found", exit_code=3).passed
    assert not Result(case, error="bad option", exit_code=2).passed
    accepted = _result(case, ("Mix the flour", "30"))
    assert not accepted.passed
    assert accepted.misses()[0].startswith("not refused")


def test_totals_and_languages() -> None:
    en = _case(("Cobra", "30"), ("Frog", "60"))
    de = _case(("Wadendehnung", "30R 30L"), language="de")
    refusal = _case(refused="a recipe", language="de")
    results = [
        _result(en, ("Cobra", "30"), ("Frog", "60"), ("Newsletter", "30")),
        _result(de, ("Wadendehnung", "30R 30L")),
        Result(refusal, error="no exercise found", exit_code=3),
    ]
    total, languages = score(results)
    assert (total.routines, total.right_count, total.exercises, total.right) == (2, 1, 3, 3)
    assert (total.invented, total.non_routines, total.refused) == (1, 1, 1)
    assert list(languages) == ["en", "de"]
    assert languages["de"].as_dict()["right_pct"] == 100.0
    assert languages["en"].as_dict()["invented_pct"] == 50.0
    text = report(total, languages)
    assert "3/3 (100%)" in text and "1/3 (33.3%)" in text


def test_a_real_parse_is_scored(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text(
        "Evening stretches\n\n1. Cobra\nLie on your front and press up. Hold 20 seconds.\n\n"
        "2. Pigeon\nBring one knee forward. Hold 40 seconds on each side.\n"
        "==== expected plan ====\nlanguage: en\nshape: numbered\n"
        "Cobra: 20\nPigeon: 40R 40L\n", encoding="utf-8")
    result = run_case(read_case(path))
    assert result.passed, result.misses()


def test_another_folder_is_scored_with_corpus(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "en-one.txt").write_text(
        "Neck stretch\n\nTilt your head to one side. Hold 25 seconds, then the other side.\n"
        "==== expected plan ====\nlanguage: en\nshape: one exercise\nNeck stretch: 25R 25L\n",
        encoding="utf-8")
    (tmp_path / "de-notes.txt").write_text("Einkaufsliste: Milch, Brot\n", encoding="utf-8")
    assert main(["--corpus", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out)
    assert list(figures["files"]) == ["en-one.txt"]  # only files with the marker line
    assert figures["all"]["routines"] == 1 and figures["all"]["exercises"] == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--corpus", str(empty)]) == 1
    assert f"no corpus files found in {empty}" in capsys.readouterr().err


def test_bad_case_files_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("text\n==== expected plan ====\nlanguage: xx\nCobra: 30\n", encoding="utf-8")
    with pytest.raises(CaseFormatError, match="language"):
        read_case(path)
    path.write_text("text\n==== expected plan ====\nlanguage: en\nCobra: thirty\n",
                    encoding="utf-8")
    with pytest.raises(CaseFormatError, match="not a hold"):
        read_case(path)
    path.write_text("text\n==== expected plan ====\nlanguage: en\nshape: x\n", encoding="utf-8")
    with pytest.raises(CaseFormatError, match="refused"):
        read_case(path)


def test_every_corpus_file_follows_the_format() -> None:
    for path in FILES:
        case = read_case(path)
        assert case.shape, f"{path.name}: no shape line"
