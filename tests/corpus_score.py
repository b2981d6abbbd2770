"""Score the parser on tests/corpus: how many routines and exercises it reads right.

`--corpus DIR` scores another folder of cases instead (a held-out set kept outside the repo).

Each corpus file is a source text, the marker line, then the plan written by hand
(tests/corpus/README.md). For every file the source is parsed as its extension says and the
result is compared with the plan:

- a routine has the right count when it gives as many exercises as the plan;
- parsed exercises are aligned with the plan's by name (a sequence alignment on normalised
  names, so one missed exercise does not shift the rest); an aligned exercise is right when
  its holds (their number, lengths and sides) are the plan's;
- a parsed exercise aligned to nothing is invented;
- a text marked `refused:` must raise an error with exit code 3.

`scripts/parser-score` prints the totals and a per-language breakdown; `--verbose` lists each
file's misses, `--json` prints the same figures for machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from difflib import SequenceMatcher
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root holds narrator/
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from narrator.errors import NarratorError
from narrator.model import Routine
from narrator.parse import ParseOptions, parse_text

CORPUS = Path(__file__).resolve().parent / "corpus"
MARKER = "==== expected plan ===="
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
           ".txt": "text"}
LANGUAGES = ("en", "de", "es", "fr", "it", "pt")
NAME_SIMILARITY = 0.8
"""Two normalised names at least this similar (difflib's ratio) are the same exercise:
"Child's Pose" and "Childs pose", "Cat-Cow" and "Cat cow stretch" (one holds the other)."""
SECONDS_TOLERANCE = 0.01

Hold = tuple[float, str]
"""Seconds and side: "R", "L" or ""."""


@dataclass(frozen=True)
class Expected:
    name: str
    holds: tuple[Hold, ...]


@dataclass(frozen=True)
class Case:
    path: Path
    source: str
    fmt: str | None
    language: str
    shape: str
    options: ParseOptions = field(default_factory=ParseOptions)
    exercises: tuple[Expected, ...] = ()
    refused: str | None = None
    """What the text lacks, for a text that is not a routine and must be refused."""
    xfail: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


class CaseFormatError(ValueError):
    """A corpus file that does not follow tests/corpus/README.md."""


# --------------------------------------------------------------------------- reading a case

_HOLD = re.compile(r"(\d+(?:\.\d+)?)([RL]?)(?:#\d+)?")


def parse_holds(text: str) -> tuple[Hold, ...]:
    """"30R 30L 45" -> ((30.0, "R"), (30.0, "L"), (45.0, ""))."""
    holds: list[Hold] = []
    for token in text.split():
        m = _HOLD.fullmatch(token)
        if m is None:
            raise CaseFormatError(f"not a hold: {token!r} (expected seconds, then R or L)")
        holds.append((float(m.group(1)), m.group(2)))
    return tuple(holds)


def parse_options(text: str) -> ParseOptions:
    """"range_choice=lower seconds_per_breath=4" -> ParseOptions."""
    kinds = {f.name: str(f.type) for f in fields(ParseOptions)}
    values: dict[str, object] = {}
    for pair in text.split():
        key, sep, value = pair.partition("=")
        if not sep or key not in kinds:
            raise CaseFormatError(f"not a parse option: {pair!r}")
        values[key] = float(value) if "float" in kinds[key] else value
    return ParseOptions(**values)  # type: ignore[arg-type]


_KEYS = ("language", "shape", "refused", "options", "xfail", "title")


def read_case(path: Path) -> Case:
    raw = path.read_bytes().decode("utf-8")
    source, marker, expected = raw.partition(MARKER)
    if not marker:
        raise CaseFormatError(f"{path.name}: no {MARKER!r} line")
    source = source.removesuffix("\n").removesuffix("\r")
    keys: dict[str, str] = {}
    exercises: list[Expected] = []
    for line in expected.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        key, _, value = line.partition(":")
        if key.strip() in _KEYS and key == key.strip():
            keys[key] = value.strip()
            continue
        name, sep, holds = line.rpartition(":")
        if not sep or not name.strip():
            raise CaseFormatError(f"{path.name}: not an exercise line: {line!r}")
        try:
            exercises.append(Expected(name.strip(), parse_holds(holds)))
        except CaseFormatError as error:
            raise CaseFormatError(f"{path.name}: {error}") from None
    language = keys.get("language", "")
    if language not in LANGUAGES:
        raise CaseFormatError(f"{path.name}: language {language!r} is not one of {LANGUAGES}")
    refused = keys.get("refused")
    if (refused is None) == (not exercises):
        raise CaseFormatError(f"{path.name}: expected either exercise lines or 'refused:'")
    options = parse_options(keys["options"]) if "options" in keys else ParseOptions()
    return Case(path, source, FORMATS.get(path.suffix.lower()), language, keys.get("shape", ""),
                options, tuple(exercises), refused, keys.get("xfail"))


def corpus_files(folder: Path = CORPUS) -> list[Path]:
    """Every case in the folder: files with the marker line, but not the folder's README."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in FORMATS and p.stem.upper() != "README"
                  and MARKER.encode() in p.read_bytes())


