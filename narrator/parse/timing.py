"""Reading time out of words: durations, sides and repetitions, and cutting them out of sentences.

Every word comes from the language data (`Lexicon`); this module only knows the shapes:
a number, maybe a range, maybe an adjective, then a unit ("20-30 seconds", "5 deep
breaths", "a minute or two"); "3 times", "2 sets", "another 30"; a side phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from typing import Any, Literal, Protocol

from narrator.parse.lang import Lexicon, alternation, phrase_regex

QuantityKind = Literal["hold", "plain", "rest", "progression", "pace"]

MAX_HOLD_SECONDS = 600.0
REP_LIKE_TIMES = 5
"""From this many times on, "repeat N times" counts reps of one movement, not rounds."""
"""A duration read from free text above this is not a hold (options.MAX_HOLD_S)."""
MAX_HOLDS_SAID = 4
"""More different holds than this in one exercise are options or a history, not a sequence."""


@dataclass(frozen=True)
class Quantity:
    """A number of units found in a text, e.g. 20-30 seconds."""

    low: float
    high: float
    unit: str
    """"second", "minute", "breath", "count" or "rep"."""
    start: int
    end: int
    kind: QuantityKind = "plain"
    text: str = ""

    @property
    def is_range(self) -> bool:
        return self.high != self.low


@dataclass(frozen=True)
class Timing:
    """What a text says about how an exercise is timed."""

    durations: tuple[Quantity, ...] = ()
    """Every duration found (seconds, minutes, breaths, counts), in order."""
    reps: Quantity | None = None
    """A rep count ("10 reps"), if any."""
    sides: bool = False
    times: int | None = None
    """How many times the exercise is done ("repeat 3 times", "2 sets", "twice")."""
    times_text: str = ""
    repeat_unnumbered: bool = False
    """`times` is 2 only because the text says "and repeat" with no number: a routine's
    own count ("repeat each one three times") says how often better."""
    times_per_side: bool = False
    """The count is said for each side of a movement that names both ways ("den Kopf nach
    rechts und nach links drehen. 3 Mal nach jeder Seite")."""
    another: int = 0
    """Extra repetitions ("repeat for another 30")."""
    split: bool = False
    """The duration covers both sides ("1:30, switch halfway"): each side gets half."""
    sets: int | None = None
    """How many sets, when the text counts them so ("2 sets of 15", "3 x 10", "Sets: 2");
    `times` then holds the same number."""
    distance: bool = False
    """The text gives a distance ("20-30 m strides"): no hold can be read from it."""
    ignored: tuple[str, ...] = ()
    """Durations that make no sense as a hold ("660 s", "0 seconds"), as written."""
    left_first: bool = False
    """The first side the text names is the left ("step the left foot forward ...")."""
    one_side: str | None = None
    """"left" or "right" when a field names the one side it is done on ("Side: Left")."""
    in_all: bool = False
    """The count is of both sides together ("Do 4 repetitions in all", then "repeat with
    the left leg": two on each side), where no side phrase counts it for each side."""

    @property
    def main_duration(self) -> Quantity | None:
        """The hold: the first one said with a hold verb, else the first plain one, else any.

        A breath or count given next to seconds ("five deep breaths, about 30 seconds")
        gives way to the seconds: they say exactly what the breaths only suggest.
        """
        for kinds in (("hold",), ("plain",), ("progression",), ("rest",)):
            for q in self.durations:
                if q.kind in kinds:
                    return self._in_seconds(q)
        return None

    def _in_seconds(self, q: Quantity) -> Quantity:
        if q.unit not in ("breath", "count"):
            return q
        for other in self.durations:
            near = other.start - q.end if other.start >= q.end else q.start - other.end
            if other.unit == "second" and other.kind in ("hold", "plain") and 0 <= near <= 40:
                return other
        return q

    @property
    def holds(self) -> tuple[Quantity, ...]:
        """Several different holds said one after the other ("hold 10 seconds, then lower
        further and hold 30 seconds"): every duration said with a hold verb, when they
        differ; else just the main one."""
        said = list(dict.fromkeys(self._in_seconds(q) for q in self.durations
                                  if q.kind == "hold"))
        # Overlapping values ("(20 seconds)" in the name, "hold 20-30 seconds" below) are one
        # hold said twice; only values that cannot be the same hold are several.
        apart = all(a.high < b.low or b.high < a.low
                    for i, a in enumerate(said) for b in said[i + 1 :])
        if 1 < len(said) <= MAX_HOLDS_SAID and apart:
            return tuple(said)
        main = self.main_duration
        return (main,) if main is not None else ()

    @property
    def says_anything(self) -> bool:
        return bool(self.durations or self.reps or self.sides or self.times or self.another)

    @property
    def gives_dose(self) -> bool:
        """Whether the text says how long or how often: a duration, reps, sets or times."""
        return bool(self.has_duration or self.reps or self.times or self.another)

    @property
    def has_duration(self) -> bool:
        return any(q.kind != "rest" for q in self.durations)


class _Searcher(Protocol):
    """What the passes ask of a pattern: a compiled one or a `_Guarded` one."""

    def finditer(self, string: str, /) -> Iterator[re.Match[str]]: ...
    def search(self, string: str, /) -> re.Match[str] | None: ...
    def findall(self, string: str, /) -> list[Any]: ...
    def sub(self, repl: str, string: str, /) -> str: ...


class _Guarded:
    """The pattern `before + needed + after`, compiled only once a text holds `needed`.

    Every pattern with a number in it holds every number word of the language, and costs
    milliseconds to compile; most texts never say "another", "count of" or "reps:", so for
    them that is wasted. A text without a match of `needed` cannot match the whole pattern,
    so the answer is the same either way.
    """

    def __init__(self, before: str, needed: str, after: str = "") -> None:
        self._needed = re.compile(needed, re.IGNORECASE)
        self._source = before + needed + after

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(self._source, re.IGNORECASE)

    def finditer(self, string: str, /) -> Iterator[re.Match[str]]:
        return self._pattern.finditer(string) if self._needed.search(string) else iter(())

    def search(self, string: str, /) -> re.Match[str] | None:
        return self._pattern.search(string) if self._needed.search(string) else None

    def findall(self, string: str, /) -> list[Any]:
        return self._pattern.findall(string) if self._needed.search(string) else []

    def sub(self, repl: str, string: str, /) -> str:
        return self._pattern.sub(repl, string) if self._needed.search(string) else string


@dataclass(frozen=True)
class _Patterns:
    quantity: re.Pattern[str]
    count_lead: _Guarded
    count_around: re.Pattern[str]
    fixed: re.Pattern[str]
    another: _Guarded
    times: re.Pattern[str]
    times_word: re.Pattern[str]
    sets: _Guarded
    sides: re.Pattern[str]
    repeat_once: re.Pattern[str]
    frequency: re.Pattern[str]
    unit_of: dict[str, str]
    lead: re.Pattern[str]
    side_after: re.Pattern[str]
    each_after: re.Pattern[str]
    each_stretch: re.Pattern[str]
    in_all: re.Pattern[str]
    alternates: re.Pattern[str]
    sides_in_turn: re.Pattern[str]
    clock: re.Pattern[str]
    compound: _Guarded
    times_prefix: re.Pattern[str]
    rep_label: _Guarded
    set_label: _Guarded
    side_name: re.Pattern[str]
    not_sides_before: re.Pattern[str]
    not_sides_after: re.Pattern[str]
    breath_pace: re.Pattern[str]
    breath_in_out: re.Pattern[str]
    preferred: re.Pattern[str] | None
    breath_halves: tuple[re.Pattern[str], ...]
    split: re.Pattern[str]
    side_repeat: re.Pattern[str]
    distance: re.Pattern[str]
    sets_of: _Guarded
    sets_plain: _Guarded
    sets_by: re.Pattern[str]
    rep_noun: _Guarded
    count_per_side: re.Pattern[str]
    range_extend: re.Pattern[str]
    more_word: re.Pattern[str]
    goes_on: re.Pattern[str]
    unit_after: re.Pattern[str]
    rep_after: re.Pattern[str]
    other_side: re.Pattern[str]
    set_word_after: re.Pattern[str]
    counts_of: _Guarded
    first_side: re.Pattern[str]
    one_side: re.Pattern[str]
    alternation: re.Pattern[str]
    alternate_switch: re.Pattern[str]
    rep_definition: re.Pattern[str]
    alternative: re.Pattern[str]
    repeat_both: re.Pattern[str]


def _label(word: str) -> str:
    """A field label before its number: "Reps: 10", or "Reps 10" at a line's start or after a
    field separator ("Sets 3 · Reps 5")."""
    return (rf"(?m)(?:(?<![\w]){word}\s*[:=]|(?:^|(?<=[\u00b7|\u2022;\t])|"
            rf"(?<=[\u00b7|\u2022;.]\s))\s*{word}(?=\s+\d))")


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return f"(?:{alternation(words)})" if words else "(?!x)x"


@cache
def patterns(lex: Lexicon) -> _Patterns:
    num = lex.number_pattern
    unit_of = {w: unit for unit, words in lex.units.items() for w in words}
    unit = rf"(?:{alternation(list(unit_of))})(?![\w])"
    adjectives = rf"(?:\s+{_alt(lex.adjectives)})"
    joiner = _alt(lex.range_joiners)
    quantity = re.compile(
        rf"(?:(?<![\w.,])|(?<=\d[x\u00d7]))(?P<n1>{num})(?:[\s-]*(?P<u1>{unit}))?"
        rf"(?:\s*(?P<join>{joiner})\s*(?P<n2>{num}))?"
        rf"{adjectives}{{0,2}}(?:[\s-]*(?P<u2>{unit}))?",
        re.IGNORECASE,
    )
    count_lead = _Guarded("", rf"(?<![\w]){_alt(lex.count_lead)}\s+", rf"(?P<n1>{num})(?![\w])")
    fixed = re.compile(rf"(?<![\w]){_alt(list(lex.fixed_seconds))}(?![\w])", re.IGNORECASE)
    another = _Guarded(
        # "another 30", "another 30 seconds", "one more minute": a number or a unit must follow.
        "",
        rf"(?<![\w]){_alt(lex.another)}",
        rf"(?:(?:\s+(?P<n>{num}))(?:[\s-]*(?P<u>{unit}))?|[\s-]*(?P<u2>{unit}))(?![\w])",
    )
    # "3 times", "2-3 times", "twice", "2 more times", "twice more", "noch zweimal".
    # German hyphenates a count and leaves the first half open: "10-mal", "5- bis 10-mal".
    number_range = rf"(?P<n1>{num})(?:\s*-?\s*(?:{_alt(lex.range_joiners)})\s*(?P<n2>{num}))?"
    more_before = rf"(?P<before>{_alt(lex.more_before)}\s+)?"
    more = rf"(?P<more>\s+{_alt(lex.more)})?"
    times = re.compile(
        rf"(?<![\w.]){more_before}{number_range}(?P<more1>\s+{_alt(lex.more)})?"
        rf"[\s-]*(?P<t>{_alt(lex.times)}){more}(?![^\W\d])",
        re.IGNORECASE,
    )
    times_word = re.compile(
        rf"(?<![\w]){more_before}(?P<w>{_alt(list(lex.times_words))}){more}(?![\w])",
        re.IGNORECASE,
    )
    sets = _Guarded(rf"(?<![\w.]){number_range}{adjectives}{{0,2}}",
                    rf"\s+(?P<s>{_alt(lex.sets)})(?![\w])")
    minute_unit = _alt(lex.units["minute"])
    second_unit = _alt(lex.units["second"])
    side_names = _alt(lex.side_names)
    timed_units = _alt([w for u in ("second", "minute", "breath", "count") for w in lex.units[u]])
    rep_words = _alt([*lex.units["rep"], *lex.rep_nouns])
    return _Patterns(
        set_word_after=re.compile(
            # "Reps: 3 sets": the number is the sets'; not "Reps: 5   Series: 2", a new label.
            rf"{adjectives}{{0,2}}\s*{_alt(lex.sets)}(?![\w])(?!\s*[:=])", re.IGNORECASE),
        counts_of=_Guarded(
            # "4 counts of 8": four eights, 32 counts.
            rf"(?<![\w.,])(?P<n1>{num})\s+",
            rf"{_alt(lex.units['count'])}\s+{_alt(lex.sets_of)}\s+",
            rf"(?P<n2>{num})(?![\w])",
        ),
        distance=re.compile(
            # "20-30 m strides", "walk 100 metres", "a 60 x 90 cm mat": lengths, not times.
            rf"(?<![\w.,])(?P<d1>{num})(?:\s*(?:{joiner}|(?P<by>[x\u00d7]))\s*(?:{num}))?\s*"
            rf"(?P<du>{_alt(lex.distance)})(?![\w])",
            re.IGNORECASE,
        ),
        sets_of=_Guarded(
            # "2 sets of 15", "3 series de 10", "2 Sätze à 12": a count, then reps in each set.
            rf"(?<![\w.]){number_range}{adjectives}{{0,2}}\s+",
            rf"(?P<s>{_alt(lex.sets)})\s*(?:{_alt(lex.sets_of)}|[x\u00d7:])\s*",
            rf"(?P<r1>{num})(?:\s*(?:{joiner})\s*(?P<r2>{num}))?(?![\w])",
        ),
        sets_plain=_Guarded(rf"(?<![\w.]){number_range}{adjectives}{{0,2}}",
                            rf"\s+(?P<s>{_alt(lex.sets)})(?![\w])"),
        sets_by=re.compile(
            # "3 x 10", "3x30 s", "2 x 15 reps": sets by what each set holds.
            rf"(?<![\w.,:/])(?P<n1>\d{{1,2}})\s*[x\u00d7]\s*(?P<r1>{num})"
            rf"(?:\s*(?:{joiner})\s*(?P<r2>{num}))?(?![\w.,:]\d|\d)",
            re.IGNORECASE,
        ),
        more_word=re.compile(rf"(?<![\w]){_alt(lex.more)}(?![\w])", re.IGNORECASE),
        goes_on=re.compile(rf"(?<![\w]){_alt([*lex.side_repeat, *lex.other_leads])}(?![\w])",
                           re.IGNORECASE),
        range_extend=re.compile(
            rf"\s*,?\s*{_alt(lex.range_extends)}\s+(?P<n>{num})(?![\w])", re.IGNORECASE),
        count_per_side=re.compile(
            # "5 per side", "3 each leg", "6-8 por lado": a bare count given per side is reps.
            rf"(?<![\w.,:/])(?P<n1>{num})(?:\s*(?:{joiner})\s*(?P<n2>{num}))?"
            rf"(?=\s*(?:{_alt(lex.sides)})(?![\w]))",
            re.IGNORECASE,
        ),
        rep_noun=_Guarded(
            # "10-12 lunges on each side", "15 squats", "20 ankle pumps": reps named by the
            # movement, maybe after the body part it moves.
            rf"(?<![\w.,])(?P<n1>{num})(?:\s*(?:{joiner})\s*(?P<n2>{num}))?"
            rf"{adjectives}{{0,2}}(?:\s+(?P<part>[^\W\d_]{{3,}}(?:-[^\W\d_]+)?))?\s+",
            rf"{_alt(lex.rep_nouns)}(?![\w])",
        ),
        unit_after=re.compile(rf"{adjectives}{{0,2}}[\s-]*{timed_units}(?![\w])",
                              re.IGNORECASE),
        rep_after=re.compile(rf"{adjectives}{{0,2}}[\s-]*{rep_words}(?![\w])", re.IGNORECASE),
        other_side=re.compile(
            # "repeat with the other leg", "then the other side", "répétez avec l'autre jambe":
            # a second side. "Keep the other leg straight" places the leg, so it needs a lead.
            rf"(?<![\w]){_alt(lex.other_leads)}(?![\w])"
            # "the same" leads "do the same with the other leg", not "step forward on the
            # same leg and kick the opposite leg": there it is a limb's, in one movement.
            rf"(?!(?<=same)\s+{_alt([w for w in lex.one_sided if ' ' not in w])}(?![\w]))"
            rf"[^.;:!?]{{0,30}}?(?<![\w]){_alt(lex.other_sides)}(?![\w])"
            # "Turn the other way and repeat" names the side before the verb; but "keep the
            # other leg straight and repeat 10 times" counts reps of one movement.
            rf"|(?<![\w]){_alt(lex.other_sides)}(?![\w])[^.;:!?]{{0,30}}?"
            rf"(?<![\w]){_alt(lex.other_after)}(?![\w])"
            rf"(?![^.;:!?,]{{0,15}}?(?<![\w])(?:{num})(?![\w]))",
            re.IGNORECASE,
        ),
        clock=re.compile(
            # "1:00", "0:45", "2:30 min": minutes and seconds as a timer shows them; not a time
            # of day ("9:14:22", "10:30 am").
            rf"(?<![\w:.,/])(?P<m>\d{{1,2}}):(?P<s>[0-5]\d)(?![\d:])"
            rf"(?!\s*(?:{_alt(lex.clock_not_after)})(?!\w))(?:\s*{minute_unit}(?!\w))?",
            re.IGNORECASE,
        ),
        compound=_Guarded(
            rf"(?<![\w.,])(?P<m>{num})[\s-]*",
            rf"{minute_unit}(?:\s*,)?\s+",
            rf"(?:{_alt(lex.plus)}\s+)?(?P<s>{num})[\s-]*{second_unit}(?!\w)",
        ),
        # "x 3", "Hold 30 seconds x 3.": not "x 3.5" nor "x3b".
        times_prefix=re.compile(r"(?<![\w.])[x\u00d7]\s?(?P<n1>\d{1,2})(?![\w]|[.,]\d)",
                                re.IGNORECASE),
        rep_label=_Guarded(
            "",
            _label(_alt(lex.units["rep"])),
            rf"\s*(?P<n1>{num})(?:\s*(?:{joiner})\s*(?P<n2>{num}))?(?![\w])",
        ),
        set_label=_Guarded(
            "",
            _label(_alt(lex.sets)),
            rf"\s*(?P<n1>{num})(?:\s*(?:{joiner})\s*(?P<n2>{num}))?(?![\w])",
        ),
        one_side=re.compile(
            # "Side: Left", "Side Left": a field naming the one side the exercise is done on.
            rf"(?m)(?:^|(?<=[\u00b7|\u2022;,\t])|(?<=[\u00b7|\u2022;,]\s)|(?<![\w]))"
            rf"{_alt(lex.side_label)}\s*[:=]?\s*(?P<side>{side_names}|{_alt(lex.left_names)})"
            rf"(?![\w])",
            re.IGNORECASE,
        ),
        side_name=re.compile(rf"(?<![\w]){side_names}(?![\w])", re.IGNORECASE),
        alternation=re.compile(rf"(?<![\w]){_alt(lex.alternation)}(?![\w])", re.IGNORECASE),
        alternate_switch=re.compile(
            # A number before it in the sentence (the hold), nothing after it.
            rf"\d[^.;:!?]{{0,40}}?(?<![\w]){_alt(lex.alternate_switch)}\s*(?=[.;!?]|$)",
            re.IGNORECASE),
        alternative=re.compile(
            # "Hold for 20 seconds or 2 X 10 to 12 seconds": the dose after "or" is a choice.
            rf"(?<![\w.,]){num}[\s-]*(?:{minute_unit}|{second_unit})(?![\w])\s*,?\s+"
            rf"(?P<alt>(?:{_alt(lex.alternatives)})\s+(?:{num})(?![\w])[^.;,!?\n]*)",
            re.IGNORECASE,
        ),
        rep_definition=re.compile(rf"(?<![\w]){_alt(lex.rep_definition)}(?![\w])",
                                  re.IGNORECASE),
        repeat_both=re.compile(
            # "Repetimos el gesto con las dos piernas.", "Repeat on both legs.": a repeat
            # verb that also leads to the other side, then both limbs closing the sentence.
            # Not "bend both knees" (no repeat), nor "repeat 10 times with both feet" (a count).
            rf"(?<![\w]){_alt([w for w in lex.repeat if w in lex.other_leads])}(?![\w])"
            rf"[^.;:!?\d]{{0,40}}?(?<![\w]){_alt(lex.both_limbs)}\s+[^\W\d_]+\s*(?=[.;!?]|$)",
            re.IGNORECASE),
        # At the end of the words before some seconds: "breathe in for", "in for".
        breath_pace=re.compile(rf"(?<![\w]){_alt(lex.breath_pace)}\s*$"),
        preferred=re.compile(rf"(?<![\w]){_alt(lex.preferred)}(?![\w])", re.IGNORECASE)
        if lex.preferred else None,
        breath_in_out=re.compile(rf"(?<![\w]){_alt(lex.breath_in_out)}\s*$"),
        # Each half of "in for 3 seconds, out for 3 seconds", before its number.
        breath_halves=tuple(re.compile(rf"(?<![\w]){re.escape(half)}\s+\d")
                            for half in lex.breath_in_out),
        not_sides_after=re.compile(rf"\s+(?:{_alt(lex.not_sides_after)})(?![\w])", re.IGNORECASE),
        not_sides_before=re.compile(rf"(?<![\w]){_alt(lex.not_sides_before)}\s+$",
                                    re.IGNORECASE),
        split=re.compile(rf"(?<![\w]){_alt(lex.split_sides)}(?![\w])", re.IGNORECASE),
        side_repeat=re.compile(
            # "then turn to the left.", "repeat with the left leg": the other side, said by name;
            # where the side follows its noun, "ripetete l'operazione con la gamba sinistra".
            rf"(?<![\w]){_alt(lex.side_repeat)}\b[^.;:!?]{{0,40}}?(?<![\w])"
            rf"(?:{_alt(lex.side_articles)})\s+(?:[^\W\d_]+\s+)?{side_names}"
            rf"(?:\s+[^\W\d_]+)?(?:\s+{_alt(lex.and_hold)})?\s*(?=[.;,!?)]|$)"
            # "repeat bending the left leg", "ripeti piegando la gamba sinistra": the repeat's
            # own verb, then the side by name. Only a word of repeating leads so ("then lift
            # the left leg" may be a step of one movement).
            rf"|(?<![\w]){_alt([w for w in lex.side_repeat if w in lex.repeat])}\s+"
            rf"[^\W\d_]+\s+(?:{_alt(lex.articles)})\s+(?:[^\W\d_]+\s+)?{side_names}"
            rf"(?:\s+[^\W\d_]+)?\s*(?=[.;,!?)]|$)",
            re.IGNORECASE,
        ),
        quantity=quantity,
        count_lead=count_lead,
        count_around=re.compile(
            # "langsam bis 5 zählen": the verb after the number, where the language puts it.
            "|".join(rf"(?<![\w]){alternation([a.strip()])}\s+(?P<n{i}>{num})\s+{alternation([b.strip()])}(?![\w])"
                     for i, (a, b) in enumerate(w.split("{n}") for w in lex.count_around))
            or r"(?!x)x",
            re.IGNORECASE,
        ),
        fixed=fixed,
        another=another,
        times=times,
        times_word=times_word,
        sets=sets,
        # "60s/side": a phrase that starts with "/" may follow a word straight on.
        sides=re.compile(rf"(?:(?<![\w])|(?=/)){_alt(lex.sides)}(?![\w])", re.IGNORECASE),
        first_side=re.compile(
            rf"(?<![\w]){_alt([*lex.side_names, *lex.left_names])}(?![\w])", re.IGNORECASE),
        # A phrase of one more go, or a sentence of the repeat verb alone ("Hold 15 s. Repeat.")
        repeat_once=re.compile(rf"(?<![\w]){_alt(lex.repeat_once)}(?![\w])|(?:^|(?<=[.!?]))"
                               rf"\s*(?:{_alt(lex.repeat)})\s*(?=[.!](?:\s|$)|$)",
                               re.IGNORECASE | re.MULTILINE),
        frequency=re.compile(rf"^\s*{_alt(lex.frequency)}(?![\w])", re.IGNORECASE),
        unit_of=unit_of,
        lead=re.compile(rf"(?:{_alt(lex.duration_lead)})\s*$", re.IGNORECASE),
        each_after=re.compile(rf"\s+{_alt(lex.each_after)}\s*(?=[.,;!)]|$)", re.IGNORECASE),
        # "Each stretch should be held ...": the stretches are what "each" counts.
        each_stretch=re.compile(rf"(?<![\w]){_alt(lex.each_after)}\s+{_alt(lex.title_words)}"
                                rf"(?![\w])", re.IGNORECASE),
        in_all=re.compile(rf"(?<![\w]){_alt(lex.in_all)}(?![\w])", re.IGNORECASE),
        # Right after a hold ("Hold for 30 seconds Alternate legs"), or after a stop.
        sides_in_turn=phrase_regex(lex.sides_in_turn),
        alternates=re.compile(rf"(?:^|[.;!?])\s*{_alt(lex.alternate_sides)}(?![\w])",
                              re.IGNORECASE),
        side_after=re.compile(rf"\s*(?:on\s+|with\s+|for\s+)?{_alt(lex.sides)}(?![\w])",
                              re.IGNORECASE),
    )


def _key(phrase: str) -> str:
    """A matched phrase as its word list writes it: lower case, single spaces, straight '."""
    return re.sub(r"\s+", " ", phrase.lower()).replace("\u2019", "'")


PREFERRED_GAP = 30
"""Characters at most between "ideally" and the time it prefers ("am besten aber eine ganze
Minute")."""


def _least_before_preferred(text: str, quantities: list[Quantity],
                            lex: Lexicon) -> list[Quantity]:
    """The times said as the least before the one preferred in the same sentence ("hold at
    least 30 seconds, ideally a whole minute", "mindestens 30 Sekunden, am besten aber eine
    ganze Minute"): they are no hold of their own."""
    p = patterns(lex)
    if p.preferred is None:
        return []
    timed = [q for q in quantities if q.unit == "second"]
    least: list[Quantity] = []
    for m in p.preferred.finditer(text):
        after = next((q for q in timed if m.end() <= q.start <= m.end() + PREFERRED_GAP
                      and not re.search(r"[.;!?]", text[m.end() : q.start])), None)
        if after is None:
            continue
        least += [q for q in timed if q.end <= m.start() and q.high < after.low
                  and not re.search(r"[.;!?]", text[q.end : m.start()])]
    return least


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# --------------------------------------------------------------------------- quantities


def find_quantities(text: str, lex: Lexicon) -> tuple[list[Quantity], str]:
    """Durations, rep and set counts in a text, and the text with them blanked out."""
    found, masked, _ = _find_quantities(text, lex)
    return found, masked


def _find_quantities(text: str, lex: Lexicon) -> tuple[list[Quantity], str, list[Quantity]]:
    """As `find_quantities`, and the durations left out for making no sense as a hold."""
    p = patterns(lex)
    found: list[Quantity] = []
    masked = text
    for m in p.distance.finditer(masked):
        found.append(Quantity(0, 0, "distance", m.start(), m.end(), text=m.group(0)))
        sets = lex.number_value(m.group("d1")) if m.group("by") else None
        if sets and sets == int(sets) and 2 <= sets <= MAX_DISTANCE_SETS and (
                _key(m.group("du")) not in MEASURES):
            # "3 x 15 m": three runs of 15 m, each a hold of the rule or the default. A mat's
            # "60 x 90 cm" is a size.
            found.append(Quantity(sets, sets, "set", m.start(), m.start(), text=m.group("d1")))
    for m in p.fixed.finditer(masked):
        seconds = lex.fixed_seconds[_key(m.group(0))]
        found.append(Quantity(seconds, seconds, "second", m.start(), m.end(), text=m.group(0)))
    for m in p.compound.finditer(masked):
        minutes, secs = lex.number_value(m.group("m")), lex.number_value(m.group("s"))
        if minutes is not None and secs is not None and secs < 60:
            value = minutes * 60 + secs
            found.append(Quantity(value, value, "second", m.start(), m.end(), text=m.group(0)))
    for m in p.clock.finditer(masked):
        if any(q.start <= m.start() < q.end for q in found) or _timestamp(text, m, lex):
            masked = _mask(masked, m.start(), m.end())
            continue
        value = int(m.group("m")) * 60 + int(m.group("s"))
        if value > 0:  # "0:00" is a video's start, not a hold
            found.append(Quantity(value, value, "second", m.start(), m.end(), text=m.group(0)))
    for q in found:
        masked = _mask(masked, q.start, q.end)
    for m in p.counts_of.finditer(masked):
        groups, size = lex.number_value(m.group("n1")), lex.number_value(m.group("n2"))
        if groups and size:
            found.append(Quantity(groups * size, groups * size, "count", m.start(), m.end(),
                                  text=m.group(0)))
            masked = _mask(masked, m.start(), m.end())
    for pattern in (p.rep_label, p.set_label):
        for m in pattern.finditer(masked):
            if p.set_word_after.match(masked, m.end()) or p.unit_after.match(masked, m.end()):
                continue  # "Sets & Reps: 3 sets x 15 m": the label's number is the sets'
            if p.times.match(masked, m.start("n1")):
                continue  # "Repetition: 4 times to the left": times, read as times
            low = lex.number_value(m.group("n1"))
            high = lex.number_value(m.group("n2")) if m.group("n2") else low
            if low and high and high >= low:
                unit = "rep" if pattern is p.rep_label else "set"
                found.append(Quantity(low, high, unit, m.start(), m.end(), text=m.group(0)))
                masked = _mask(masked, m.start(), m.end())
    masked = _sets(masked, lex, found)
    for m in p.rep_noun.finditer(masked):
        if m.group("part") and not m.group("n1")[:1].isdigit():
            continue  # "one palm presses up" is no count: a body part needs digits before it
        low = lex.number_value(m.group("n1"))
        high = lex.number_value(m.group("n2")) if m.group("n2") else low
        if low and high and high >= low:
            found.append(Quantity(low, high, "rep", m.start(), m.end(), text=m.group(0)))
            masked = _mask(masked, m.start(), m.end())
    for m in p.another.finditer(masked):
        masked = _mask(masked, m.start(), m.end())  # counted as a repetition, not a duration
    for m in [*p.count_lead.finditer(masked), *p.count_around.finditer(masked)]:
        counted = lex.number_value(next(g for g in m.groups() if g is not None))
        if counted:
            found.append(Quantity(counted, counted, "count", m.start(), m.end(), text=m.group(0)))
            masked = _mask(masked, m.start(), m.end())
    for m in p.quantity.finditer(masked):
        one = _quantity(m, lex, p.unit_of)
        if one is None:
            continue
        hours = p.unit_of.get(_key(m.group("u2") or m.group("u1") or "")) == "hour"
        if hours and _with_kind(one, text, lex).kind != "hold":
            continue  # "every 2 hours", "for 48-72 hours after": no hold, and no note
        found.append(one)
    for q in found:
        masked = _mask(masked, q.start, q.end)
    for index, q in enumerate(found):
        # "Hold for at least 30 seconds, and up to 45": the bare number is in seconds too.
        words = q.text.split()
        top = p.range_extend.match(masked, q.end)
        if top and words and p.unit_of.get(_key(words[-1])) == "second":
            high = lex.number_value(top.group("n"))
            if high is not None and high > q.high:
                found[index] = Quantity(q.low, high, q.unit, q.start, top.end(), q.kind,
                                        text[q.start : top.end()])
                masked = _mask(masked, q.start, top.end())
    for m in p.count_per_side.finditer(masked):
        low = lex.number_value(m.group("n1"))
        high = lex.number_value(m.group("n2")) if m.group("n2") else low
        before = masked[max(0, m.start() - 30) : m.start()].lower().split()
        if not low or not high or high < low or any(w in lex.hold for w in before[-3:]):
            continue  # "hold 30 each side" leaves its unit out: not a count of reps
        found.append(Quantity(low, high, "rep", m.start(), m.end(), text=m.group(0)))
        masked = _mask(masked, m.start(), m.end())
    found = sorted((q for q in found if not _whole_session(q, text, lex)), key=lambda q: q.start)
    kept = [_with_kind(q, text, lex) for q in found if _makes_sense(q)]
    return kept, masked, [q for q in found if not _makes_sense(q)]


MAX_DISTANCE_SETS = 10
"""More runs than this of one distance ("60 x 90 cm") is a size, not sets."""

MEASURES = frozenset({"cm", "mm", "inch", "inches", "in", "ft", "feet", "foot"})
"""Units of a thing's size, never of a run: "60 x 90 cm" is a mat."""

SESSION_MIN_SECONDS = 120
"""A session said to take less than this is more likely one stretch's time."""


def _whole_session(q: Quantity, text: str, lex: Lexicon) -> bool:
    """A page's reading time ("2 min read", "Lesezeit: 3 Min.") or the whole session's length
    ("this takes 10 minutes", "la séance dure 15 minutes en tout"): no stretch's hold."""
    if q.unit != "second":
        return False
    clause = re.split(r"[.;!?\n\u00b7|]", text[max(0, q.start - 60) : q.start].lower())[-1]
    words = " ".join(clause.split()[-5:])
    # After the number, only in the same sentence: "2 min read", "10 minutes in total", but
    # not "2 min" then a field "Total: 8 minutes" run into the same text.
    following = text[q.end : q.end + 30].lstrip(" \t-\u2013\u2014")
    after = "" if following[:1].isupper() else text[q.end : q.end + 30].lower()
    reading = _alt(lex.reading_time) if lex.reading_time else None
    if reading and (re.match(rf"[^\w\n]{{0,3}}(?:{reading})(?!\w)", after)
                    or re.search(rf"(?<!\w)(?:{reading})\W{{0,3}}$", words)):
        return True
    if q.high < SESSION_MIN_SECONDS:
        return False
    if lex.warm_up and lex.warm_up_before:
        start = max(text.rfind(c, 0, q.start) for c in ".!?\n") + 1
        ends = [i for i in (text.find(c, q.end) for c in ".!?\n") if i >= 0]
        sentence = text[start : min(ends, default=len(text))]
        if re.search(rf"(?<!\w)(?:{_alt(lex.warm_up)})(?!\w)", sentence, re.IGNORECASE) and (
                re.search(rf"(?<!\w)(?:{_alt(lex.warm_up_before)})(?!\w)", sentence,
                          re.IGNORECASE)):
            return True  # "Before stretching, walk briskly for 5-10 minutes"
    if not lex.session_length:
        return False
    return bool(re.search(rf"(?<!\w)(?:{_alt(lex.session_length)})(?!\w)", words)
                or re.match(rf"[^\S\n]{{1,2}}(?:{_alt(lex.session_length)})(?!\w)", after))


def _timestamp(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """A clock that starts a line with a name after it ("02:25 Standing quad stretch"), or that
    follows "video" ("Video ▶ 0:48"), is where something starts or how long a film is; two
    joined by a dash are a span of the day."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    before = text[line_start : m.start()]
    # "5:00-7:00 Yoga class": a span of the day, as a timetable gives it.
    if re.match(r"\s*[-\u2013\u2014]\s*\d{1,2}:[0-5]\d", text[m.end() :]) or re.search(
            r"\d{1,2}:[0-5]\d\s*[-\u2013\u2014]\s*$", before):
        return True
    # "9:30 a 14:00", "open 8:00 to 18:30": clocks joined in words, one past any hold, are
    # opening hours; "1:30 to 2:00" is a hold's range.
    joiners = _alt(lex.range_joiners)
    after = re.match(rf"\s*(?:{joiners})\s*(\d{{1,2}}):([0-5]\d)\b", text[m.end() :])
    other = after or re.search(rf"\b(\d{{1,2}}):([0-5]\d)\s*(?:{joiners})\s*$", before)
    if other is not None and max(int(m.group("m")), int(other[1])) * 60 > MAX_HOLD_SECONDS:
        return True
    if not before.strip(" \t-*\u2022>[](") and re.match(r"\s*[-\u2013\u2014|]?\s*[^\W\d_]",
                                                      text[m.end() :]):
        return True
    # "21/03/2021 06:00": a date's time of day, when the page was posted.
    if re.search(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4},?\s*$", before):
        return True
    # "Video ▶ 0:48", "Video ansehen (2:41)": a word may stand between.
    return bool(re.search(rf"(?<![\w]){_alt(lex.figure_words)}(?:\W+[^\W\d_]+)?\W{{0,4}}$", before,
                          re.IGNORECASE))


def _unit_at(text: str, start: int, lex: Lexicon) -> bool:
    """Whether a number and its unit start here: "10 rounds of breath" is breaths, not sets."""
    p = patterns(lex)
    m = p.quantity.match(text, start)
    return m is not None and _quantity(m, lex, p.unit_of) is not None


def _makes_sense(q: Quantity) -> bool:
    """A hold of nothing, or of more than ten minutes, is a typo, a total or a year."""
    if q.unit == "distance":
        return True
    limit = MAX_HOLD_SECONDS if q.unit == "second" else 500
    return q.low > 0 and q.high <= limit


def _sets(masked: str, lex: Lexicon, found: list[Quantity]) -> str:
    """Read "2 sets of 15", "3 x 10", "3 x 30 s" and "2 sets" into set counts and reps,
    blanking what was read; a set's own duration ("30 s") is left for the duration pass."""
    p = patterns(lex)
    searchers: tuple[_Searcher, ...] = (p.sets_of, p.sets_by)
    for pattern in searchers:
        for m in pattern.finditer(masked):
            if _unit_at(masked, m.start(), lex):
                continue
            if p.frequency.match(masked[m.start("r1") :]) or p.frequency.match(masked[m.end() :]):
                continue  # "5x a week" ("a" is one) is how often the routine is done
            count = _pick_number(m.group("n1"), m.groupdict().get("n2"), lex)
            reps_low = lex.number_value(m.group("r1"))
            reps_high = lex.number_value(m.group("r2")) if m.group("r2") else reps_low
            if not count or not reps_low or not reps_high or reps_high < reps_low:
                continue
            if p.unit_after.match(masked, m.end()):
                # "3 x 30 s": timed sets; the "30 s" is read as the hold.
                found.append(Quantity(count, count, "set", m.start(), m.start("r1"),
                                      text=masked[m.start() : m.start("r1")]))
                masked = _mask(masked, m.start(), m.start("r1"))
                continue
            unit = p.rep_after.match(masked, m.end())
            end = unit.end() if unit else m.end()
            found.append(Quantity(count, count, "set", m.start(), m.start("r1"),
                                  text=masked[m.start() : m.start("r1")]))
            found.append(Quantity(reps_low, reps_high, "rep", m.start("r1"), end,
                                  text=masked[m.start("r1") : end]))
            masked = _mask(masked, m.start(), end)
    for m in p.sets_plain.finditer(masked):
        if p.more_word.search(m.group(0)):
            continue  # "then one more round" is a repeat, not one set
        if p.frequency.match(masked[m.end() :]):
            continue  # "done 5x a week" is how often the routine is done, as "5 times a week"
        count = _pick_number(m.group("n1"), m.group("n2"), lex)
        if count and not _unit_at(masked, m.start(), lex):
            found.append(Quantity(count, count, "set", m.start(), m.end(), text=m.group(0)))
            masked = _mask(masked, m.start(), m.end())
    return masked


def _quantity(m: re.Match[str], lex: Lexicon, unit_of: dict[str, str]) -> Quantity | None:
    u1, u2, n1, n2 = m.group("u1"), m.group("u2"), m.group("n1"), m.group("n2")
    low = lex.number_value(n1)
    if low is None:
        return None
    if n2 is not None:
        high = lex.number_value(n2)
        unit1 = unit_of.get(_key(u1 or u2 or ""))
        unit2 = unit_of.get(_key(u2 or u1 or ""))
        if high is None or unit1 is None or unit2 is None:
            return _single(m, lex, unit_of)
        low_s, high_s = _to_base(low, unit1), _to_base(high, unit2)
        if unit1 != unit2 and {unit1, unit2} <= {"second", "minute", "hour"}:
            return _checked(Quantity(low_s, high_s, "second", m.start(), m.end(), text=m.group(0)))
        if unit1 != unit2 or high_s <= low_s:
            return _single(m, lex, unit_of)
        return _checked(Quantity(low_s, high_s, _base(unit1), m.start(), m.end(),
                                 text=m.group(0)))
    word = u1 or u2
    if word is None:
        return None
    unit = unit_of[_key(word)]
    if len(word) == 1 and not n1[:1].isdigit():
        return None  # "s" stands for seconds only straight after digits ("30s")
    glued = _glued_range(n1) if unit == "second" else None
    if glued is not None:
        return Quantity(*glued, "second", m.start(), m.end(), text=m.group(0))
    value = _to_base(low, unit)
    return _checked(Quantity(value, value, _base(unit), m.start(), m.end(), text=m.group(0)))


GLUED_ABOVE_SECONDS = 300
"""A hold said in seconds above this (five minutes) is written in minutes by anyone: its digits
are more likely a range whose dash the PDF export lost."""


def _glued_range(digits: str) -> tuple[float, float] | None:
    """"Mantenere per 510 secondi", "hold 1530 seconds": a range glued by a PDF's text ("5-10",
    "15-30"), read back where one split gives a rising pair of at most a minute, the top at most
    three times the bottom."""
    if not digits.isdigit() or int(digits) <= GLUED_ABOVE_SECONDS:
        return None
    for cut in range(1, len(digits)):
        low, high = digits[:cut], digits[cut:]
        # A range people write: "5-10", "15-30", "20-60"; not "6-60" from "660".
        if not high.startswith("0") and int(low) < int(high) <= min(60, 3 * int(low)):
            return float(low), float(high)
    return None


def _single(m: re.Match[str], lex: Lexicon, unit_of: dict[str, str]) -> Quantity | None:
    """A range that did not hold together ("30 seconds and 2 ..."): keep its first part."""
    word = m.group("u1")
    value = lex.number_value(m.group("n1"))
    if word is None or value is None:
        return None
    unit = unit_of[_key(word)]
    end = m.end("u1")
    return _checked(Quantity(_to_base(value, unit), _to_base(value, unit), _base(unit),
                             m.start(), end, text=m.string[m.start() : end]))


def _checked(q: Quantity) -> Quantity | None:
    # Over a day is a year or a phone number, not even a mistaken hold: not worth a note.
    if q.high > 86_400:
        return None
    return q


def _base(unit: str) -> str:
    return "second" if unit in ("minute", "hour") else unit


def _to_base(value: float, unit: str) -> float:
    return value * {"minute": 60, "hour": 3600}.get(unit, 1)


def _with_kind(q: Quantity, text: str, lex: Lexicon) -> Quantity:
    """Whether the words before a duration make it a hold, a rest, or a goal for later."""
    before = text[max(0, q.start - 40) : q.start].lower()
    before = re.split(r"[.;:!?,]", before)[-1]
    words = before.split()
    tail = " ".join(words[-4:])
    after = text[q.end : q.end + 25].lower()
    if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", tail) for p in lex.progression):
        return _kind(q, "progression")
    # Counts pace a breath as seconds do ("Inhale for 4 counts; Exhale for 4 counts").
    if q.unit in ("second", "count") and _breath_pace(q, text, tail, lex):
        return _kind(q, "pace")
    rest_after = re.match(rf"\s*(?:of\s+)?{_alt(lex.rest)}(?!\w)", after)
    # "between 20 and 30 seconds" is a range; "10 seconds between sides" is a rest.
    rest_before = [w for w in words[-3:] if w in lex.rest and not (q.is_range and w == words[-1])]
    if rest_before or rest_after or (words and words[-1] in lex.pace) or _rest_clause(q, text, lex):
        return _kind(q, "rest")
    if any(w in lex.hold for w in words[-5:]):
        return _kind(q, "hold")
    return q


def _breath_pace(q: Quantity, text: str, tail: str, lex: Lexicon) -> bool:
    """Seconds that time a breath ("breathe in for 3 seconds", "in for 3 seconds, out for 3
    seconds"), not the pose."""
    p = patterns(lex)
    if p.breath_pace.search(tail):
        return True
    if not p.breath_in_out.search(tail):
        return False
    around = text[max(0, q.start - 40) : q.end + 40].lower()
    return all(half.search(around) for half in p.breath_halves)


def _one_breath_taken(q: Quantity, text: str, lex: Lexicon) -> bool:
    """"através de uma respiração calma", "durch einen ruhigen Atemzug": one breath, in a
    sentence that holds nothing before it, is how the pose is breathed, not how long it
    lasts. "Gardez la posture le temps d'une respiration" holds it for that breath."""
    if q.unit != "breath" or q.high != 1 or q.kind != "plain":
        return False
    # The hold comes before its breath: in "take a deep breath to center yourself, and get
    # ready for Chair Pose" the "for" after it holds nothing.
    return not phrase_regex(lex.hold).search(re.split(r"[.;!?]", text[:q.start])[-1])


def _rest_clause(q: Quantity, text: str, lex: Lexicon) -> bool:
    """"Die Pause zwischen den Sätzen beträgt eine Minute", "the rest between sets is 60
    seconds": a clause about the rest between sets or sides, named further back than the few
    words `_with_kind` looks at. "Between" alone places things ("den Ball zwischen die Knie
    klemmen und 10 Sekunden halten"), so the rest's own noun must come before it, and no
    hold verb after."""
    between = set(lex.rest) & set(lex.not_sides_before)
    clause = re.split(r"[.;:!?,]", text[max(0, q.start - 70) : q.start].lower())[-1].split()
    for index, (word, following) in enumerate(pairwise(clause)):
        if word in lex.rest and word not in between and following in between:
            return not any(w in lex.hold for w in clause[index + 2 :])
    return False


def _kind(q: Quantity, kind: QuantityKind) -> Quantity:
    return Quantity(q.low, q.high, q.unit, q.start, q.end, kind, q.text)


# --------------------------------------------------------------------------- timing facts


def read_timing(text: str, lex: Lexicon) -> Timing:
    """Everything a text says about duration, sides and repetition."""
    return _read_timing(text, lex)


@lru_cache(maxsize=8192)
def _read_timing(text: str, lex: Lexicon) -> Timing:
    # Each block is read once per candidate layout and again when built: remember them.
    p = patterns(lex)
    text = _without_rep_definition(text, lex)
    # "a minute or two" is one phrase of a time (`fixed_seconds`), not a choice of doses.
    fixed = [f.span() for f in p.fixed.finditer(text)]
    for m in p.alternative.finditer(text):
        if not any(start <= m.start("alt") < end for start, end in fixed):
            text = _mask(text, m.start("alt"), m.end("alt"))
    quantities, masked, ignored = _find_quantities(text, lex)
    preferred = _least_before_preferred(text, quantities, lex)
    if preferred:
        for q in preferred:
            text = _mask(text, q.start, q.end)
        quantities, masked, ignored = _find_quantities(text, lex)
    # "in for 3 seconds, out for 3 seconds" times the breaths, not the pose.
    durations = tuple(q for q in quantities
                      if q.unit not in ("rep", "set", "distance") and q.kind != "pace"
                      and not _one_breath_taken(q, text, lex))
    # "10 times on each side to complete one set. Do three sets": a count of one beside
    # another count of the same is what one of them is, not how many.
    reps = _halved_per_side(text, _first_count(quantities, "rep"), lex)
    set_count = _first_count(quantities, "set")
    times, times_text, more = _times(masked, lex)
    # "3 Mal nach jeder Seite", "tre volte per lato": the count is each side's.
    said_at = masked.find(times_text) if times_text else -1
    said_end = said_at + len(times_text)
    per_side = said_at >= 0 and bool(
        p.sides.match(masked, said_end + _spaces(masked, said_end)))
    if set_count is not None and (times is None or set_count.high >= times):
        times, times_text = round(set_count.high), set_count.text.strip()
    # "Switch sides and hold for another 30 seconds", "poi tocca alla sinistra per altri 30
    # secondi": the other side's hold, not one more round.
    another = sum(1 for m in p.another.finditer(text)
                  if not _names_a_side(_sentence_around(text, m.start(), m.end()), lex)) + more
    # "Hold for 3 breaths, then sink deeper and hold for 3 more breaths": the same hold
    # again, not the same hold said twice.
    held = [q for q in durations if q.kind == "hold"]
    # "... then cross the legs the other way and stay 8 breaths more" is the other side's.
    another += sum(1 for i, q in enumerate(held) if p.more_word.search(q.text)
                   and any(h.low == q.low and h.high == q.high and h.unit == q.unit
                           for h in held[:i])
                   and not _names_a_side(_sentence_around(text, q.start, q.end), lex))
    unnumbered = False
    # "Recommencez une fois", "repeat once": the "once" is one more, not the only one.
    once = times == 1 and any(times_text and times_text.lower() in m.group(0).lower()
                              for m in p.repeat_once.finditer(text))
    if (times is None or once) and not another:
        for m in p.repeat_once.finditer(text):
            # "Switch legs and repeat" repeats on the other side: that is sides, not a round.
            sentence = _sentence_around(text, m.start(), m.end())
            after = re.split(r"[.;!?]", text[m.end() :])[0]
            if p.times.search(after) or p.times_word.search(after):
                continue  # "repita duas a quatro vezes por dia": counted, as a frequency
            # "Do one more round on both the left and right sides": a round is never the
            # other side, whatever sides the sentence names.
            if once or _ROUND_WORD.search(m.group(0)) or not (
                    p.sides.search(sentence) or p.another.search(sentence)
                    or p.side_repeat.search(sentence) or p.other_side.search(sentence)):
                times, times_text, unnumbered = 2, m.group(0), not once
                break
    sides = (
        _says_sides(text, lex, counted_only=(times is not None or reps is not None)
                    and not any(q.kind != "rest" for q in durations),
                    counted=times is not None or reps is not None)
        or any(_each_side_after(text, q, lex) for q in durations)
        or bool(p.side_repeat.search(text))
        or _other_side_after_hold(text, durations, lex)
        or _alternates_after_hold(text, durations, lex)
        or _same_number_for_the_other_side(text, durations, lex)
    )
    # "Three times to the right and three times to the left": a count for each side by name.
    named_sides = _times_for_each_named_side(masked, lex)
    sides = sides or named_sides
    each_named = times is not None and named_sides
    paired = _side_pairs(text, durations, lex) or _held_on_each_side(text, durations, lex)
    if paired:
        sides = True
        durations = tuple(q for q in durations if q not in paired[1:])
    split = bool(p.split.search(text)) and bool(durations)
    if times is None and not sides and not split:
        again = _held_again(text, durations, lex)
        if again > 1:
            # "... Look up once more and hold 30 seconds": the "more" is one of the holds.
            times, times_text, another = again, "held again after a new position", 0
    return Timing(
        durations=durations,
        reps=reps,
        sides=sides or split,
        times=times,
        times_text=times_text,
        repeat_unnumbered=unnumbered and times == 2,
        times_per_side=(per_side and times is not None and _names_both_sides(text, lex))
        or each_named,
        another=another,
        split=split and not paired,
        sets=round(set_count.high) if set_count is not None else None,
        left_first=_left_first(text, lex),
        one_side=_one_side(text, lex),
        in_all=_counted_in_all(text, reps, times_text, lex) and not _says_sides(text, lex),
        distance=any(q.unit == "distance" for q in quantities),
        ignored=tuple(q.text.strip() for q in ignored),
    )


IN_ALL_REACH = 25
"""Characters either side of a count that an "in all" may stand in to be the count's."""


def _counted_in_all(text: str, reps: Quantity | None, times_text: str, lex: Lexicon) -> bool:
    """Whether "in all" ("in tutto", "insgesamt") stands by the count of reps or times, in
    its sentence."""
    pattern = patterns(lex).in_all
    spans = [(reps.start, reps.end)] if reps is not None else []
    if times_text and (at := text.find(times_text)) >= 0:
        spans.append((at, at + len(times_text)))
    for start, end in spans:
        before = re.split(r"[.;!?]", text[max(0, start - IN_ALL_REACH) : start])[-1]
        after = re.split(r"[.;!?]", text[end : end + IN_ALL_REACH])[0]
        if pattern.search(before) or pattern.search(after):
            return True
    return False


def _halved_per_side(text: str, reps: Quantity | None, lex: Lexicon) -> Quantity | None:
    """"20 repetitions (10 each side)": the count in brackets, half the first, is each
    side's; the first counted both sides together."""
    if reps is None or reps.is_range:
        return reps
    m = re.match(r"\s*\(\s*(\d{1,3})\s+", text[reps.end :])
    if m is None or int(m.group(1)) * 2 != round(reps.high):
        return reps
    if not patterns(lex).sides.match(text, reps.end + m.end()):
        return reps
    half = float(m.group(1))
    return replace(reps, low=half, high=half)


def _each_side_after(text: str, q: Quantity, lex: Lexicon) -> bool:
    """"Hold 30 seconds each" after a duration: each side, unless its sentence counts reps
    ("10 reps, 5 seconds each", "10 repeticiones de 5 segundos cada una", "repeat 10 times,
    holding 5 seconds each"), where "each" is each rep. A side phrase ("je Seite", "por
    lado") is a side whatever else the sentence counts."""
    p = patterns(lex)
    m = p.each_after.match(text, q.end)
    if m is None:
        return False
    if p.sides.search(m.group(0)):
        return True
    opening = text[max(text.rfind(c, 0, q.start) for c in ".!?\n") + 1 : q.start]
    if p.each_stretch.search(opening):
        return False  # "Each stretch should be held for about 30 seconds each": each stretch
    sentence = _sentence_around(text, q.start, q.end)
    found, masked, _ = _find_quantities(sentence, lex)
    if any(other.unit == "rep" for other in found):
        return False
    times = _times(masked, lex)[0]
    return times is None or times < REP_LIKE_TIMES


def _first_count(quantities: list[Quantity], unit: str) -> Quantity | None:
    counts = [q for q in quantities if q.unit == unit]
    return next((q for q in counts if q.high != 1), None) or next(iter(counts), None)


def _without_rep_definition(text: str, lex: Lexicon) -> str:
    """"Hug the right knee in, then switch. That's one rep. 10 reps.", "contando per una
    ripetizione l'alternanza di gamba destra e sinistra": the page says what one rep is. Its
    "one" is no count, and a switch it counts inside the rep is no second side: both are
    blanked out, the switch only in the sentence before or the definition's own."""
    p = patterns(lex)
    for m in p.rep_definition.finditer(text):
        text = _mask(text, m.start(), m.end())
        # From the start of the sentence before the definition's own.
        before = text[: m.start()].rstrip()
        bounds = [0, *(b.end() for b in re.finditer(r"[.;!?](?=\s)", before))]
        own_sentence = before.endswith((".", ";", "!", "?"))
        start = bounds[-1] if own_sentence else bounds[max(0, len(bounds) - 2)]
        end = m.end() + len(re.split(r"[.;!?]", text[m.end() :])[0])
        for side in [*p.sides.finditer(text, start, end), *p.other_side.finditer(text, start, end),
                     *p.side_name.finditer(text, start, end)]:
            text = _mask(text, side.start(), side.end())
    return text


def _one_side(text: str, lex: Lexicon) -> str | None:
    m = patterns(lex).one_side.search(text)
    if m is None:
        return None
    return "left" if _key(m.group("side")) in lex.left_names else "right"


def _left_first(text: str, lex: Lexicon) -> bool:
    """Whether the first side named, as a word ("left") or a letter ("L then R"), is the left.
    A single letter counts only beside another side letter, where it cannot be a word."""
    p = patterns(lex)
    for m in p.first_side.finditer(text):
        word = _key(m.group(0))
        if len(word.rstrip(".")) <= 2 and not re.match(
                r"\s*(?:then|/|,|-|y|e|et|und|puis|dann|poi|depois|luego)\s*[a-z]{1,2}\b",
                text[m.end():], re.IGNORECASE):
            continue
        return word in lex.left_names
    return False


def _other_side_after_hold(text: str, durations: tuple[Quantity, ...], lex: Lexicon) -> bool:
    """"Slide your right arm under ... Stay for 5 breaths, then thread the left arm through":
    one side named before the hold, then, after it and a word that goes on ("then"), the
    other side: the second side of the stretch."""
    held = [q for q in durations if q.kind in ("hold", "plain")]
    if not held:
        return False
    p = patterns(lex)
    first = next((m for m in p.side_name.finditer(text, 0, held[0].start)), None)
    if first is None:
        return False
    left = _key(first.group(0)) in lex.left_names
    after = text[held[0].end :]
    after = "".join(re.split(r"(?<=[.;!?])\s", after, maxsplit=2)[:2])
    lead = p.goes_on.search(after)
    if lead is None:
        return False
    return any((_key(m.group(0)) in lex.left_names) != left
               for m in p.side_name.finditer(after, lead.end()))


def _alternates_after_hold(text: str, durations: tuple[Quantity, ...], lex: Lexicon) -> bool:
    """"Hold for 30 seconds. Alternate legs.": a sentence of its own that opens by taking
    turns with the limbs, after a hold, is the switch to the other side; "march, alternating
    knees" inside one movement's sentence is not."""
    held = [q for q in durations if q.kind in ("hold", "plain")]
    # The text after the hold on its own, so that "^" is right after it.
    return bool(held) and bool(patterns(lex).alternates.search(text[held[0].end :]))


def _says_sides(text: str, lex: Lexicon, *, counted_only: bool = False,
                counted: bool = False) -> bool:
    """A side phrase ("each leg", "switch sides"), unless it places something ("under each
    knee", "between both feet"). "One side, then the other" is both sides where nothing is
    counted; in counted reps ("Reps: 10, Hold: 3 seconds") it is how each rep goes."""
    p = patterns(lex)
    return bool(p.other_side.search(text) or p.repeat_both.search(text)
                or p.alternate_switch.search(text)
                or (not counted and p.sides_in_turn.search(text))) or any(
        not p.not_sides_before.search(text[max(0, m.start() - 20) : m.start()])
        and not p.not_sides_after.match(text, m.end())
        and not _sides_take_turns(text, m, lex, counted_only=counted_only)
        for m in p.sides.finditer(text))


def _sides_take_turns(text: str, m: re.Match[str], lex: Lexicon, *,
                      counted_only: bool = False) -> bool:
    """"March on the spot, raising each knee in turn, for 30 seconds", "den Kopf abwechselnd
    nach rechts und links drehen": the side phrase tells how one movement goes, not that it
    is done again on the other side. Not when a number is given for each side ("alternate
    legs, 10 on each leg", "30 seconds each side, alternating"), nor, for a limb ("each leg"),
    when the sentence counts: "exercise each leg alternately five times" is five with each."""
    p = patterns(lex)
    sentence = _sentence_around(text, m.start(), m.end())
    # "Flettere la testa a destra e a sinistra per 10 volte", "Ruotare la testa a destra e
    # sinistra ... 10 rotazioni": where the text counts a movement and holds nothing, "right
    # and left" is the way it goes, as "in turn" is. ("Lean left and right" under a rule's
    # hold stays two sides.)
    path = counted_only and len(p.side_name.findall(m.group(0))) >= 2
    if not path and not p.alternation.search(sentence):
        return False
    before = re.split(r"[.;:!?,]", text[max(0, m.start() - 25) : m.start()])[-1]
    if re.search(r"\d", before) or any(lex.numbers.get(w, 1) != 1
                                       for w in before.lower().split()[-3:]):
        return False
    if any(lex.numbers.get(w) == 1 for w in m.group(0).lower().split()):
        return False  # "one calf at a time, alternating legs": each side held on its own
    if p.side_name.search(m.group(0)):
        return True  # "left and right", "destra e sinistra": where one movement goes
    quantities, masked = find_quantities(sentence, lex)
    counted = (p.times.search(masked) or p.times_word.search(masked)
               or any(q.unit in ("rep", "set") for q in quantities))
    return not counted


def _side_pairs(text: str, durations: tuple[Quantity, ...], lex: Lexicon) -> list[Quantity]:
    """"30 seconds right, 30 seconds left", "left side 30 sec, right side 30 sec": the same
    duration said once for each side, by name. Returns those durations, first one first."""
    p = patterns(lex)
    named: list[tuple[Quantity, str]] = []
    for q in durations:
        near = text[max(0, q.start - 22) : q.start] + " | " + text[q.end : q.end + 22]
        before, after = near.split(" | ", 1)
        # "30'' dx / 30'' sx": a slash or the next number starts the other side's part.
        before = re.split(r"[,;./]|\d", before)[-1]
        after = re.split(r"[,;./]|\d", after)[0]
        found = p.side_name.findall(f"{before} {after}")
        if len(found) == 1:
            named.append((q, found[0].lower()))
    for (a, side_a), (b, side_b) in pairwise(named):
        if side_a != side_b and a.low == b.low and a.high == b.high:
            return [a, b]
    return []


def _names_both_sides(text: str, lex: Lexicon) -> bool:
    return len({_key(m.group(0)) in lex.left_names
                for m in patterns(lex).side_name.finditer(text)}) == 2


def _names_a_side(sentence: str, lex: Lexicon) -> bool:
    p = patterns(lex)
    return bool(p.sides.search(sentence) or p.other_side.search(sentence)
                or p.side_name.search(sentence) or p.side_repeat.search(sentence))


def _spaces(text: str, start: int) -> int:
    return len(text[start:]) - len(text[start:].lstrip(" \t"))


def _times_for_each_named_side(masked: str, lex: Lexicon) -> bool:
    """"3 times to the left then 3 times to the right", "3 Mal nach rechts, 3 Mal nach links":
    the same count said once for each side, by name: both sides, that many times each."""
    p = patterns(lex)
    named: list[tuple[float | None, bool]] = []
    for m in p.times.finditer(masked):
        side = p.side_name.search(masked[m.end() : m.end() + 20])
        between = masked[m.end() : m.end() + (side.start() if side else 0)]
        if side is not None and not re.search(r"[.;!?\d]", between):
            value = _pick_number(m.group("n1"), m.group("n2"), lex)
            named.append((value, _key(side.group(0)) in lex.left_names))
    return any(a[0] == b[0] and a[1] != b[1] for a, b in pairwise(named))


def _held_on_each_side(text: str, durations: tuple[Quantity, ...],
                       lex: Lexicon) -> list[Quantity]:
    """"Turn your head to the right. Hold for 20 seconds. Slowly bring it to the left and hold
    for 20 seconds": two equal holds, the way to each named in the words leading up to it,
    one side each: one hold on each side. Returns those durations, first one first."""
    held = [q for q in durations if q.kind in ("hold", "plain")]
    if len(held) != 2 or (held[0].low, held[0].high) != (held[1].low, held[1].high):
        return []
    p = patterns(lex)
    named = []
    for start, q in ((0, held[0]), (held[0].end, held[1])):
        found = {_key(m.group(0)) in lex.left_names
                 for m in p.side_name.finditer(text, start, q.start)}
        if len(found) != 1:
            return []
        named.append(found.pop())
    return held if named[0] != named[1] else []


_ROUND_WORD = re.compile(
    r"(?<!\w)(?:rounds?|sets?|runden?|durchg[aä]nge?|series?|s[eé]ries?|rondas?|giros?|"
    r"rodadas?)(?!\w)", re.IGNORECASE)
"""The words for a round of the whole exercise in the six languages' repeat phrases."""


def _held_again(text: str, durations: tuple[Quantity, ...], lex: Lexicon) -> int:
    """"Hold 30 seconds. Drop your head and hold 30 seconds. Look up again and hold 30
    seconds": the same hold said once for each new position, so that many holds. Each one
    after the first must come after a movement in its own sentence ("Drop your head and
    hold"): a field "Hold: 30 s" and a step "Hold for 30 s" are one hold said twice."""
    held = [q for q in durations if q.kind in ("hold", "plain")]
    if len(held) < 2 or len({(q.low, q.high, q.unit) for q in held}) != 1:
        return 0
    for previous, q in pairwise(held):
        between = text[previous.end : q.start]
        if not re.search(r"[.;!?]\s", between):
            return 0  # one sentence: "hold for 30 seconds, 30 seconds in all"
        parts = re.split(r"[.;!?]\s", between)
        if any(patterns(lex).goes_on.match(part.strip().lower()) for part in parts[1:-1]):
            continue  # "Hold for five seconds. Then, breathing out, curl ... Hold for five
            # seconds": a new position between, led by "then", is held again
        lead = parts[-1].lower().split()
        verbs = [i for i, w in enumerate(lead) if w.strip(",:") in lex.hold]
        # "Den Kopf senken und 30 Sekunden halten": the hold verb may come after the time.
        tail = re.split(r"[.;!?]", text[q.end :])[0].lower().split()
        verb_after = len(lead) >= 3 and any(w.strip(",:") in lex.hold for w in tail[:3])
        if not verb_after and (not verbs or verbs[0] < 2):
            return 0  # the sentence starts with the hold: said again, not held again
    return len(held)


@cache
def _unit_words(lex: Lexicon) -> frozenset[str]:
    """Every unit word of the language ("seconds", "Atemzüge", "reps"), built once."""
    return frozenset(u for words in lex.units.values() for u in words)


def _same_number_for_the_other_side(text: str, durations: tuple[Quantity, ...],
                                    lex: Lexicon) -> bool:
    """"Hold 30 seconds on the right and 30 on the left": the same number again with its
    unit left out, in a sentence that names both sides, is the other side's hold."""
    for q in durations:
        if q.kind not in ("hold", "plain") or q.low != q.high:
            continue
        rest = re.split(r"[.;!?]", text[q.end :])[0]
        again = re.search(rf"(?<![\w.,]){q.low:g}(?![\w.,])(?!\s*[-\u2013])", rest)
        if again is None:
            continue
        following = rest[again.end() :].split()
        if (not following or following[0].lower() not in _unit_words(lex)) and _names_both_sides(
                _sentence_around(text, q.start, q.end), lex):
            return True
    return False


def _sentence_around(text: str, start: int, end: int) -> str:
    before = re.split(r"[.;!?]", text[:start])[-1]
    after = re.split(r"[.;!?]", text[end:])[0]
    return before + text[start:end] + after


def _times(masked: str, lex: Lexicon) -> tuple[int | None, str, int]:
    """How often the exercise is done ("repeat 3 times", "twice", "2 sets"), the words that
    say so, and how many more times on top of the first ("twice more")."""
    p = patterns(lex)
    candidates: list[tuple[float, str]] = []
    extra = 0
    seen: list[tuple[int, int]] = []
    for m in [*p.times.finditer(masked), *p.times_word.finditer(masked)]:
        if any(m.start() < end and start < m.end() for start, end in seen):
            continue  # "noch zweimal" is both "zwei mal" and the word "zweimal": once
        seen.append((m.start(), m.end()))
        if p.frequency.match(masked[m.end() :]):
            continue  # "three times a day" is how often to do the routine, not this stretch
        if "w" in m.groupdict():
            value: float | None = lex.times_words[_key(m.group("w"))]
        else:
            value = _pick_number(m.group("n1"), m.group("n2"), lex)
        if not value:
            continue
        if m.group("before") or m.group("more") or m.groupdict().get("more1"):
            # "noch einmal mit dem linken Bein" is the other side's go; "repeat once more
            # then switch legs" is one more on this side first.
            after = re.split(r"[.;!?]", masked[m.end() :])[0]
            after = re.split(rf"(?<!\w)(?:{_alt(lex.clause_joiners)})(?!\w)", after,
                             flags=re.IGNORECASE)[0]
            if round(value) == 1 and _names_a_side(after, lex):
                continue
            extra += round(value)
        else:
            candidates.append((value, m.group(0)))
    # Sets ("2 sets", "Sets: 2", "3 x 10") were read, and blanked, with the quantities.
    for m in p.times_prefix.finditer(masked):
        if p.frequency.match(masked[m.end() :]):
            continue
        value = _pick_number(m.group("n1"), None, lex)
        if value:
            candidates.append((value, m.group(0)))
    if not candidates:
        return None, "", extra
    value = max(c[0] for c in candidates)
    return round(value), next(c[1] for c in candidates if c[0] == value), extra


def _pick_number(n1: str, n2: str | None, lex: Lexicon) -> float | None:
    low = lex.number_value(n1)
    high = lex.number_value(n2) if n2 else None
    if low is None:
        return None
    # A range of repetitions takes its upper bound, like a range of seconds by default.
    return max(low, high) if high is not None else low


# --------------------------------------------------------------------------- sentences


def split_sentences(text: str, lex: Lexicon) -> list[str]:
    """Sentences of a paragraph, without breaking after "e.g." or a number's full stop."""
    protected = text
    for abbreviation in lex.abbreviations:
        protected = re.sub(
            rf"(?<!\w){re.escape(abbreviation)}",
            abbreviation.replace(".", "\x00"),
            protected,
            flags=re.IGNORECASE,
        )
    parts = re.split(
        r"(?<=[.!?…])[\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(¿¡]?[A-ZÀ-ÖØ-Þ0-9])", protected
    )
    return [s.replace("\x00", ".").strip() for s in parts if s.strip()]


_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def content_words(text: str, lex: Lexicon) -> list[str]:
    """Words that are not only about timing."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return [w for w in words if w not in lex.fillers]


def has_timing(text: str, lex: Lexicon) -> bool:
    # A duration left out ("hold for 10 hours") is still timing: it is not spoken either.
    timing = read_timing(text, lex)
    return timing.says_anything or bool(timing.ignored)


def trim_sentence(sentence: str, lex: Lexicon) -> str | None:
    """The sentence without what it says about timing; None if that was all it said.

    "Hold for 30 seconds, then switch." -> None
    "Pull it toward your butt for 30 seconds, then switch." -> "Pull it toward your butt."
    """
    if not has_timing(sentence, lex):
        return sentence
    ending = sentence.rstrip()[-1:] if sentence.rstrip()[-1:] in ".!?" else "."
    body = sentence.rstrip().rstrip(".!?").strip()
    joiners = _alt(lex.clause_joiners)
    pieces = re.split(rf"(\s*(?:[,;\u2013\u2014]|(?<!\d):(?!\d))\s*|\s+-\s+|\s+{joiners}\s+)", body,
                      flags=re.IGNORECASE)
    kept: list[str] = []
    separator = ""
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            separator = piece
            continue
        clause = _trim_clause(piece, lex)
        if clause is None:
            continue
        if kept:
            kept.append(separator)
        kept.append(clause)
    if not kept:
        return None
    result = "".join(kept).strip(" ,;:-\u2013\u2014")
    leads = _alt(lex.clause_leads)
    result = re.sub(rf"^(?:{leads})\b[\s,]*", "", result, flags=re.IGNORECASE).strip()
    if len(content_words(result, lex)) == 0:
        return None
    return result[:1].upper() + result[1:] + ending


def _trim_clause(clause: str, lex: Lexicon) -> str | None:
    if not clause.strip():
        return None
    timing = read_timing(clause, lex)
    if not timing.says_anything and not timing.ignored:
        return clause
    if not content_words(_without_timing(clause, lex), lex):
        return None  # the clause only says how long, how often or which side
    # Keep the instruction, cut its duration: "pull it toward you for 30 seconds".
    p = patterns(lex)
    result = clause
    for q in sorted(timing.durations, key=lambda q: q.start, reverse=True):
        lead = p.lead.search(result[: q.start])
        start = lead.start() if lead else q.start
        # "for a minute per arm": the side words belong to the duration and go with it.
        side = p.side_after.match(result, q.end) or p.each_after.match(result, q.end)
        end = side.end() if side else q.end
        result = result[:start].rstrip() + result[end:]
    return re.sub(r"\s{2,}", " ", result).strip() or None


def _without_timing(text: str, lex: Lexicon) -> str:
    p = patterns(lex)
    _, masked = find_quantities(text, lex)
    searchers: tuple[_Searcher, ...] = (
        p.another, p.times, p.times_word, p.sets, p.set_label, p.times_prefix, p.sides,
        p.repeat_once, p.split, p.side_repeat, p.other_side)
    for pattern in searchers:
        masked = pattern.sub(" ", masked)
    return masked
