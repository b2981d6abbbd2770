"""Language data: the words for numbers, durations, sides and repetition.

The words live in `narrator/lang/<code>.toml`; this module only loads them and turns
them into ready-made regular expressions. Adding a language means adding a file.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

UNITS = ("second", "minute", "hour", "breath", "count", "rep")


DROPS_ACCENTS = frozenset({"fr", "es", "it", "pt"})


def _unaccented(words: tuple[str, ...], code: str) -> tuple[str, ...]:
    """The words, and each also as written without its accents, where a language drops them
    on capitals ("Etirement des dorsaux", "ESTIRAMIENTO DE CUADRICEPS"). German does not: an
    umlaut lost makes another word ("drücken", "drucken")."""
    if code not in DROPS_ACCENTS:
        return words
    bare = {"".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c))
            for w in words}
    return tuple(sorted({*words, *bare}, key=len, reverse=True))


def _words(data: dict[str, Any], *keys: str) -> tuple[str, ...]:
    """A list of phrases from the data, lower-cased, longest first so alternations prefer them."""
    value: Any = data
    for key in keys:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    if not isinstance(value, list):
        return ()
    return tuple(sorted({str(v).lower() for v in value}, key=len, reverse=True))


def alternation(phrases: tuple[str, ...] | list[str]) -> str:
    """A regex alternation matching any phrase; spaces match any run of whitespace."""
    parts = sorted(set(phrases), key=len, reverse=True)
    # "l'autre jambe" is as often typed with a typographic apostrophe (U+2019): both match.
    return "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
                    for p in parts if p)


def word_set(text: str) -> set[str]:
    """The words of a text in lower case, without numbers or punctuation: what a name or a
    line is checked against the lexicon's word lists by."""
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word match of any phrase (never matches if the list is empty)."""
    if not phrases:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<![\w]){_group(phrases)}(?![\w])", re.IGNORECASE)


def _group(phrases: tuple[str, ...] | list[str]) -> str:
    return f"(?:{alternation(phrases)})"


@dataclass(frozen=True)
class Lexicon:
    """One language's words, and the patterns built from them."""

    code: str
    name: str
    detect: tuple[str, ...]
    numbers: dict[str, float]
    """Every number word (including built compounds), lower-case, to its value."""
    ordinals: dict[str, int]
    """"primo" 1, "second" 2, "erste" 2...: an exercise numbered by an ordinal before the step
    word ("Primo esercizio:", "Second stretch -")."""
    fixed_seconds: dict[str, float]
    and_a_half: tuple[str, ...]
    few: tuple[str, ...]
    """"a few", "einige", "quelques": a number left vague, before a unit."""
    units: dict[str, tuple[str, ...]]
    adjectives: tuple[str, ...]
    range_joiners: tuple[str, ...]
    range_extends: tuple[str, ...]
    """"at least 30 seconds, and up to 45": a bare number after these is the range's top."""
    count_lead: tuple[str, ...]
    count_around: tuple[str, ...]
    """A count with its verb after the number, "{n}" marking the number: "bis {n} zählen"."""
    times: tuple[str, ...]
    times_words: dict[str, int]
    frequency: tuple[str, ...]
    sets: tuple[str, ...]
    more: tuple[str, ...]
    more_before: tuple[str, ...]
    another: tuple[str, ...]
    repeat: tuple[str, ...]
    repeat_once: tuple[str, ...]
    hold: tuple[str, ...]
    rest: tuple[str, ...]
    breath_pace: tuple[str, ...]
    """"Breathe in for" right before seconds: a breath's pace, never a hold."""
    breath_in_out: tuple[str, ...]
    """"in for", "out for": a breath's pace when both halves time it, each before seconds."""
    preferred: tuple[str, ...]
    """"ideally", "am besten": the time after it is the one to hold, not the least one said
    before it ("at least 30 seconds, ideally a whole minute")."""
    pace: tuple[str, ...]
    """A pace right before a duration ("every 2 hours"): not a hold; further back ("every
    stretch for 30 s") it is not one."""
    progression: tuple[str, ...]
    session_length: tuple[str, ...]
    """Words before a duration that make it the whole session's: "this takes 10 minutes"."""
    reading_time: tuple[str, ...]
    modal_orders: tuple[str, ...]
    modal_not_orders: tuple[str, ...]
    """Verbs after a modal that give no order: "must be", "debe tener"."""
    negations: tuple[str, ...]
    """"not", "non", "no", "nicht": a modal order after one is a warning, not a step."""
    """"Bisogna", "hay que", "il faut", "deve": an order given through a modal verb, as
    descriptive pages write their steps ("Bisogna mettersi in piedi", "a pessoa deve
    empurrar os calcanhares")."""
    warm_up: tuple[str, ...]
    """"warm up", "activité aérobique": with a word of `warm_up_before` in the same sentence
    ("Before stretching, walk briskly for 5-10 minutes"), the time is the warm-up's, done
    before the routine, and no hold."""
    warm_up_before: tuple[str, ...]
    """Words around a duration that make it a page's reading time: "2 min read"."""
    duration_lead: tuple[str, ...]
    sides: tuple[str, ...]
    each_after: tuple[str, ...]
    each_side: str
    side_names: tuple[str, ...]
    left_names: tuple[str, ...]
    side_label: tuple[str, ...]
    sides_where: tuple[str, ...]
    """A rule's sides only where an exercise works one side: "do both sides where there are
    two"."""
    one_sided: tuple[str, ...]
    """Words that show an exercise works one side at a time ("one leg", "heel", "twist")."""
    both_limbs: tuple[str, ...]
    """Words that show it works both at once ("both thighs")."""
    """A field naming the one side done: "Side: Left"."""
    side_articles: tuple[str, ...]
    side_repeat: tuple[str, ...]
    not_sides_before: tuple[str, ...]
    not_sides_after: tuple[str, ...]
    """"of": a side phrase right before it places something ("either side of the frame")."""
    other_sides: tuple[str, ...]
    """"the other leg", "l'autre jambe": a second side only after one of `other_leads`."""
    other_leads: tuple[str, ...]
    other_after: tuple[str, ...]
    """Leads said after the limb, where a language puts its verb last ("... wiederholen")."""
    alternation: tuple[str, ...]
    """"in turn", "abwechselnd", "alternando": the sides take turns inside one movement."""
    rep_definition: tuple[str, ...]
    """"that's one rep", "contando per una ripetizione": the page says what one rep holds."""
    alternatives: tuple[str, ...]
    """"or", "oder": after a duration, the dose that follows is another choice, not more."""
    articles: tuple[str, ...]
    """"the", "die", "la": an article before a field's label ("Die Dauer", "La durée")."""
    alternative_fields: tuple[str, ...]
    """"Alternative", "Variante": a field offering another way to do the exercise."""
    and_hold: tuple[str, ...]
    """"and hold": ends the sentence that names the other side ("then turn toward the right
    and hold")."""
    alternate_sides: tuple[str, ...]
    """"Alternate legs": opening its own sentence after a hold, the switch to the other side."""
    byline: tuple[str, ...]
    """"By", "Par": the word before an author's name on a byline of its own."""
    sides_in_turn: tuple[str, ...]
    """"One side, then the other": both sides where nothing is counted, else how a rep goes."""
    step_labels: tuple[str, ...]
    """"Step", "Étape": a label that numbers the steps of one exercise, not exercises."""
    in_all: tuple[str, ...]
    """"in all", "in tutto": by a count, the count is of both sides together."""
    whole_list: tuple[str, ...]
    """"the whole list", "den ganzen Ablauf": a count said of it is rounds of the routine."""
    list_rounds: tuple[str, ...]
    """"do 2 rounds": a plain count of rounds outside the exercises, not of "each" one."""
    rounds_lead: tuple[str, ...]
    """"Do", "Faites": below the list, rounds are the page's word only when they start so."""
    split_sides: tuple[str, ...]
    alternate_switch: tuple[str, ...]
    """"and alternate", "e alterne": the other side when it closes the sentence of a hold
    ("Mantenha por 30 segundos e alterne."), not when a movement goes back and forth
    ("apóyese sobre las puntas, luego sobre el talón y alterne varias veces")."""
    how_to: tuple[str, ...]
    """"How to do the", "Wie führe ich die": a heading that asks how to do an exercise names
    it in the words after ("How to do the figure four stretch?")."""
    how_to_end: tuple[str, ...]
    """"aus", "correctly": words that close such a question after the name."""
    plus: tuple[str, ...]
    clock_not_after: tuple[str, ...]
    rule: tuple[str, ...]
    fillers: frozenset[str]
    clause_leads: tuple[str, ...]
    clause_joiners: tuple[str, ...]
    distance: tuple[str, ...]
    """Units of length ("m", "metres"): "20-30 m strides" gives no hold."""
    sets_of: tuple[str, ...]
    """What joins a set count to its reps: "2 sets of 15", "3 séries de 10"."""
    rep_nouns: tuple[str, ...]
    """Movements counted as reps: "10-12 lunges", "15 squats"."""
    step_words: tuple[str, ...]
    field_names: tuple[str, ...]
    """The labels of a handout's fields ("Starting position", "Ausführung", "Position de
    départ"): part of the exercise above them, never an exercise, even when said once."""
    vocabulary: tuple[str, ...]
    body_words: tuple[str, ...]
    prose_heads: tuple[str, ...]
    """"stretch", "étirement", "fold": the noun a name written inside running text ends on
    (English, German) or starts with (the Romance languages): "a standing quad stretch",
    "l'étirement des quadriceps"."""
    prose_links: tuple[str, ...]
    """"des", "del", "dos": the words that join a Romance head to what it works."""
    prose_modifiers: tuple[str, ...]
    """"forward", "upper": words before an English head that name no body part yet belong to
    the name ("a forward fold")."""
    """More body parts, muscles and poses, for telling a part about the body from one that
    is not; unlike `vocabulary` they neither score a layout nor tell the language."""
    instruction_starts: frozenset[str]
    instruction_ends: tuple[str, ...]
    """Verbs that close an instruction as an infinitive, where the language puts them last
    ("Den Arm vor der Brust zur anderen Seite führen."); empty where it does not."""
    infinitive_endings: tuple[str, ...]
    order_endings: tuple[str, ...]
    """"ez" in French: a step that opens with a word so ending and goes on is an order
    ("Joignez la plante des pieds"), read like an opening infinitive; unlike an infinitive
    it never follows a modal verb."""
    """Endings of the infinitive a handout's steps open with ("Subir de puntillas",
    "Sollevare la gamba", "Levantar os braços"); empty where steps are not so written."""
    reflexive_endings: tuple[str, ...]
    """A pronoun joined to an order ("Colóquense", "Recuéstate"), after a word whose stress
    mark the pronoun made; one led by a hyphen ("-vous") follows a hyphen. Portuguese "-se"
    is not one: "Recomenda-se", "Deve-se" open prose."""
    called: tuple[str, ...]
    """Words after which running text gives an exercise's name ("a stretch called the
    pigeon", "también llamado mariposa")."""
    called_after: tuple[str, ...]
    """Words before which it does ("eine Dehnungsübung, die gern Brezel genannt wird")."""
    title_words: tuple[str, ...]
    routine_words: tuple[str, ...]
    routine_refs: tuple[str, ...]
    exercise_counts: tuple[str, ...]
    line_starts: tuple[str, ...]
    promo: tuple[str, ...]
    outro_headings: tuple[str, ...]
    comment_counts: tuple[str, ...]
    """The words after a number that head a post's comments ("2 Responses to Sciatica
    stretch", "3 Kommentare"): where the article ends."""
    aside_headings: tuple[str, ...]
    outro_phrases: tuple[str, ...]
    figure_words: tuple[str, ...]
    figure_hints: tuple[str, ...]
    abbreviations: tuple[str, ...]
    untitled: str

    def __hash__(self) -> int:  # dict fields make the generated hash fail; codes are unique
        return hash(self.code)

    @property
    def number_pattern(self) -> str:
        """A number: digits ("30", "1.5", "1½") or a number word ("thirty", "twenty-five")."""
        return _number_pattern(self)

    def number_value(self, text: str) -> float | None:
        """The value of a number matched by `number_pattern`, or None."""
        t = re.sub(r"\s+", " ", text.strip().lower()).replace("\u2019", "'")
        half = 0.0
        for suffix in self.and_a_half:
            if t.endswith(" " + suffix):
                t, half = t[: -len(suffix) - 1].strip(), 0.5
        if t.endswith("½"):
            t, half = t[:-1].strip(), 0.5
            if not t:
                return 0.5
        if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
            return float(t.replace(",", ".")) + half
        if t in self.numbers:
            return self.numbers[t] + half
        return None