# --------------------------------------------------------------------------- alignment


def normalise_name(name: str) -> str:
    """Lower-case letters and digits only, accents removed, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.lower().replace("\u00df", "ss"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"['\u2019`]", "", plain)  # "child's" -> "childs"
    return " ".join(re.findall(r"[^\W_]+", plain))


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same name; a name that holds the other whole ("cat cow" in "cat cow
    stretch") counts as the same; otherwise difflib's ratio of the normalised names."""
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    if re.search(rf"(?<!\S){re.escape(x)}(?!\S)", y) or re.search(
            rf"(?<!\S){re.escape(y)}(?!\S)", x):
        return 0.9
    return SequenceMatcher(None, x, y).ratio()


def align(expected: Sequence[str], parsed: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (expected index, parsed index) of the best order-keeping alignment by name.

    A dynamic programme over both lists: a pair may be matched only when the names are
    similar enough, and the alignment with the greatest total similarity wins, so one
    exercise missed or invented leaves the others matched.
    """
    n, m = len(expected), len(parsed)
    sim = [[name_similarity(e, p) for p in parsed] for e in expected]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if sim[i][j] >= NAME_SIMILARITY:
                options.append(sim[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= NAME_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def same_holds(a: Sequence[Hold], b: Sequence[Hold]) -> bool:
    """The same holds as a multiset (tests/corpus/README: the order of sides is not scored,
    so "R R L L" and "R L R L" are the same exercise): each side's lengths, sorted, match."""
    def by_side(holds: Sequence[Hold]) -> list[Hold]:
        return sorted(holds, key=lambda h: (h[1], h[0]))

    return len(a) == len(b) and all(
        abs(x[0] - y[0]) <= SECONDS_TOLERANCE and x[1] == y[1]
        for x, y in zip(by_side(a), by_side(b), strict=True))


def holds_of(routine: Routine) -> list[Expected]:
    side = {"right": "R", "left": "L"}
    return [Expected(e.name, tuple((h.seconds, side.get(h.side or "", "")) for h in e.holds))
            for e in routine.exercises]


def holds_text(holds: Iterable[Hold]) -> str:
    return " ".join(f"{s:g}{side}" for s, side in holds)


# --------------------------------------------------------------------------- one case


@dataclass(frozen=True)
class Result:
    case: Case
    parsed: tuple[Expected, ...] = ()
    error: str = ""
    exit_code: int = 0
    pairs: tuple[tuple[int, int], ...] = ()

    @property
    def is_routine(self) -> bool:
        return self.case.refused is None

    @property
    def refused_right(self) -> bool:
        return not self.is_routine and self.exit_code == 3

    @property
    def right_count(self) -> bool:
        return self.is_routine and len(self.parsed) == len(self.case.exercises)

    @property
    def right(self) -> list[int]:
        """Indexes of the plan's exercises read right: name aligned, holds the same."""
        return [i for i, j in self.pairs
                if same_holds(self.case.exercises[i].holds, self.parsed[j].holds)]

    @property
    def invented(self) -> list[int]:
        """Indexes of parsed exercises aligned to none of the plan's."""
        matched = {j for _, j in self.pairs}
        return [j for j in range(len(self.parsed)) if j not in matched]

    @property
    def passed(self) -> bool:
        """Everything as the plan says: the count, every exercise right, nothing invented."""
        if not self.is_routine:
            return self.refused_right
        return self.right_count and len(self.right) == len(self.case.exercises)

    def misses(self) -> list[str]:
        """What went wrong, one line each, for --verbose and the golden tests."""
        case = self.case
        if not self.is_routine:
            if self.refused_right:
                return []
            if self.error:
                return [f"refused with exit {self.exit_code}, not 3: {self.error}"]
            return [f"not refused ({case.refused}): read {len(self.parsed)} exercises: "
                    + "; ".join(p.name for p in self.parsed[:6])]
        lines: list[str] = []
        if self.error:
            return [f"error (exit {self.exit_code}): {self.error}"]
        if not self.right_count:
            lines.append(f"{len(self.parsed)} exercises, expected {len(case.exercises)}")
        aligned = dict(self.pairs)
        for i, expected in enumerate(case.exercises):
            j = aligned.get(i)
            if j is None:
                lines.append(f"missed: {expected.name}: {holds_text(expected.holds)}")
            elif not same_holds(expected.holds, self.parsed[j].holds):
                lines.append(f"holds: {expected.name}: {holds_text(self.parsed[j].holds)}"
                             f" (expected {holds_text(expected.holds)})")
        for j in self.invented:
            lines.append(f"invented: {self.parsed[j].name}: {holds_text(self.parsed[j].holds)}")
        return lines


def run_case(case: Case) -> Result:
    try:
        routine = parse_text(case.source, source=case.name, fmt=case.fmt, options=case.options)
    except NarratorError as error:
        return Result(case, error=error.message, exit_code=error.exit_code)
    parsed = tuple(holds_of(routine))
    pairs = align([e.name for e in case.exercises], [p.name for p in parsed])
    return Result(case, parsed, pairs=tuple(pairs))


# --------------------------------------------------------------------------- the whole corpus


@dataclass
class Tally:
    routines: int = 0
    right_count: int = 0
    exercises: int = 0
    right: int = 0
    invented: int = 0
    non_routines: int = 0
    refused: int = 0
    files: int = 0
    passed: int = 0
    failed_files: list[str] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.files += 1
        self.passed += result.passed
        if not result.passed:
            self.failed_files.append(result.case.name)
        if result.is_routine:
            self.routines += 1
            self.right_count += result.right_count
            self.exercises += len(result.case.exercises)
            self.right += len(result.right)
            self.invented += len(result.invented)
        else:
            self.non_routines += 1
            self.refused += result.refused_right

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "passed": self.passed,
            "routines": self.routines, "right_count": self.right_count,
            "right_count_pct": _pct(self.right_count, self.routines),
            "exercises": self.exercises, "right": self.right,
            "right_pct": _pct(self.right, self.exercises),
            "invented": self.invented, "invented_pct": _pct(self.invented, self.exercises),
            "non_routines": self.non_routines, "refused": self.refused,
            "refused_pct": _pct(self.refused, self.non_routines),
        }


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def score(results: Iterable[Result]) -> tuple[Tally, dict[str, Tally]]:
    total = Tally()
    by_language: dict[str, Tally] = {}
    for result in results:
        total.add(result)
        by_language.setdefault(result.case.language, Tally()).add(result)
    ordered = {code: by_language[code] for code in LANGUAGES if code in by_language}
    return total, ordered


