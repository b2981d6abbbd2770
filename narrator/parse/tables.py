"""Table rows as words: "| Calf | 45 | yes |" under "Hold (s) | Sides" -> "45 seconds. each side".

A row's cells are turned into the words the timing reader already understands, so a
table row is read like any other exercise.
"""

from __future__ import annotations

import re

from narrator.parse.blocks import DASHES
from narrator.parse.lang import Lexicon

_YES = frozenset({"yes", "y", "\u2713", "\u2714", "x", "both", "l/r", "r/l", "l+r", "r+l", "each",
                  "ja", "sí", "si"})


def row_as_text(cells: tuple[str, ...], header: tuple[str, ...], lex: Lexicon) -> str:
    """Every cell but the first (the name) as a sentence, bare numbers given their unit."""
    parts: list[str] = []
    for index, cell in enumerate(cells[1:], start=1):
        title = header[index].lower() if index < len(header) else ""
        words = cell_as_words(cell, title, lex)
        if words:
            words = words.rstrip(".")
            parts.append(words[:1].upper() + words[1:] + ".")
    return " ".join(parts)


def row_sides(cells: tuple[str, ...], header: tuple[str, ...]) -> bool | None:
    """What a "Sides" column says (yes / no), or None if the table has no such column."""
    for index, cell in enumerate(cells[1:], start=1):
        title = header[index].lower() if index < len(header) else ""
        if not _is_side_column(title):
            continue
        value = cell.strip().lower()
        if value in _YES:
            return True
        if value in _NO or value in ("0", "1"):
            return False
    return None


_SETS_COLUMN = (r"\bsets?\b|rounds?|times|sätze|s[ée]ries?\b|veces|\bfois\b|\bvolte\b|\bvezes\b"
                r"|tours?\b|giri\b|serien")
"""A column's title that counts sets or rounds, in the six languages."""
_REPS_COLUMN = (r"\breps?\b|r[eéi]p[eé]ti|wiederhol|\bwdh|\brép\b|\brip\b|\brep\.")
"""A column's title that counts repetitions: "Reps", "Répétitions", "Ripetizioni",
"Repetições", "Wiederholungen"."""


_SIDE_COLUMN = r"side|seite|lado|each|both|l/r|c[ôo]t[ée]|\blat[oi]\b"
"""A column's title that says which sides: "Sides", "Seite", "Lado", "Côté", "Lato"."""


def _is_side_column(title: str) -> bool:
    return bool(re.search(_SIDE_COLUMN, title)) and not re.search(
        r"sec|sek|seg|min|hold|time|dur", title)


_NO = frozenset({"no", "n", "-", "\u2013", "nein", "none", "\u2014", "\u2717", "\u2718"})


def cell_as_words(cell: str, title: str, lex: Lexicon) -> str:
    number = lex.number_pattern
    bare = re.fullmatch(rf"\s*({number})(?:\s*[{DASHES}]\s*({number}))?\s*", cell,
                        flags=re.IGNORECASE)
    side_column = re.search(_SIDE_COLUMN, title)
    if bare is None:
        if cell.strip().lower() in _YES and side_column:
            return lex.each_side
        if cell.strip().lower() in ("no", "n", "-", "\u2013", "nein") and side_column:
            return ""
        return cell
    if side_column and not re.search(r"sec|sek|seg|min|hold|time|dur", title):
        return lex.each_side if cell.strip() not in ("0", "1") else ""
    if re.search(r"\bmin", title):
        unit = lex.units["minute"][0]
    elif re.search(r"breath|atem|respir", title):
        unit = lex.units["breath"][0]
    elif re.search(_SETS_COLUMN, title):
        unit = lex.times[0] if lex.times else "times"
    elif re.search(_REPS_COLUMN, title):
        unit = lex.units["rep"][0]
    else:
        unit = lex.units["second"][0]
    return f"{cell.strip()} {unit}"
