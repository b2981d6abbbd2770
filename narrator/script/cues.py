"""The cue table: every kind of thing the voice says, where it may fall, and what turns it on.

The words themselves are data, one file per language (narrator/lang/cues/<code>.toml), so a
language adds texts and touches no code. A new kind of cue is one entry in CUES, its text
in each language file, the lines of compile.py that place it, and a golden case.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from narrator.options import SessionOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

Place = Literal["intro", "exercise", "hold", "switch", "rest", "outro"]


@dataclass(frozen=True)
class Cue:
    kind: str
    """Its key under [cues] in every language file."""
    falls: Place
    """Where in a session it may be said: a chapter's spoken part, laid over a hold's
    silence, or inside the gap between sides ("switch") or exercises ("rest")."""
    option: str | None = None
    """The SessionOptions field that turns it on (a true or non-zero value), if any."""
    priority: int = 0
    """Over one hold, when two cues would touch, the lower priority is kept."""


CUES: tuple[Cue, ...] = (
    Cue("title", "intro"),
    Cue("length", "intro"),
    Cue("equipment", "intro"),
    Cue("bells", "intro", option="bells"),
    Cue("begin", "intro"),
    Cue("round", "exercise"),
    Cue("announce", "exercise"),
    Cue("repetitions", "exercise"),
    Cue("first_side", "exercise"),
    Cue("hold_for", "exercise"),
    Cue("countdown", "hold", option="countdown", priority=0),
    Cue("halfway", "hold", option="halfway", priority=1),
    Cue("switch_sides", "switch"),
    Cue("once_more", "switch"),
    Cue("once_more_side", "switch"),
    Cue("next", "rest"),
    Cue("last_done", "rest"),
    Cue("end", "outro"),
    Cue("get_up", "outro"),
)
CUE = {cue.kind: cue for cue in CUES}

OVERLAY_PRIORITY = {cue.kind: cue.priority for cue in CUES if cue.falls == "hold"}
"""The cues laid over a hold, and which of them wins when two would touch."""

DEFAULT_LANGUAGE = "en"


def enabled(kind: str, options: SessionOptions) -> bool:
    """Whether the options let this kind of cue be said."""
    option = CUE[kind].option
    return option is None or bool(getattr(options, option))


def languages() -> tuple[str, ...]:
    """The codes of every language the voice can speak its cues in."""
    folder = resources.files("narrator.lang").joinpath("cues")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@dataclass(frozen=True)
class Phrases:
    """One language's cue texts, and the words they are made of."""

    code: str
    cues: dict[str, str]
    words: dict[str, str]
    durations: dict[str, str]
    chapters: dict[str, str]

    def say(self, kind: str, **fields: Any) -> str:
        return self.cues[kind].format(**fields)

    def duration(self, seconds: float) -> str:
        """A duration as a person would say it: "30 seconds", "1 minute", "2 minutes 15
        seconds"."""
        whole = max(1, round(seconds))
        minutes, rest = divmod(whole, 60)
        if minutes == 0 or (minutes == 1 and rest):
            return self._count("second", whole)
        words = self._count("minute", minutes)
        if rest:
            words = self.durations["minutes_and_seconds"].format(
                minutes=words, seconds=self._count("second", rest))
        return words

    def _count(self, unit: str, n: int) -> str:
        return self.durations[unit if n == 1 else unit + "s"].format(n=n)

    def stretches(self, n: int) -> str:
        return self.words["stretch" if n == 1 else "stretches"].format(n=n)

    def holds(self, n: int) -> str:
        return self.words["hold" if n == 1 else "holds"].format(n=n)

    def times(self, n: int) -> str:
        """How many times an exercise is done: "once", "twice", "3 times"."""
        return {1: self.words["once"], 2: self.words["twice"]}.get(
            n, self.words["times"].format(n=n))

    def side(self, side: str) -> str:
        """A side as the routine names it ("left", "right") in this language."""
        return self.words.get(side, side)


@cache
def phrases(code: str = DEFAULT_LANGUAGE) -> Phrases:
    """The cue texts of a language; KeyError if there is no file for it, ValueError if the
    file lacks a cue kind of CUES."""
    if code not in languages():
        raise KeyError(code)
    text = resources.files("narrator.lang").joinpath(f"cues/{code}.toml").read_text(
        encoding="utf-8")
    data: dict[str, dict[str, str]] = tomllib.loads(text)
    missing = [cue.kind for cue in CUES if cue.kind not in data.get("cues", {})]
    if missing:
        raise ValueError(f"lang/cues/{code}.toml has no text for {', '.join(missing)}")
    return Phrases(code, data["cues"], data["words"], data["durations"], data["chapters"])
