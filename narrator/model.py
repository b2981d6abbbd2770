"""The values that flow through the pipeline, each stage's output frozen.

Routine (what the text says) -> Script (what the session does, in order)
-> Timeline (when each thing happens, in samples on one clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SAMPLE_RATE = 44_100
"""Every time in the pipeline is a whole number of samples at this rate (mono, 16-bit)."""


def seconds_to_samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def samples_to_ms(samples: int) -> int:
    return round(samples * 1000 / SAMPLE_RATE)


# --------------------------------------------------------------------------- routine


@dataclass(frozen=True)
class Hold:
    """One timed hold: one side of one repetition of an exercise."""

    seconds: float
    """How long the position is held, from start bell to end bell."""
    side: str | None = None
    """"right", "left", or None for an exercise without sides."""
    repetition: int = 1
    """1-based repetition number; an exercise done twice has holds with 1 and 2."""


@dataclass(frozen=True)
class Sets:
    """An exercise done in sets ("2 sets of 10 reps, 30 s rest").

    The holds stay the one truth of what is done, in order; this says how the text counted
    them and how long to rest between sets. The holds split evenly into `count` sets: one
    hold (a side) a set when the text gives no time per rep ("2 sets of 15": 45 s each),
    one a rep when it does ("2 sets of 10, hold 3 s": twenty holds of 3 s)."""

    count: int
    """How many sets; the exercise's repetitions are a whole multiple of it."""
    reps: int | None = None
    """Reps in each set, or None for a timed set ("3 x 30 s")."""
    rest: float | None = None
    """Seconds of rest between sets, or None for the session's usual pause."""

    def describe(self) -> str:
        """"2 sets of 10 reps, 30 s rest", "3 sets", "12 reps"."""
        reps = f"{self.reps} rep{'s' if self.reps != 1 else ''}" if self.reps else ""
        if self.count == 1:
            text = reps or "1 set"
        else:
            text = f"{self.count} sets" + (f" of {reps}" if reps else "")
        if self.rest is not None and self.count > 1:
            text += f", {self.rest:g} s rest"
        return text


@dataclass(frozen=True)
class Exercise:
    name: str
    """As the routine names it, e.g. "Knees to Chest"."""
    instructions: tuple[str, ...] = ()
    """Speakable sentences, in order: setup first, then tips. No duration-only sentences."""
    holds: tuple[Hold, ...] = ()
    """In the order they are done."""
    notes: tuple[str, ...] = ()
    """What the parser had to guess (a range, a default, breaths...), shown by `plan`."""
    sets: Sets | None = None
    """How the text counted the holds, if it gave them as sets or reps."""

    @property
    def has_sides(self) -> bool:
        return any(h.side is not None for h in self.holds)

    def ends_a_set(self, index: int) -> bool:
        """Whether the hold at `index` is the last of a set that another set follows."""
        if self.sets is None or self.sets.count < 2 or index + 1 >= len(self.holds):
            return False
        per_set = len(self.holds) // self.sets.count
        return per_set > 0 and (index + 1) % per_set == 0


@dataclass(frozen=True)
class Routine:
    title: str
    exercises: tuple[Exercise, ...]
    source: str = ""
    """Where the routine came from: a file name, "-", or "built-in"."""
    author: str = ""
    description: str = ""
    """One or two speakable sentences for the intro."""
    equipment: tuple[str, ...] = ("a mat",)
    notes: tuple[str, ...] = ()
    """Routine-wide guesses and rules, shown by `plan`."""
    language: str = "en"
    """The code of the language it is written in (narrator/lang/<code>.toml): the voice
    speaks its cues in it."""

    @property
    def hold_seconds(self) -> float:
        return sum(h.seconds for e in self.exercises for h in e.holds)


# --------------------------------------------------------------------------- script
# The script is what happens, in order, without clock times: spoken lengths are only
# known once speech is synthesized, so times are assigned later, by `schedule`.


@dataclass(frozen=True)
class Say:
    """Speech that takes its own time on the clock."""

    text: str


@dataclass(frozen=True)
class Gap:
    """A pause of at least `samples`; a cue, if any, is spoken inside it.

    If the cue does not fit, the gap grows: a gap never cuts speech short.
    """

    kind: Literal["ready", "switch", "rest", "pause"]
    samples: int
    cue: str | None = None


@dataclass(frozen=True)
class Overlay:
    """A cue laid over a hold's silence at a fixed offset from the hold's start."""

    offset: int
    text: str
    kind: str
    """A kind of cue that falls in a hold (script/cues.py: CUES)."""


@dataclass(frozen=True)
class HoldStep:
    """A hold of exactly `samples`, from the start bell's onset to the end bell's onset."""

    exercise: str
    side: str | None
    repetition: int
    samples: int
    overlays: tuple[Overlay, ...] = ()


Step = Say | Gap | HoldStep


@dataclass(frozen=True)
class Section:
    """One chapter: the intro, one exercise (in one round), or the outro."""

    title: str
    steps: tuple[Step, ...]
    exercise: str | None = None


@dataclass(frozen=True)
class Script:
    title: str
    sections: tuple[Section, ...]
    bells: bool = True

    def said_in_order(self) -> list[str]:
        """Every text spoken, in the order it is heard, repeats included."""
        texts: list[str] = []
        for section in self.sections:
            for step in section.steps:
                if isinstance(step, Say):
                    texts.append(step.text)
                elif isinstance(step, Gap) and step.cue:
                    texts.append(step.cue)
                elif isinstance(step, HoldStep):
                    texts.extend(overlay.text for overlay in step.overlays)
        return texts

    @property
    def spoken_texts(self) -> tuple[str, ...]:
        """Every distinct text the synthesizer must produce, in first-use order."""
        return tuple(dict.fromkeys(self.said_in_order()))


# --------------------------------------------------------------------------- timeline

EventKind = Literal["speech", "bell", "hold", "ready", "switch", "rest", "pause"]


@dataclass(frozen=True)
class Event:
    """Something on the clock, from `start` (inclusive) to `end` (exclusive), in samples."""

    kind: EventKind
    start: int
    end: int
    text: str | None = None
    """What is said (speech), or which bell ("start" / "end")."""
    exercise: str | None = None
    side: str | None = None
    repetition: int | None = None
    overlay: bool = False
    """True for sound laid over a hold or gap rather than taking its own time."""

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.text is not None:
            d["text"] = self.text
        if self.exercise is not None:
            d["exercise"] = self.exercise
        if self.kind == "hold":
            d["side"] = self.side
            d["repetition"] = self.repetition
        if self.overlay:
            d["overlay"] = True
        return d


@dataclass(frozen=True)
class Chapter:
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Timeline:
    title: str
    total: int
    """Length of the whole session, in samples."""
    events: tuple[Event, ...]
    chapters: tuple[Chapter, ...]
    sample_rate: int = field(default=SAMPLE_RATE)

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "sample_rate": self.sample_rate,
            "total": self.total,
            "chapters": [
                {"title": c.title, "start": c.start, "end": c.end} for c in self.chapters
            ],
            "events": [e.as_dict() for e in self.events],
        }