def _line(label: str, tally: Tally) -> str:
    def cell(part: int, whole: int) -> str:
        pct = _pct(part, whole)
        return f"{part}/{whole}" + (f" ({pct:g}%)" if pct is not None else "")

    return (f"{label:<5} {cell(tally.right_count, tally.routines):>16}"
            f" {cell(tally.right, tally.exercises):>17}"
            f" {cell(tally.invented, tally.exercises):>16}"
            f" {cell(tally.refused, tally.non_routines):>15}")


def report(total: Tally, by_language: dict[str, Tally]) -> str:
    head = (f"{'':<5} {'right count':>16} {'exercises right':>17} {'invented':>16}"
            f" {'refused':>15}")
    lines = [head, _line("all", total)]
    lines += [_line(code, tally) for code, tally in by_language.items()]
    lines.append(f"{total.passed} of {total.files} files read exactly as their plan says")
    return "\n".join(lines)


def mark_xfail(result: Result) -> bool:
    """Keep a file's `xfail:` line in step with its result; True if the file changed."""
    path = result.case.path
    raw = path.read_bytes().decode("utf-8")
    source, marker, expected = raw.partition(MARKER)
    newline = "\r\n" if "\r\n" in expected else "\n"
    lines = [line for line in expected.split(newline) if not line.startswith("xfail:")]
    if not result.passed:
        reason = re.sub(r"\s+", " ", result.misses()[0])[:150]
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("shape:")), 1)
        lines.insert(at, f"xfail: {reason}")
    changed = source + marker + newline.join(lines)
    if changed == raw:
        return False
    path.write_bytes(changed.encode("utf-8"))
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="parser-score", description="Score the parser on the corpus in tests/corpus.")
    parser.add_argument("files", nargs="*", type=Path,
                        help="corpus files to score (default: every file in tests/corpus)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list each file's misses")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--language", help="only the files in this language")
    parser.add_argument("--corpus", type=Path, default=CORPUS, metavar="DIR",
                        help="score every case file in DIR instead of tests/corpus "
                             "(a held-out set kept outside the repository)")
    parser.add_argument("--mark-xfail", action="store_true",
                        help="write an 'xfail:' line (the first miss) into each file that fails, "
                             "and remove it from each file that passes")
    args = parser.parse_args(argv)
    paths = args.files or corpus_files(args.corpus)
    if not paths:
        print(f"parser-score: no corpus files found in {args.corpus}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as cache:
        # A fresh parse cache: the score is the parser's, not what an older parser cached.
        os.environ["NARRATOR_CACHE_DIR"] = cache
        try:
            cases = [read_case(p) for p in paths]
        except (CaseFormatError, OSError, UnicodeDecodeError) as error:
            print(f"parser-score: {error}", file=sys.stderr)
            return 1
        if args.language:
            cases = [c for c in cases if c.language == args.language]
        results = [run_case(c) for c in cases]
    total, by_language = score(results)
    if args.mark_xfail:
        for result in results:
            mark_xfail(result)
    if args.json:
        print(json.dumps({
            "all": total.as_dict(),
            "languages": {code: t.as_dict() for code, t in by_language.items()},
            "files": {r.case.name: {"passed": r.passed, "misses": r.misses()}
                      for r in results},
        }, indent=2))
        return 0
    if args.verbose:
        for result in results:
            misses = result.misses()
            if misses:
                tag = " [xfail]" if result.case.xfail else ""
                print(f"{result.case.name}{tag}")
                print("\n".join(f"    {m}" for m in misses))
        print()
    print(report(total, by_language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
