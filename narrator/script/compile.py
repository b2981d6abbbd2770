"""Routine + SessionOptions -> Script: what is said, in what order, and the exact holds.

A pure function of its inputs. Clock times are assigned later by `timeline.schedule`, once
the spoken clips' lengths are known.
"""

from __future__ import annotations

import math

from narrator.errors import OptionError, SourceError
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
from narrator.script.cues import DEFAULT_LANGUAGE, Phrases, enabled, phrases
from narrator.script.holds import check_hold

SENTENCE_PAUSE_S = 0.35
"""Silence after each spoken sentence, so instructions do not run together."""
HALFWAY_MIN_HOLD_S = 20.0
HALFWAY_ROOM_S = 3.0
"""The halfway cue needs this long before the countdown starts."""


def validate_holds(routine: Routine) -> None:
    """Holds the options did not set come from the routine itself: one out of range is a
    problem of the routine (SourceError, exit 3, naming its file), not of an option."""
    for exercise in routine.exercises:
        for hold in exercise.holds:
            try:
                check_hold(hold.seconds, exercise.name)
            except OptionError as exc:
                raise SourceError(exc.message, path=routine.source or None) from None


# --------------------------------------------------------------------------- words


def _first_hold_cue(exercise: Exercise, say: Phrases) -> str:
    first = exercise.holds[0]
    repetitions = max(h.repetition for h in exercise.holds)
    parts = []
    if repetitions > 1:
        parts.append(say.say("repetitions", times=say.times(repetitions)))
    if first.side:
        parts.append(say.say("first_side", side=say.side(first.side)))
    parts.append(say.say("hold_for", duration=say.duration(first.seconds)))
    return " ".join(parts)


def _next_hold_cue(previous: Hold, upcoming: Hold, say: Phrases) -> str:
    duration = say.duration(upcoming.seconds)
    if upcoming.repetition == previous.repetition and upcoming.side:
        side = say.side(upcoming.side)
        return say.say("switch_sides", side=side, Side=side.capitalize(), duration=duration)
    if upcoming.side:
        return say.say("once_more_side", side=say.side(upcoming.side), duration=duration)
    return say.say("once_more", duration=duration)


# --------------------------------------------------------------------------- sections


def _hold_overlays(hold: Hold, options: SessionOptions, say: Phrases) -> tuple[Overlay, ...]:
    samples = seconds_to_samples(hold.seconds)
    overlays = []
    # Never count from the very first second: the start bell is still ringing there.
    count = min(options.countdown, math.floor(hold.seconds) - 1)
    # On a whole second, like the countdown, so "N seconds to go" is exactly true; and only
    # where it leaves the countdown room to be heard.
    at = math.floor(hold.seconds / 2)
    if enabled("halfway", options) and hold.seconds >= HALFWAY_MIN_HOLD_S and (
        at + HALFWAY_ROOM_S <= hold.seconds - count
    ):
        text = say.say("halfway", remaining=say.duration(hold.seconds - at))
        overlays.append(Overlay(at * SAMPLE_RATE, text, "halfway"))
    overlays.extend(
        Overlay(samples - k * SAMPLE_RATE, say.say("countdown", n=k), "countdown")
        for k in range(count, 0, -1)
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
    say: Phrases,
) -> Section:
    steps: list[Step] = []
    if round_number > 1 and number == 1:
        steps += [Say(say.say("round", round=round_number, rounds=options.rounds)), _pause()]
    steps += [Say(say.say("announce", number=number, count=count, name=exercise.name)),
              _pause()]
    for sentence in exercise.instructions:
        steps += [Say(sentence), _pause()]
    steps += [Say(_first_hold_cue(exercise, say)),
              Gap("ready", seconds_to_samples(options.ready))]
    for index, hold in enumerate(exercise.holds):
        steps.append(
            HoldStep(
                exercise=exercise.name,
                side=hold.side,
                repetition=hold.repetition,
                samples=seconds_to_samples(hold.seconds),
                overlays=_hold_overlays(hold, options, say),
            )
        )
        if index + 1 < len(exercise.holds):
            upcoming = exercise.holds[index + 1]
            cue = _next_hold_cue(hold, upcoming, say)
            if exercise.sets is not None and exercise.sets.rest is not None and (
                    exercise.ends_a_set(index)):
                # Between sets the text's own rest, with the cue of any pause between holds.
                steps.append(Gap("rest", seconds_to_samples(exercise.sets.rest), cue))
            else:
                steps.append(Gap("switch", seconds_to_samples(options.switch), cue))
    rest_cue = say.say("next", name=next_name) if next_name else say.say("last_done")
    steps.append(Gap("rest", seconds_to_samples(options.rest), rest_cue))
    title = exercise.name if options.rounds == 1 else say.chapters["exercise_in_round"].format(
        name=exercise.name, round=round_number)
    return Section(title=title, steps=tuple(steps), exercise=exercise.name)


def _intro(routine: Routine, total_minutes: int | None, options: SessionOptions,
           say: Phrases) -> Section:
    count = len(routine.exercises)
    holds = sum(len(e.holds) for e in routine.exercises) * options.rounds
    steps: list[Step] = [Say(say.say("title", title=routine.title)), _pause(0.6)]
    if routine.description:
        steps += [Say(routine.description), _pause()]
    length = (say.words["about"].format(duration=say.duration(total_minutes * 60))
              if total_minutes else say.words["a_few_minutes"])
    steps += [Say(say.say("length", length=length, stretches=say.stretches(count),
                          holds=say.holds(holds))), _pause()]
    if routine.equipment:
        steps += [Say(say.say("equipment", equipment=say.equipment(routine.equipment))),
                  _pause()]
    if enabled("bells", options):
        steps += [Say(say.say("bells")), _pause()]
    steps += [Say(say.say("begin")), _pause(1.0)]
    return Section(title=say.chapters["intro"], steps=tuple(steps))


def _outro(say: Phrases) -> Section:
    steps: list[Step] = [
        Say(say.say("end")),
        _pause(),
        Say(say.say("get_up")),
        _pause(2.0),
    ]
    return Section(title=say.chapters["outro"], steps=tuple(steps))


def compile_routine(
    routine: Routine,
    options: SessionOptions = SessionOptions(),
    *,
    total_minutes: int | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Script:
    """The whole session as an ordered list of chapters and steps, its cues in `language`
    (a file in narrator/lang/cues)."""
    options.validate()
    validate_holds(routine)
    say = phrases(language)
    exercises = [e for e in routine.exercises if e.holds]
    sections = [_intro(routine, total_minutes, options, say)]
    order = [(r, i, e) for r in range(1, options.rounds + 1) for i, e in enumerate(exercises)]
    for position, (round_number, index, exercise) in enumerate(order):
        upcoming = order[position + 1][2].name if position + 1 < len(order) else None
        sections.append(
            _exercise_section(
                exercise, index + 1, len(exercises), upcoming, round_number, options, say
            )
        )
    sections.append(_outro(say))
    return Script(title=routine.title, sections=tuple(sections), bells=options.bells)


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
