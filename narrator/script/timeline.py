"""Script + clip lengths -> Timeline: every event placed on one sample clock.

The steps tile the session end to end; bells and cues are laid over them. A gap grows to
fit its cue; a hold never changes length, and a cue that would not fit inside it is dropped
rather than allowed to run over another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from narrator.model import (
    Chapter,
    Event,
    Gap,
    HoldStep,
    Overlay,
    Say,
    Script,
    Timeline,
    seconds_to_samples,
)
from narrator.script.cues import OVERLAY_PRIORITY

BELL_CLEARANCE = seconds_to_samples(0.7)
"""A cue right after a hold waits this long, so it does not talk over the end bell's strike."""
GAP_TAIL = seconds_to_samples(0.5)
"""Silence kept after a gap's cue before whatever comes next."""
OVERLAY_MARGIN = seconds_to_samples(0.1)
"""Smallest silence between two cues laid over the same hold."""


def _fit_overlays(
    step: HoldStep, clip_samples: Mapping[str, int]
) -> list[tuple[Overlay, int]]:
    """The overlays that fit inside the hold without touching each other, most important first."""
    accepted: list[tuple[Overlay, int]] = []
    for overlay in sorted(step.overlays, key=lambda o: (OVERLAY_PRIORITY[o.kind], o.offset)):
        length = clip_samples[overlay.text]
        start, end = overlay.offset, overlay.offset + length
        if start < 0 or end > step.samples:
            continue
        if any(
            start < other.offset + other_len + OVERLAY_MARGIN
            and other.offset < end + OVERLAY_MARGIN
            for other, other_len in accepted
        ):
            continue
        accepted.append((overlay, length))
    return sorted(accepted, key=lambda pair: pair[0].offset)


def schedule(
    script: Script,
    clip_samples: Mapping[str, int],
    bell_samples: tuple[int, int] = (0, 0),
) -> Timeline:
    """Place every step of `script` on the clock.

    clip_samples: the length of every spoken text's clip; bell_samples: the start and end
    bells' lengths (used only when the script has bells).
    """
    events: list[Event] = []
    chapters: list[Chapter] = []
    t = 0
    after_hold = False
    for section in script.sections:
        section_start = t
        for step in section.steps:
            if isinstance(step, Say):
                length = clip_samples[step.text]
                events.append(Event("speech", t, t + length, text=step.text,
                                    exercise=section.exercise))
                t += length
            elif isinstance(step, Gap):
                lead = BELL_CLEARANCE if after_hold and script.bells else 0
                length = step.samples
                if step.cue is not None:
                    cue_length = clip_samples[step.cue]
                    length = max(length, lead + cue_length + GAP_TAIL)
                    events.append(Event("speech", t + lead, t + lead + cue_length,
                                        text=step.cue, exercise=section.exercise,
                                        overlay=True))
                events.append(Event(step.kind, t, t + length, exercise=section.exercise))
                t += length
            elif isinstance(step, HoldStep):
                end = t + step.samples
                events.append(Event("hold", t, end, exercise=step.exercise, side=step.side,
                                    repetition=step.repetition))
                if script.bells:
                    events.append(Event("bell", t, t + bell_samples[0], text="start",
                                        exercise=step.exercise, overlay=True))
                    events.append(Event("bell", end, end + bell_samples[1], text="end",
                                        exercise=step.exercise, overlay=True))
                for overlay, length in _fit_overlays(step, clip_samples):
                    start = t + overlay.offset
                    events.append(Event("speech", start, start + length, text=overlay.text,
                                        exercise=step.exercise, overlay=True))
                t = end
            after_hold = isinstance(step, HoldStep)
        chapters.append(Chapter(section.title, section_start, t))
    # The last bell's ring is part of the session even if nothing follows it.
    total = max([t, *(e.end for e in events)])
    if total > t:
        events.append(Event("pause", t, total))
    if chapters:
        last = chapters[-1]
        chapters[-1] = Chapter(last.title, last.start, total)
    events.sort(key=lambda e: e.start)  # stable: a step stays before what is laid over it
    return Timeline(title=script.title, total=total, events=tuple(events),
                    chapters=tuple(chapters))


def extend(timeline: Timeline, total: int) -> Timeline:
    """The timeline lengthened with silence to `total` samples, in its last chapter."""
    if total <= timeline.total:
        return timeline
    last = timeline.chapters[-1]
    return replace(
        timeline,
        total=total,
        events=(*timeline.events, Event("pause", timeline.total, total)),
        chapters=(*timeline.chapters[:-1], Chapter(last.title, last.start, total)),
    )
