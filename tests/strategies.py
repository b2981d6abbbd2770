"""Hypothesis strategies for routines and session options."""

from __future__ import annotations

from hypothesis import strategies as st

from narrator.model import Exercise, Hold, Routine
from narrator.options import SessionOptions

names = st.text(st.characters(categories=("L", "N"), max_codepoint=0x24F), min_size=1,
                max_size=30).map(str.strip).filter(bool)
seconds = st.integers(min_value=1, max_value=600).map(float) | st.floats(
    min_value=1.0, max_value=600.0, allow_nan=False).map(lambda s: round(s, 2))


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    sided = draw(st.booleans())
    reps = draw(st.integers(1, 3))
    hold = draw(seconds)
    holds = tuple(
        Hold(hold, side, rep)
        for rep in range(1, reps + 1)
        for side in (("right", "left") if sided else (None,))
    )
    instructions = tuple(draw(st.lists(names.map(lambda n: n + "."), max_size=3)))
    return Exercise(name=draw(names), instructions=instructions, holds=holds)


routines = st.builds(
    Routine,
    title=names,
    exercises=st.lists(exercises(), min_size=1, max_size=5).map(tuple),
    source=st.just("generated"),
)

session_options = st.builds(
    SessionOptions,
    ready=st.integers(0, 10).map(float),
    switch=st.integers(0, 10).map(float),
    rest=st.integers(0, 10).map(float),
    countdown=st.integers(0, 10),
    halfway=st.booleans(),
    bells=st.booleans(),
    rounds=st.integers(1, 2),
)