@cache
def _number_pattern(lex: Lexicon) -> str:
    words = _group(sorted(lex.numbers, key=len, reverse=True))
    half = f"(?:\\s+{_group(lex.and_a_half)})?" if lex.and_a_half else ""
    return rf"(?:\d+(?:[.,]\d+)?(?:\s*½)?|½|{words}){half}"


def _build_numbers(data: dict[str, Any]) -> dict[str, float]:
    numbers: dict[str, float] = {str(k).lower(): float(v) for k, v in data.get("words", {}).items()}
    tens: dict[str, Any] = data.get("tens", {})
    ones: dict[str, Any] = data.get("ones", {})
    for form in data.get("compound", []):
        for ten_word, ten in tens.items():
            for one_word, one in ones.items():
                word = str(form).format(tens=ten_word, ones=one_word).lower()
                numbers.setdefault(word, float(ten) + float(one))
    return numbers


def available() -> tuple[str, ...]:
    """The codes of every language with a data file, e.g. ("de", "en", "es")."""
    folder = resources.files("narrator.lang")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@cache
def load(code: str) -> Lexicon:
    """The lexicon for a language code; KeyError if there is no data file for it."""
    if code not in available():
        raise KeyError(code)
    raw = resources.files("narrator.lang").joinpath(f"{code}.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(raw)
    numbers = data.get("numbers", {})
    units = data.get("units", {})
    phrases = data.get("phrases", {})
    names = data.get("names", {})
    noise = data.get("noise", {})
    return Lexicon(
        code=code,
        name=str(data.get("name", code)),
        detect=_words(data, "detect"),
        numbers=_build_numbers(numbers),
        ordinals={str(k).lower(): int(v) for k, v in numbers.get("ordinals", {}).items()},
        fixed_seconds={
            str(k).lower(): float(v) for k, v in numbers.get("fixed_seconds", {}).items()
        },
        and_a_half=_words(numbers, "and_a_half"),
        few=_words(numbers, "few"),
        units={unit: _words(units, unit) for unit in UNITS},
        adjectives=_words(units, "adjectives"),
        range_joiners=_words(data, "ranges", "joiners"),
        range_extends=_words(data, "ranges", "extends"),
        count_lead=_words(phrases, "count_lead"),
        count_around=_words(phrases, "count_around"),
        times=_words(phrases, "times"),
        times_words={str(k).lower(): int(v) for k, v in phrases.get("times_words", {}).items()},
        frequency=_words(phrases, "frequency"),
        sets=_words(phrases, "sets"),
        more=_words(phrases, "more"),
        more_before=_words(phrases, "more_before"),
        another=_words(phrases, "another"),
        repeat=_words(phrases, "repeat"),
        repeat_once=_words(phrases, "repeat_once"),
        hold=_words(phrases, "hold"),
        rest=_words(phrases, "rest"),
        pace=_words(phrases, "pace"),
        breath_pace=_words(phrases, "breath_pace"),
        breath_in_out=_words(phrases, "breath_in_out"),
        preferred=_words(phrases, "preferred"),
        progression=_words(phrases, "progression"),
        session_length=_words(phrases, "session_length"),
        reading_time=_words(phrases, "reading_time"),
        modal_orders=_words(phrases, "modal_orders"),
        modal_not_orders=_words(phrases, "modal_not_orders"),
        negations=_words(phrases, "negations"),
        warm_up=_words(phrases, "warm_up"),
        warm_up_before=_words(phrases, "warm_up_before"),
        duration_lead=_words(phrases, "duration_lead"),
        sides=_words(phrases, "sides"),
        each_after=_words(phrases, "each_after"),
        each_side=str(phrases.get("each_side", "each side")),
        side_names=_words(phrases, "side_names"),
        left_names=_words(phrases, "left_names"),
        side_label=_words(phrases, "side_label"),
        sides_where=_words(phrases, "sides_where"),
        one_sided=_words(phrases, "one_sided"),
        both_limbs=_words(phrases, "both_limbs"),
        side_articles=_words(phrases, "side_articles"),
        side_repeat=_words(phrases, "side_repeat"),
        not_sides_before=_words(phrases, "not_sides_before"),
        not_sides_after=_words(phrases, "not_sides_after"),
        other_sides=_words(phrases, "other_sides"),
        other_leads=_words(phrases, "other_leads"),
        other_after=_words(phrases, "other_after"),
        alternation=_words(phrases, "alternation"),
        rep_definition=_words(phrases, "rep_definition"),
        alternatives=_words(phrases, "alternatives"),
        articles=_words(phrases, "articles"),
        alternative_fields=_words(phrases, "alternative_fields"),
        in_all=_words(phrases, "in_all"),
        step_labels=_words(phrases, "step_labels"),
        alternate_sides=_words(phrases, "alternate_sides"),
        byline=_words(phrases, "byline"),
        sides_in_turn=_words(phrases, "sides_in_turn"),
        and_hold=_words(phrases, "and_hold"),
        whole_list=_words(phrases, "whole_list"),
        list_rounds=_words(phrases, "list_rounds"),
        rounds_lead=_words(phrases, "rounds_lead"),
        split_sides=_words(phrases, "split_sides"),
        alternate_switch=_words(phrases, "alternate_switch"),
        how_to=_words(phrases, "how_to"),
        how_to_end=_words(phrases, "how_to_end"),
        plus=_words(phrases, "plus"),
        clock_not_after=_words(phrases, "clock_not_after"),
        rule=_words(phrases, "rule"),
        fillers=frozenset(_words(phrases, "fillers")),
        clause_leads=_words(phrases, "clause_leads"),
        clause_joiners=_words(phrases, "clause_joiners"),
        distance=_words(units, "distance"),
        sets_of=_words(phrases, "sets_of"),
        rep_nouns=_words(units, "rep_nouns"),
        step_words=_words(names, "step_words"),
        field_names=_words(names, "field_names"),
        vocabulary=_unaccented(_words(names, "vocabulary"), code),
        body_words=_unaccented(_words(names, "body_words"), code),
        prose_heads=_words(names, "prose_heads"),
        prose_links=_words(names, "prose_links"),
        prose_modifiers=_words(names, "prose_modifiers"),
        instruction_starts=frozenset(_words(names, "instruction_starts")),
        instruction_ends=_words(names, "instruction_ends"),
        infinitive_endings=_words(names, "infinitive_endings"),
        order_endings=_words(names, "order_endings"),
        reflexive_endings=_words(names, "reflexive_endings"),
        called=_words(names, "called"),
        called_after=_words(names, "called_after"),
        title_words=_unaccented(_words(names, "title_words"), code),
        routine_words=_unaccented(_words(names, "routine_words"), code),
        routine_refs=_words(names, "routine_refs"),
        exercise_counts=_words(names, "exercise_counts"),
        line_starts=_words(noise, "line_starts"),
        promo=_words(noise, "promo"),
        outro_headings=_words(noise, "outro_headings"),
        comment_counts=_words(noise, "comment_counts"),
        aside_headings=_words(noise, "aside_headings"),
        outro_phrases=_words(noise, "outro_phrases"),
        figure_words=_words(noise, "figure_words"),
        figure_hints=_words(noise, "figure_hints"),
        abbreviations=_words(noise, "abbreviations"),
        untitled=str(noise.get("untitled", "Stretching routine")),
    )


def detect(text: str) -> Lexicon:
    """The language whose common words appear most often in the text (English on a tie).

    Its exercise words ("stretch", "knee", "hip") count half as much: a table or a list of
    names has few common words ("per side" is not Italian), but its names tell the
    language."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    best, best_hits = load("en"), -1.0
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    for code in ("en", *[c for c in available() if c != "en"]):
        lex = load(code)
        hits = sum(counts.get(w, 0) for w in lex.detect) + sum(
            counts.get(w, 0) for w in set(lex.vocabulary)) / 2
        if hits > best_hits:
            best, best_hits = lex, hits
    return best
