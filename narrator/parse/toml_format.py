"""Our own routine format: a commented TOML file a person can edit, read back exactly.

    title = "Seven stretches"
    [[exercise]]
    name = "Knees to Chest"
    instructions = ["Stay on your back.", "Bring one knee up towards your chest."]
    hold = 30          # seconds per hold
    sides = true       # right, then left
    repeat = 2         # the whole exercise, twice

An exercise whose holds are not that regular lists them: `holds = [30, 45]`, or in
full: `holds = [{ seconds = 30, side = "right", repetition = 1 }, ...]`.

An exercise done in sets says so; its holds split evenly into the sets, one a set (timed sets)
or one a rep (a hold per rep):

    sets = { count = 2, reps = 10, rest = 30 }   # reps and rest are optional
    hold = 30          # seconds per hold

`repeat` may then be left out: it is the number of sets.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from narrator.errors import SourceError
from narrator.model import Exercise, Hold, Routine, Sets

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

SIDES = ("right", "left")

# --------------------------------------------------------------------------- writing


def _string(text: str) -> str:
    """A TOML basic string; every character a TOML file can hold comes back as it was."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _number(value: float) -> str:
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def _string_list(values: tuple[str, ...], indent: str = "") -> str:
    if not values:
        return "[]"
    items = "".join(f"{indent}  {_string(v)},\n" for v in values)
    return f"[\n{items}{indent}]"


def _regular(holds: tuple[Hold, ...]) -> tuple[float, bool, int] | None:
    """(seconds, sides, repeat) if the holds are the regular pattern those keys describe."""
    if not holds:
        return None
    seconds = holds[0].seconds
    sides = holds[0].side is not None
    per_rep = 2 if sides else 1
    if len(holds) % per_rep:
        return None
    repeat = len(holds) // per_rep
    expected = tuple(
        Hold(seconds, side, rep)
        for rep in range(1, repeat + 1)
        for side in (SIDES if sides else (None,))
    )
    if holds != expected:
        return None
    return seconds, sides, repeat


def _sets_line(sets: Sets) -> str:
    parts = [f"count = {sets.count}"]
    if sets.reps is not None:
        parts.append(f"reps = {sets.reps}")
    if sets.rest is not None:
        parts.append(f"rest = {_number(sets.rest)}")
    return (f"sets = {{ {', '.join(parts)} }}  # {sets.describe()}; the holds split evenly "
            "into the sets, rest in seconds between them")


def _holds_lines(holds: tuple[Hold, ...], sets: Sets | None = None) -> list[str]:
    regular = _regular(holds)
    if regular is not None:
        seconds, sides, repeat = regular
        lines = [
            f"hold = {_number(seconds)}  # seconds per hold",
            f"sides = {'true' if sides else 'false'}  # true: done on the right, then the left",
        ]
        if sets is None or sets.count != repeat:
            lines.append(f"repeat = {repeat}  # how many times the whole exercise is done")
        return lines
    if all(h.side is None for h in holds) and all(
        h.repetition == i for i, h in enumerate(holds, start=1)
    ):
        listed = ", ".join(_number(h.seconds) for h in holds)
        return [f"holds = [{listed}]  # seconds of each hold, in order"]
    lines = ["# Each hold in order: seconds, side (\"right\", \"left\" or none), repetition.",
             "holds = ["]
    for h in holds:
        side = f", side = {_string(h.side)}" if h.side is not None else ""
        lines.append(f"  {{ seconds = {_number(h.seconds)}{side}, repetition = {h.repetition} }},")
    lines.append("]")
    return lines


