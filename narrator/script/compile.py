"""Routine + SessionOptions -> Script: what is said, in what order, and the exact holds.

A pure function of its inputs. Clock times are assigned later by `timeline.schedule`, once
the spoken clips' lengths are known.
"""

from __future__ import annotations

import math

from narrator.model import (
    SAMPLE_RATE,
    Exercise,
    Gap,
    Hold,
    HoldStep,
    Overlay,
    Routine,
    Say,
    Script,
    Section,
    Step,
    seconds_to_samples,
)
from narrator.options import SessionOptions
from narrator.script.holds import check_hold

SENTENCE_PAUSE_S = 0.35
"""Silence after each spoken sentence, so instructions do not run together."""
HALFWAY_MIN_HOLD_S = 20.0
HALFWAY_ROOM_S = 3.0
"""The halfway cue needs this long before the countdown starts."""
INTRO_TITLE = "Introduction"
OUTRO_TITLE = "Finish"


def validate_holds(routine: Routine) -> None:
    for exercise in routine.exercises:
        for hold in exercise.holds:
            check_hold(hold.seconds, exercise.name)


# --------------------------------------------------------------------------- words


def say_duration(seconds: float) -> str:
    """A duration as a person would say it: "30 seconds", "1 minute", "2 minutes 15 seconds"."""
    whole = max(1, round(seconds))
    minutes, rest = divmod(whole, 60)
    if minutes == 0 or (minutes == 1 and rest):
        return f"{whole} second" + ("s" if whole != 1 else "")
    words = f"{minutes} minute" + ("s" if minutes != 1 else "")
    if rest:
        words += f" {rest} second" + ("s" if rest != 1 else "")
    return words


def _side_words(hold: Hold) -> str:
    return f"{hold.side} side" if hold.side else ""


def _first_hold_cue(exercise: Exercise) -> str:
    first = exercise.holds[0]
    repetitions = max(h.repetition for h in exercise.holds)
    parts = []
    if repetitions > 1:
        parts.append(f"You will do this {_times(repetitions)}.")
    if first.side:
        parts.append(f"Start with your {first.side} side.")
    parts.append(f"Hold for {say_duration(first.seconds)}.")
    return " ".join(parts)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _next_hold_cue(previous: Hold, upcoming: Hold) -> str:
    duration = say_duration(upcoming.seconds)
    if upcoming.repetition == previous.repetition and upcoming.side:
        return f"Switch sides. {upcoming.side.capitalize()} side, {duration}."
    side = f" {_side_words(upcoming)}," if upcoming.side else ""
    return f"Release. Once more,{side} {duration}."


def _halfway_cue(remaining_seconds: float) -> str:
    return f"Halfway. {say_duration(remaining_seconds)} to go."


# --------------------------------------------------------------------------- sections


def _hold_overlays(hold: Hold, options: SessionOptions) -> tuple[Overlay, ...]:
    samples = seconds_to_samples(hold.seconds)
    overlays = []
    # Never count from the very first second: the start bell is still ringing there.
    count = min(options.countdown, math.floor(hold.seconds) - 1)
    # On a whole second, like the countdown, so "N seconds to go" is exactly true; and only
    # where it leaves the countdown room to be heard.
    at = math.floor(hold.seconds / 2)
    if options.halfway and hold.seconds >= HALFWAY_MIN_HOLD_S and at + HALFWAY_ROOM_S <= (
        hold.seconds - count
    ):
        overlays.append(Overlay(at * SAMPLE_RATE, _halfway_cue(hold.seconds - at), "halfway"))
    overlays.extend(
        Overlay(samples - k * SAMPLE_RATE, str(k), "countdown") for k in range(count, 0, -1)
    )
    return tuple(sorted(overlays, key=lambda o: o.offset))


def _pause(seconds: float = SENTENCE_PAUSE_S) -> Gap:
    return Gap("pause", seconds_to_samples(seconds))


