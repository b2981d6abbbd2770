"""Invariants of the schedule, over generated routines and options."""

from __future__ import annotations

from itertools import pairwise

from fakes import clip_lengths
from hypothesis import given, settings
from strategies import routines, session_options

from narrator.model import Routine, Timeline, seconds_to_samples
from narrator.options import SessionOptions
from narrator.script.compile import compile_routine
from narrator.script.timeline import schedule

BELLS = (seconds_to_samples(1.6), seconds_to_samples(1.9))


def _timeline(routine: Routine, options: SessionOptions) -> Timeline:
    script = compile_routine(routine, options, total_minutes=3)
    return schedule(script, clip_lengths(script.spoken_texts), BELLS)


@settings(max_examples=150, deadline=None)
@given(routines, session_options)
def test_steps_tile_the_session_end_to_end(routine: Routine, options: SessionOptions) -> None:
    timeline = _timeline(routine, options)
    tiles = [e for e in timeline.events if not e.overlay]
    assert tiles[0].start == 0
    for before, after in pairwise(tiles):
        assert before.end == after.start, (before, after)
    assert tiles[-1].end == timeline.total
    assert sum(e.end - e.start for e in tiles) == timeline.total


@settings(max_examples=150, deadline=None)
@given(routines, session_options)
def test_every_hold_is_exactly_its_length(routine: Routine, options: SessionOptions) -> None:
    timeline = _timeline(routine, options)
    holds = [e for e in timeline.events if e.kind == "hold"]
    expected = [seconds_to_samples(h.seconds) for _ in range(options.rounds)
                for e in routine.exercises for h in e.holds]
    assert [h.end - h.start for h in holds] == expected
    if options.bells:
        onsets = {e.start for e in timeline.events if e.kind == "bell"}
        for hold in holds:
            assert hold.start in onsets and hold.end in onsets
    else:
        assert not any(e.kind == "bell" for e in timeline.events)


@settings(max_examples=150, deadline=None)
@given(routines, session_options)
def test_cues_never_overlap_and_stay_inside_their_place(
    routine: Routine, options: SessionOptions
) -> None:
    timeline = _timeline(routine, options)
    speech = sorted((e for e in timeline.events if e.kind == "speech"), key=lambda e: e.start)
    for before, after in pairwise(speech):
        assert before.end <= after.start, (before, after)
    tiles = [e for e in timeline.events if not e.overlay]
    for cue in (e for e in speech if e.overlay):
        host = next(t for t in tiles if t.start <= cue.start < t.end)
        assert cue.end <= host.end, (cue, host)
        assert host.kind in ("hold", "switch", "rest")


@settings(max_examples=150, deadline=None)
@given(routines, session_options)
def test_chapters_are_contiguous_and_end_with_the_session(
    routine: Routine, options: SessionOptions
) -> None:
    timeline = _timeline(routine, options)
    chapters = timeline.chapters
    assert len(chapters) == 2 + len(routine.exercises) * options.rounds
    assert chapters[0].start == 0 and chapters[-1].end == timeline.total
    for before, after in pairwise(chapters):
        assert before.end == after.start and before.start < before.end


@settings(max_examples=50, deadline=None)
@given(routines, session_options)
def test_compiling_twice_gives_the_same_script(routine: Routine, options: SessionOptions) -> None:
    assert compile_routine(routine, options) == compile_routine(routine, options)