def routine_to_toml(routine: Routine) -> str:
    """The routine as commented TOML; `parse_text(text, fmt="toml")` gives it back exactly."""
    lines = [
        "# A narrator routine. Edit it, then build it: narrator build this-file.toml",
        "# Times are in seconds. Lines starting with # are comments.",
        "",
        "# The title is spoken at the start and tags the MP3.",
        f"title = {_string(routine.title)}",
        "# Who wrote the routine (optional).",
        f"author = {_string(routine.author)}",
        "# One or two sentences spoken after the title (optional).",
        f"description = {_string(routine.description)}",
        "# Where the routine came from.",
        f"source = {_string(routine.source)}",
        "# The language it is written in (en, de, es, fr, it, pt): the voice speaks in it.",
        f"language = {_string(routine.language)}",
        "# What to have ready.",
        f"equipment = {_string_list(routine.equipment)}",
        "# What the parser guessed for the routine as a whole; not spoken.",
        f"notes = {_string_list(routine.notes)}",
    ]
    for exercise in routine.exercises:
        lines += [
            "",
            "[[exercise]]",
            "# The exercise's name, spoken and used as the chapter title.",
            f"name = {_string(exercise.name)}",
            "# Spoken before the first hold, in order.",
            f"instructions = {_string_list(exercise.instructions)}",
            *([_sets_line(exercise.sets)] if exercise.sets is not None else []),
            *_holds_lines(exercise.holds, exercise.sets),
            "# What the parser guessed for this exercise; not spoken.",
            f"notes = {_string_list(exercise.notes)}",
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- reading


ROUTINE_KEYS = ("title", "author", "description", "source", "language", "equipment", "notes",
                "exercise", "exercises", "session")
EXERCISE_KEYS = ("name", "instructions", "hold", "holds", "sides", "repeat", "sets", "notes")
HOLD_KEYS = ("seconds", "side", "repetition")


class _Reader:
    """Reads the TOML tables into the model, naming the exact key when a value is wrong."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str) -> SourceError:
        return SourceError(message, path=self.source or None)

    def known(self, table: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
        """A key the format does not have is an error: ignored, a typo such as `hodl = 45`
        would leave the default hold in its place without a word."""
        import difflib

        for key in table:
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else \
                    f" (known: {', '.join(keys)})"
                raise self.fail(f"{where}unknown key {key!r}{hint}")

    def text(self, table: dict[str, Any], key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.fail(f"{where}{key} must be a string, not {type(value).__name__}")
        return value

    def texts(self, table: dict[str, Any], key: str, where: str,
              default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if key not in table:
            return default
        value = table[key]
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}{key} must be a list of strings")
        return tuple(value)

    def seconds(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{where} must be a number of seconds, not {value!r}")
        if not value > 0 or not math.isfinite(value):
            raise self.fail(f"{where} must be a positive number of seconds, not {value!r}")
        return float(value)

    def sets(self, table: dict[str, Any], where: str) -> Sets | None:
        if "sets" not in table:
            return None
        value = table["sets"]
        if not isinstance(value, dict):
            raise self.fail(f"{where}sets must be a table such as {{ count = 2, reps = 10 }}")
        unknown = sorted(set(value) - {"count", "reps", "rest"})
        if unknown:
            raise self.fail(f"{where}sets.{unknown[0]} is not a key of sets "
                            "(expected count, reps, rest)")
        count = self.whole(value.get("count"), f"{where}sets.count", 1, 100)
        reps = value.get("reps")
        rest = value.get("rest")
        return Sets(
            count=count,
            reps=None if reps is None else self.whole(reps, f"{where}sets.reps", 1, 1000),
            rest=None if rest is None else self.seconds(rest, f"{where}sets.rest"),
        )

    def whole(self, value: object, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(f"{where} must be a whole number from {low} to {high}")
        return value

    def holds(self, table: dict[str, Any], where: str, sets: Sets | None = None,
              ) -> tuple[Hold, ...]:
        holds = self._holds(table, where, sets)
        per_rep = 2 if any(h.side is not None for h in holds) else 1
        made = len(holds) // per_rep
        if sets is not None and (made == 0 or made % sets.count):
            raise self.fail(f"{where}sets.count is {sets.count} but the holds make {made} "
                            "repetitions, which do not split into that many sets")
        return holds

    def _holds(self, table: dict[str, Any], where: str, sets: Sets | None) -> tuple[Hold, ...]:
        if "holds" in table:
            listed = table["holds"]
            if not isinstance(listed, list):
                raise self.fail(f"{where}holds must be a list")
            if not listed:
                raise self.fail(f"{where}holds = [] gives no hold: list at least one, or "
                                "remove the exercise")
            return tuple(self.hold(item, f"{where}holds[{i}]", i + 1)
                         for i, item in enumerate(listed))
        seconds = self.seconds(table.get("hold", 30), f"{where}hold")
        sides = table.get("sides", False)
        repeat = table.get("repeat", sets.count if sets is not None else 1)
        if not isinstance(sides, bool):
            raise self.fail(f"{where}sides must be true or false")
        if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= 100:
            raise self.fail(f"{where}repeat must be a whole number from 1 to 100")
        return tuple(
            Hold(seconds, side, rep)
            for rep in range(1, repeat + 1)
            for side in (SIDES if sides else (None,))
        )

    def hold(self, item: object, where: str, position: int) -> Hold:
        if not isinstance(item, dict):
            # A plain list of seconds is one hold per repetition: [20, 25] is 20 s, then 25 s.
            return Hold(self.seconds(item, where), None, position)
        self.known(item, HOLD_KEYS, f"{where}: ")
        seconds = self.seconds(item.get("seconds"), f"{where}.seconds")
        side = item.get("side")
        if side is not None and not isinstance(side, str):
            raise self.fail(f"{where}.side must be \"right\" or \"left\"")
        repetition = item.get("repetition", 1)
        if isinstance(repetition, bool) or not isinstance(repetition, int) or repetition < 1:
            raise self.fail(f"{where}.repetition must be a whole number from 1")
        return Hold(seconds, side, repetition)


def routine_from_toml(text: str, source: str = "") -> Routine:
    """Read our TOML format; SourceError, naming the key or line, if it is not valid."""
    reader = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise reader.fail(f"not valid TOML: {error}") from None
    except RecursionError:
        raise reader.fail("not valid TOML: nested too deeply") from None
    reader.known(data, ROUTINE_KEYS, "")
    exercises_data = data.get("exercise", data.get("exercises", []))
    if isinstance(exercises_data, dict):
        exercises_data = [exercises_data]
    if not isinstance(exercises_data, list):
        raise reader.fail("[[exercise]] must be a list of tables")
    exercises: list[Exercise] = []
    for index, table in enumerate(exercises_data, start=1):
        where = f"exercise {index}: "
        if not isinstance(table, dict):
            raise reader.fail(f"{where}must be a table with a name")
        reader.known(table, EXERCISE_KEYS, where)
        name = reader.text(table, "name", where)
        if not name.strip():
            raise reader.fail(f"{where}name is missing")
        sets = reader.sets(table, where)
        exercises.append(Exercise(
            name=name,
            instructions=reader.texts(table, "instructions", where),
            holds=reader.holds(table, where, sets),
            notes=reader.texts(table, "notes", where),
            sets=sets,
        ))
    if not exercises:
        raise reader.fail("no exercise found: expected [[exercise]] tables with a name and hold")
    return Routine(
        title=reader.text(data, "title", "", default="Stretching routine"),
        exercises=tuple(exercises),
        source=source or reader.text(data, "source", ""),
        author=reader.text(data, "author", ""),
        description=reader.text(data, "description", ""),
        equipment=reader.texts(data, "equipment", "", default=("a mat",)),
        notes=reader.texts(data, "notes", ""),
        language=reader.text(data, "language", "", default="en"),
    )


def looks_like_toml(text: str) -> bool:
    stripped = "\n".join(
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
    return "[[exercise]]" in stripped or "[[exercises]]" in stripped