def _exercise_section(
    exercise: Exercise,
    number: int,
    count: int,
    next_name: str | None,
    round_number: int,
    options: SessionOptions,
) -> Section:
    steps: list[Step] = []
    if round_number > 1 and number == 1:
        steps += [Say(f"Round {round_number} of {options.rounds}."), _pause()]
    steps += [Say(f"Stretch {number} of {count}: {exercise.name}."), _pause()]
    for sentence in exercise.instructions:
        steps += [Say(sentence), _pause()]
    steps += [Say(_first_hold_cue(exercise)), Gap("ready", seconds_to_samples(options.ready))]
    for index, hold in enumerate(exercise.holds):
        steps.append(
            HoldStep(
                exercise=exercise.name,
                side=hold.side,
                repetition=hold.repetition,
                samples=seconds_to_samples(hold.seconds),
                overlays=_hold_overlays(hold, options),
            )
        )
        if index + 1 < len(exercise.holds):
            cue = _next_hold_cue(hold, exercise.holds[index + 1])
            steps.append(Gap("switch", seconds_to_samples(options.switch), cue))
    rest_cue = f"Well done. Next: {next_name}." if next_name else "Well done."
    steps.append(Gap("rest", seconds_to_samples(options.rest), rest_cue))
    title = exercise.name if options.rounds == 1 else f"{exercise.name} (round {round_number})"
    return Section(title=title, steps=tuple(steps), exercise=exercise.name)


def _intro(routine: Routine, total_minutes: int | None, options: SessionOptions) -> Section:
    count = len(routine.exercises)
    holds = sum(len(e.holds) for e in routine.exercises) * options.rounds
    steps: list[Step] = [Say(f"{routine.title}."), _pause(0.6)]
    if routine.description:
        steps += [Say(routine.description), _pause()]
    length = f"about {say_duration(total_minutes * 60)}" if total_minutes else "a few minutes"
    stretches = f"{count} stretch" + ("es" if count != 1 else "")
    steps += [Say(f"This session takes {length}: {stretches}, {holds} holds."), _pause()]
    if routine.equipment:
        steps += [Say(f"You will need {' and '.join(routine.equipment)}."), _pause()]
    if options.bells:
        steps += [Say("A high bell starts each hold, and a low chime ends it."), _pause()]
    steps += [Say("Let's begin."), _pause(1.0)]
    return Section(title=INTRO_TITLE, steps=tuple(steps))


def _outro(routine: Routine) -> Section:
    steps: list[Step] = [
        Say("That is the end of the session. Well done."),
        _pause(),
        Say("Take a few slow breaths before you get up."),
        _pause(2.0),
    ]
    return Section(title=OUTRO_TITLE, steps=tuple(steps))


def compile_routine(
    routine: Routine,
    options: SessionOptions = SessionOptions(),
    *,
    total_minutes: int | None = None,
) -> Script:
    """The whole session as an ordered list of chapters and steps."""
    options.validate()
    validate_holds(routine)
    exercises = [e for e in routine.exercises if e.holds]
    sections = [_intro(routine, total_minutes, options)]
    order = [(r, i, e) for r in range(1, options.rounds + 1) for i, e in enumerate(exercises)]
    for position, (round_number, index, exercise) in enumerate(order):
        upcoming = order[position + 1][2].name if position + 1 < len(order) else None
        sections.append(
            _exercise_section(
                exercise, index + 1, len(exercises), upcoming, round_number, options
            )
        )
    sections.append(_outro(routine))
    return Script(title=routine.title, sections=tuple(sections), routine=routine,
                  bells=options.bells)


def describe(script: Script) -> str:
    """The script as readable text, one step a line: what the compiler's golden files hold."""
    lines = [f"# {script.title}"]
    for section in script.sections:
        lines.append(f"\n## {section.title}")
        for step in section.steps:
            if isinstance(step, Say):
                lines.append(f"say    {step.text}")
            elif isinstance(step, Gap):
                cue = f"  [{step.cue}]" if step.cue else ""
                lines.append(f"{step.kind:<6} {step.samples / SAMPLE_RATE:g} s{cue}")
            else:
                side = f" {step.side}" if step.side else ""
                lines.append(f"hold   {step.samples / SAMPLE_RATE:g} s{side} "
                             f"(repetition {step.repetition})")
                lines.extend(f"         at {o.offset / SAMPLE_RATE:g} s: {o.text}"
                             for o in step.overlays)
    return "\n".join(lines) + "\n"
