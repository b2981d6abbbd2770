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

WORDS = ("stretch", "stretches", "once", "twice", "times", "and", "left", "right", "about",
         "a_few_minutes", "hold_marker", "hold_marker_side")
"""What every language file has under [words]; checked when it is read, like the cues."""


def enabled(kind: str, options: SessionOptions) -> bool:
    """Whether the options let this kind of cue be said."""
    option = CUE[kind].option
    return option is None or bool(getattr(options, option))


@cache
def languages() -> tuple[str, ...]:
    """The codes of every language the voice can speak its cues in."""
    folder = resources.files("narrator.lang").joinpath("cues")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


def narration_language(code: str) -> str:
    """The language the cues are said in for a routine in `code`: its own where there is a
    cue file for it, else English (the parser may read a language before it is narrated)."""
    return code if code in languages() else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class SpeakableWords:
    """How this language says the written forms a voice reads badly (speech/speakable.py)."""

    range: str
    """ "{low} to {high}" for "1-2"."""
    times: str
    """ "{n} times" for "2x"."""
    half: str | None
    """ "half a {unit}" for "1/2 minute", where the language has that rule."""
    units: dict[str, tuple[str, str]]
    """An abbreviation after a number -> (singular, plural)."""


@dataclass(frozen=True)
class Phrases:
    """One language's cue texts, and the words they are made of."""

    code: str
    cues: dict[str, str]
    words: dict[str, str]
    durations: dict[str, str]
    chapters: dict[str, str]
    equipment_words: dict[str, str]
    """The English equipment names the parser and the TOML default give, in this language."""
    cover: dict[str, str]
    speakable: SpeakableWords

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

    def equipment(self, things: tuple[str, ...]) -> str:
        """What to have ready, joined as this language joins a list: "a mat and a strap"."""
        return self.words["and"].join(self.equipment_words.get(t, t) for t in things)

    def hold_marker(self, seconds: float, side: str | None) -> str:
        """How the spoken script marks a hold: "(hold 30 s, left side)"."""
        if side:
            return self.words["hold_marker_side"].format(seconds=f"{seconds:g}",
                                                         side=self.side(side))
        return self.words["hold_marker"].format(seconds=f"{seconds:g}")


@cache
def phrases(code: str = DEFAULT_LANGUAGE) -> Phrases:
    """The cue texts of a language; KeyError if there is no file for it, ValueError if the
    file lacks a cue kind of CUES."""
    if code not in languages():
        raise KeyError(code)
    text = resources.files("narrator.lang").joinpath(f"cues/{code}.toml").read_text(
        encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    missing = [cue.kind for cue in CUES if cue.kind not in data.get("cues", {})]
    missing += [f"words.{w}" for w in WORDS if w not in data.get("words", {})]
    missing += [f"speakable.{k}" for k in ("range", "times", "units")
                if k not in data.get("speakable", {})]
    missing += [f"cover.{k}" for k in ("more", "footer") if k not in data.get("cover", {})]
    if missing:
        raise ValueError(f"lang/cues/{code}.toml has no text for {', '.join(missing)}")
    spoken = data["speakable"]
    speakable = SpeakableWords(
        range=spoken["range"], times=spoken["times"], half=spoken.get("half"),
        units={k.lower(): (v[0], v[1]) for k, v in spoken["units"].items()})
    return Phrases(code, data["cues"], data["words"], data["durations"], data["chapters"],
                   data.get("equipment", {}), data["cover"], speakable)
