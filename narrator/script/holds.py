"""The user's own hold lengths: --hold, --scale and --minutes applied to a routine."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from narrator.errors import OptionError
from narrator.model import Exercise, Routine
from narrator.options import MAX_HOLD_S, MIN_HOLD_S

_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?\s*$", re.I)


def parse_seconds(text: str, *, option: str = "--hold") -> float:
    """"45", "45s", "1.5m", "2 min" -> seconds."""
    match = _SECONDS.match(text)
    if not match:
        raise OptionError(f"{option} {text!r}: expected seconds, such as 45 or 45s or 1.5m")
    value = float(match.group(1))
    if match.group(2) and match.group(2).lower().startswith("m"):
        value *= 60
    return value


def check_hold(seconds: float, where: str) -> float:
    """`seconds`, if a hold may last that long; else OptionError saying where it came from."""
    if not (math.isfinite(seconds) and MIN_HOLD_S <= seconds <= MAX_HOLD_S):
        raise OptionError(
            f"{where}: a hold of {seconds:g} s is out of range "
            f"({MIN_HOLD_S:g} s to {MAX_HOLD_S / 60:g} min)"
        )
    return seconds


def find_exercise(routine: Routine, selector: str) -> int:
    """Index of the exercise named by its 1-based number or a case-insensitive name match."""
    names = [e.name for e in routine.exercises]
    if selector.strip().isdigit():
        number = int(selector)
        if not 1 <= number <= len(names):
            only = "there is only 1 exercise" if len(names) == 1 else \
                f"there are only {len(names)} exercises"
            raise OptionError(f"--hold {selector}=...: {only}")
        return number - 1
    wanted = selector.strip().lower()
    exact = [i for i, n in enumerate(names) if n.lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    matches = [i for i, n in enumerate(names) if wanted in n.lower()]
    if not matches:
        raise OptionError(f"--hold {selector!r} matches no exercise ({', '.join(names)})")
    if len(matches) > 1:
        found = ", ".join(names[i] for i in matches)
        raise OptionError(f"--hold {selector!r} matches more than one exercise: {found}")
    return matches[0]


def _with_hold(exercise: Exercise, seconds: float) -> Exercise:
    return replace(exercise, holds=tuple(replace(h, seconds=seconds) for h in exercise.holds))


def apply_hold_options(
    routine: Routine, holds: Sequence[str] = (), scale: float | None = None
) -> Routine:
    """--hold N sets every hold; --hold 3=60 or --hold name=60 sets one exercise; then --scale."""
    exercises = list(routine.exercises)
    for spec in holds:
        selector, sep, value = spec.rpartition("=")
        if sep and not selector.strip():
            raise OptionError(f"--hold {spec!r}: expected an exercise's number or name before "
                              "'=', such as 3=60 or piriformis=60")
        seconds = check_hold(parse_seconds(value), f"--hold {spec}")
        if not sep:
            exercises = [_with_hold(e, seconds) for e in exercises]
            continue
        index = find_exercise(routine, selector)
        exercises[index] = _with_hold(exercises[index], seconds)
    if scale is not None:
        if not (math.isfinite(scale) and scale > 0):
            raise OptionError(f"--scale {scale:g}: expected a number above 0")
        exercises = [
            replace(e, holds=tuple(
                replace(h, seconds=check_hold(_scaled(h.seconds, scale), f"--scale {scale:g}"))
                for h in e.holds))
            for e in exercises
        ]
    return replace(routine, exercises=tuple(exercises))


def _scaled(seconds: float, scale: float) -> float:
    """Whole seconds, at least 1; an overflow (--scale 1e308) is left infinite, for
    check_hold to refuse."""
    product = seconds * scale
    return float(max(1, round(product))) if math.isfinite(product) else product


def scale_to_fit(routine: Routine, factor: float) -> Routine:
    """Every hold multiplied by `factor`, in whole seconds (as a person would say them)."""
    return replace(routine, exercises=tuple(
        replace(e, holds=tuple(
            replace(h, seconds=float(min(MAX_HOLD_S, max(MIN_HOLD_S, round(h.seconds * factor)))))
            for h in e.holds))
        for e in routine.exercises
    ))
