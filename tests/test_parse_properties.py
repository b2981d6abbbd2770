"""Properties of the parser that hold for any input, checked with hypothesis."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.errors import SourceError
from narrator.model import Exercise, Hold, Routine
from narrator.parse import parse_text, routine_to_toml

# Text a TOML file can hold: any character but surrogates (TOML is UTF-8).
toml_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
seconds = st.floats(min_value=0.5, max_value=3600, allow_nan=False, allow_infinity=False)


@st.composite
def holds(draw: st.DrawFn) -> tuple[Hold, ...]:
    if draw(st.booleans()):
        # The regular shape most routines have: same seconds, maybe sides, some repetitions.
        value = draw(seconds)
        sides = draw(st.booleans())
        repeat = draw(st.integers(1, 4))
        order = ("right", "left") if sides else (None,)
        return tuple(Hold(value, side, rep) for rep in range(1, repeat + 1) for side in order)
    return tuple(draw(st.lists(
        st.builds(Hold, seconds, st.sampled_from([None, "right", "left"]), st.integers(1, 5)),
        min_size=1, max_size=5,  # the TOML format refuses an exercise with no hold
    )))


exercises = st.builds(
    Exercise,
    name=toml_text.filter(lambda s: s.strip() != ""),
    instructions=st.lists(toml_text, max_size=3).map(tuple),
    holds=holds(),
    notes=st.lists(toml_text, max_size=2).map(tuple),
)
routines = st.builds(
    Routine,
    title=toml_text,
    exercises=st.lists(exercises, min_size=1, max_size=4).map(tuple),
    source=toml_text,
    author=toml_text,
    description=toml_text,
    equipment=st.lists(toml_text, max_size=2).map(tuple),
    notes=st.lists(toml_text, max_size=2).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(routines)
def test_toml_round_trip(routine: Routine) -> None:
    assert parse_text(routine_to_toml(routine), fmt="toml") == routine


# Words the parser reacts to, so that random text also hits its interesting paths.
WORDS = [
    "1.", "2)", "Step 3:", "A.", "-", "##", "#", "|", "**", "hold", "for", "30", "seconds",
    "20-30", "secs", "a minute", "breaths", "count to", "10", "reps", "each side", "switch",
    "repeat", "twice", "another", "sets", "Child's Pose", "\n", "\n\n", ":", ".", "(", ")",
    "<p>", "</p>", "<h2>", "</h2>", "<li>", "<script>", "[[exercise]]", "=", '"', "½", "\u2013",
    "Posted on", "Related:", "Figure 2", "Sekunden", "segundos", "jede Seite", "cada lado",
]
routine_like = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(string.printable, max_size=6)), max_size=60
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), routine_like),
       st.sampled_from([None, "text", "markdown", "html", "toml"]))
def test_parse_never_crashes(text: str, fmt: str | None) -> None:
    try:
        routine = parse_text(text, fmt=fmt)
    except SourceError as error:
        assert "\n" not in str(error)
        return
    assert routine.exercises
    for exercise in routine.exercises:
        assert exercise.name.strip()
        assert all(h.seconds > 0 for h in exercise.holds)
