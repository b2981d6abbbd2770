"""Passes 4 and 5: read each exercise's name, words and timing, then expand it into holds.

Also reads the routine-wide parts around the exercises: the title, a short description,
the author, and a rule such as "hold each stretch for 20-30 seconds" that applies
wherever an exercise says nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from narrator.model import Exercise, Hold, Routine, Sets
from narrator.options import MIN_HOLD_S
from narrator.parse.blocks import DASHES, TEXT_HEADING, Block, is_title_like
from narrator.parse.lang import Lexicon, alternation, phrase_regex, word_set
from narrator.parse.noise import (
    author_of,
    is_caption_of,
    is_keyword_list,
    is_outro_paragraph,
    is_promo,
    normalise,
    strip_figure_references,
)
from narrator.parse.sections import Layout, Section, asked_name
from narrator.parse.timing import (
    MAX_HOLD_SECONDS,
    Quantity,
    Timing,
    content_words,
    patterns,
    read_timing,
    split_sentences,
    trim_sentence,
)

if TYPE_CHECKING:
    from narrator.parse import ParseOptions

MIN_REPETITION_CAP = 40
MAX_REPETITIONS = 100
MAX_REPEATED_SECONDS = 600.0
"""How many holds one exercise may have. Past 40, a count is believed only while its holds
add up to at most ten minutes (the longest single hold): "hold 5 s, 3 sets of 20" is sixty
holds of 5 s, five minutes, as the page says; a count that would hold far longer is a rep
count misread, and never more than 100 holds."""



@dataclass(frozen=True)
class Rule:
    """What the article says about every exercise ("hold each stretch for 30 s each side")."""

    timing: Timing
    sentence: str
    sides_where_one_sided: bool = False
    """The rule's sides are only for exercises that work one side at a time ("do both sides
    where there are two"), and fill them in even under an exercise's own hold."""


# --------------------------------------------------------------------------- numbers as text


def seconds_text(seconds: float) -> str:
    return f"{seconds:g} s"


def _range_text(q: Quantity) -> str:
    unit = {"second": "s", "breath": "breaths", "count": "counts", "rep": "reps"}[q.unit]
    if q.is_range:
        return f"{q.low:g}\u2013{q.high:g} {unit}"
    return f"{q.low:g} {unit}"


def _pick(q: Quantity, options: ParseOptions) -> tuple[float, str | None]:
    """One value from a quantity, and a note if it was a range."""
    if not q.is_range:
        return q.low, None
    if options.range_choice == "lower":
        value, bound = q.low, "lower bound"
    elif options.range_choice == "middle":
        value, bound = (q.low + q.high) / 2, "middle"
    else:
        value, bound = q.high, "upper bound"
    return value, f"range {_range_text(q)}: used the {bound} ({value:g})"


def hold_seconds(q: Quantity, options: ParseOptions) -> tuple[float, list[str]]:
    """A duration in seconds, with notes on every conversion made."""
    value, range_note = _pick(q, options)
    notes = [range_note] if range_note else []
    if q.unit == "second":
        if range_note:
            notes = [f"range {_range_text(q)}: used the {range_note.split('used the ')[1]}"
                     .replace(f"({value:g})", f"({seconds_text(value)})")]
        return value, notes
    per = {"breath": options.seconds_per_breath, "count": options.seconds_per_count,
           "rep": options.seconds_per_rep}[q.unit]
    seconds = round(value * per, 3)
    what = {"breath": "breath", "count": "count", "rep": "rep"}[q.unit]
    plural = {"breath": "breaths", "count": "counts", "rep": "reps"}[q.unit]
    if q.unit == "rep":
        notes.append(f"{value:g} {plural}: a timed set of {seconds_text(seconds)} "
                     f"({per:g} s per {what})")
    else:
        notes.append(f"{value:g} {plural} at {per:g} s per {what}: {seconds_text(seconds)}")
    return seconds, notes


# --------------------------------------------------------------------------- names


def clean_name(raw: str, lex: Lexicon) -> str:
    """The exercise's name as written, without numbering, durations or trailing colons."""
    name = strip_figure_references(raw, lex).strip()
    name = asked_name(name, lex) or name  # "How to do the figure four stretch?"
    step_words = "|".join(re.escape(w) for w in lex.step_words)
    name = re.sub(
        rf"^(?:(?:{step_words})\s*#?\s*)?(?:\d{{1,2}}|[A-Za-z](?=[.)]))\s*[.):{DASHES}]\s*",
        "", name, flags=re.IGNORECASE,
    )
    name = re.sub(r"^#\d+\s*[.):\-\u2013\u2014]?\s*", "", name)
    # Durations in brackets or after a dash: "Child's Pose (30 seconds)", "Cobra - 5 breaths".
    name = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", lambda m: "" if _timing_only(m.group(0), lex)
                  else m.group(0), name)
    parts = re.split(r"\s+[-\u2013\u2014|:]\s+|:\s+|,\s+", name)
    if len(parts) > 1 and all(_timing_only(p, lex) for p in parts[1:]):
        name = parts[0]
    name = name.strip().rstrip(":.;,-\u2013\u2014 ").strip()
    if name.count('"') == 2:  # a name quoted whole: "Thread the needle"
        name = re.sub(r"^[\"\u201c'\u2018]+|[\"\u201d'\u2019]+$", "", name).strip()
    return name or raw.strip()


def _timing_only(text: str, lex: Lexicon) -> bool:
    inner = text.strip(" ()[]")
    return read_timing(inner, lex).says_anything and not content_words(
        _strip_quantities(inner, lex), lex
    )


def _strip_quantities(text: str, lex: Lexicon) -> str:
    from narrator.parse.timing import _without_timing  # the one place that blanks timing words

    return _without_timing(text, lex)


# --------------------------------------------------------------------------- one exercise


def _body_texts(section: Section, name: str, lex: Lexicon) -> tuple[list[str], list[str]]:
    """The exercise's sentences to speak, and extra lines that only carry timing."""
    texts: list[str] = []
    timing_lines: list[str] = []
    if section.inline:
        texts.append(section.inline)
    aside = False
    alternatives = {normalise(f) for f in lex.alternative_fields}
    for block in section.body:
        text = block.text
        label, labelled, _ = text.partition(":")
        offers = normalise(re.split(r"\(", label, maxsplit=1)[0]) in alternatives
        if block.kind == "heading":
            # "Alternative: zurücklehnen" offers another way: its lines, up to the next
            # heading, are neither this exercise's steps nor its dose.
            aside = offers
        if aside or (labelled and offers):
            continue  # so does a line of its own ("Variación: si tienes un momento más ...")
        if block.kind == "heading" or (block.kind == "paragraph" and is_title_like(text)
                                       and not text.rstrip().endswith(".")):
            # A caption, a sub-heading like "Tips", or a line like "Hold: 30 seconds".
            if read_timing(text, lex).says_anything and not is_caption_of(text, name):
                timing_lines.append(text)
            continue
        if block.kind == "row":
            timing_lines.append(text)
            continue
        # A step of the list in lower case ("- lean over to the right, hold for 5 breaths")
        # may look like keywords; keywords give no dose.
        if (is_keyword_list(text) and not (block.kind == "item" and read_timing(
                text, lex).says_anything)) or is_caption_of(text, name):
            continue
        texts.append(text)
    sentences: list[str] = []
    for text in texts:
        for sentence in split_sentences(text, lex):
            sentence = strip_figure_references(sentence, lex).strip()
            if not sentence or is_promo(sentence, lex) or is_caption_of(sentence, name):
                continue
            sentences.append(sentence)
    return sentences, timing_lines


def build_exercise(section: Section, rule: Rule | None, lex: Lexicon,
                   options: ParseOptions) -> Exercise:
    name = clean_name(section.name, lex)
    sentences, timing_lines = _body_texts(section, name, lex)
    timing = read_timing(". ".join([section.name, *timing_lines, *sentences]), lex)
    if section.sides is not None:
        timing = replace(timing, sides=section.sides, split=timing.split and section.sides)
    instructions: list[str] = []
    for sentence in sentences:
        kept = trim_sentence(sentence, lex)
        if kept and len(content_words(kept, lex)) >= 1:
            kept = kept[:1].upper() + kept[1:]
            if kept not in instructions:
                instructions.append(kept)
    body = " ".join([section.name, *sentences]).lower()
    one_sided = bool(phrase_regex(lex.one_sided).search(body)) and not phrase_regex(
        lex.both_limbs).search(body)
    holds, notes, sets = expand(timing, rule, options, one_sided=one_sided)
    return Exercise(name=name, instructions=tuple(instructions), holds=holds, notes=tuple(notes),
                    sets=sets)


def expand(timing: Timing, rule: Rule | None, options: ParseOptions, *,
           one_sided: bool = False) -> tuple[tuple[Hold, ...], list[str], Sets | None]:
    """Holds for one exercise, each side of each repetition in the order they are done; notes
    on every guess; and the sets, if the text counted them so."""
    notes = [f"ignored '{text}': not a hold length" for text in timing.ignored]
    said = list(timing.holds)
    if said and said[0].kind == "rest" and (timing.reps or timing.times):
        said = []  # "10 reps, rest 30 seconds": the rest is not the hold
    times = timing.times
    use_rule = rule is not None and not timing.gives_dose
    if (times is None or timing.repeat_unnumbered) and not timing.another and (
            rule is not None and rule.timing.times):
        # A rule fills what the exercise leaves out; a bare "rest and repeat" under "repeat
        # each one three times" is that rule's three, not two.
        times = rule.timing.times
    sets: Sets | None = None
    own_reps = timing.reps if timing.reps is not None else (
        rule.timing.reps if use_rule and rule is not None else None)
    reps = _reps(own_reps, options) if own_reps is not None else None
    values: list[float] = []
    if said:
        for q in said:
            seconds, found_notes = hold_seconds(q, options)
            values.append(seconds)
            notes += found_notes
        if len(said) > 1:
            notes.append("several holds: " + ", then ".join(seconds_text(v) for v in values))
        elif timing.sets and times and times > timing.sets:
            # "Hold 5 seconds. Repeat 10 times and do 2 sets": ten holds in each of two sets.
            sets = Sets(timing.sets, times)
            times = times * timing.sets
        elif reps is not None:
            # A hold per rep is one hold per rep, and sets multiply that: "Sets: 2, Reps: 10,
            # Hold: 3 s" is twenty holds of 3 s, in two sets.
            sets = Sets(timing.sets, reps) if timing.sets else None
            times = reps * (times or 1)
        elif timing.sets is not None:
            sets = Sets(timing.sets)
        if timing.split and values[0] >= 2 and len(values) == 1:
            notes.append(f"{seconds_text(values[0])} for both sides: "
                         f"{seconds_text(values[0] / 2)} a side")
            values = [values[0] / 2]
    elif own_reps is not None and reps is not None:
        seconds, found_notes = hold_seconds(own_reps, options)
        values, notes = [seconds], notes + found_notes
        sets = Sets(times or 1, reps)
    elif times is not None and not timing.another and (
            (times > 4 and (timing.times or (rule is not None
                                             and rule.timing.main_duration is None)))
            or (timing.times_per_side and (rule is None or rule.timing.main_duration is None))):
        # "Repeat 10 times" with no hold time is a set of movements, not ten holds; so is a
        # rule's "do each exercise 10 times" when neither it nor the exercise gives a time,
        # and a count said for each side of a movement going both ways, with no time
        # anywhere ("den Kopf nach rechts und nach links neigen. 3 Mal nach jeder Seite").
        seconds, found_notes = hold_seconds(Quantity(times, times, "rep", 0, 0), options)
        times_said = timing.times_text or (rule.timing.times_text if rule is not None else "")
        notes += [f"{times_said} with no hold time: " + found_notes[0]]
        # "8-12 volte, in 2-3 serie": the times are the reps of each set.
        count = timing.sets if timing.sets and timing.sets < times else None
        values, sets, times = [seconds], Sets(count or 1, times), count
    if values and not all(MIN_HOLD_S <= v <= MAX_HOLD_SECONDS for v in values):
        notes += [f"ignored '{seconds_text(v)}': not a hold length" for v in values
                  if not MIN_HOLD_S <= v <= MAX_HOLD_SECONDS]
        values, sets = [], None
    if not values:
        values = [_no_hold_time(timing, rule, options, notes)]
    sides = timing.sides
    if use_rule and rule is not None:
        sides = sides or rule.timing.sides
    if rule is not None and rule.sides_where_one_sided and one_sided and not timing.one_side:
        sides = True
    if sets is not None and sets.count > 1:
        sets = replace(sets, rest=_rest(timing, options, notes))
    repetitions = (times or 1) + timing.another
    if sides and timing.in_all and repetitions > 1:
        # "4 repetitions in all", then the other leg: the four are both sides' together.
        notes.append(f"{repetitions} in all, both sides together: {(repetitions + 1) // 2} "
                     "on each side")
        repetitions = (repetitions + 1) // 2
    cap = repetition_cap(values)
    if repetitions > cap:
        notes.append(f"{repetitions} repetitions: capped at {cap}")
        repetitions = cap
        if sets is not None and repetitions % sets.count:
            sets = None  # the sets no longer divide the holds evenly
    if timing.another:
        notes.append(f"{timing.another} more after the first: {repetitions} repetitions")
    order: tuple[str | None, ...] = (
        (("left", "right") if timing.left_first else ("right", "left")) if sides
        else (timing.one_side,))
    # Several holds in one exercise are done one after the other, like repetitions.
    sequence = [seconds for _ in range(repetitions) for seconds in values][:cap]
    holds = tuple(
        Hold(seconds=seconds, side=side, repetition=number)
        for number, seconds in enumerate(sequence, start=1)
        for side in order
    )
    return holds, notes, sets


def repetition_cap(values: list[float]) -> int:
    """The most repetitions of these holds one exercise may have (see MAX_REPEATED_SECONDS)."""
    per_round = sum(values) or 1.0
    return max(MIN_REPETITION_CAP, min(MAX_REPETITIONS, int(MAX_REPEATED_SECONDS // per_round)))


def _reps(q: Quantity, options: ParseOptions) -> int:
    return round(q.low if options.range_choice == "lower" else q.high)


def _rest(timing: Timing, options: ParseOptions, notes: list[str]) -> float | None:
    """The rest between sets ("30 s rest", "rest 1 minute between sets"), if the text says."""
    rest = next((q for q in timing.durations if q.kind == "rest"), None)
    if rest is None or rest.unit != "second":
        return None
    seconds, found_notes = hold_seconds(rest, options)
    notes += [n.replace("range", "rest", 1) for n in found_notes]
    return seconds


def _no_hold_time(timing: Timing, rule: Rule | None, options: ParseOptions,
                  notes: list[str]) -> float:
    """The routine's rule, else the default hold; with a note saying which and why."""
    why = "a distance, not a time" if timing.distance else "no hold time given"
    if rule is not None and rule.timing.main_duration is not None:
        seconds, found_notes = hold_seconds(rule.timing.main_duration, options)
        notes.append(f"{why}: used the routine's rule ({seconds_text(seconds)})")
        notes += found_notes
        return seconds
    notes.append(f"{why}: used the default hold ({seconds_text(options.default_hold)})")
    return options.default_hold


# --------------------------------------------------------------------------- the routine


MAX_ROUNDS = 10
"""A whole list done more often than this is a misread count, not rounds of the routine."""
ROUNDS_AFTER_BLOCKS = 2
"""After the exercises only the lines right under the last one say how often the list is done;
further down come comments and footers ("did 3 rounds of this last night!")."""


@dataclass(frozen=True)
class Rounds:
    """How many times the whole list is done ("do 2 rounds", "go through the list twice")."""

    count: int
    sentence: str


@cache
def _rule_words(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(
        rf"(?<!\w)(?:{'|'.join(re.escape(r) for r in lex.rule)})(?!\w)", re.IGNORECASE
    )


def _counts_rounds(sentence: str, timing: Timing, lex: Lexicon) -> bool:
    """Whether the sentence's count is of the whole list, not of each exercise."""
    count = timing.times or timing.sets
    if count is None or count < 2:
        return False
    # "doing each pose 3-5 times, holding each for 5 breaths; for a warm-up, speed the
    # sequence up": the clause that counts says what it counts.
    clause = next((c for c in re.split(r"[;:]", sentence)
                   if timing.times_text and timing.times_text in c), sentence)
    if phrase_regex(lex.whole_list).search(clause):
        return True
    # "Do 2 rounds" is the list; "hold each stretch 30 s, 2 rounds" is each exercise.
    return bool(phrase_regex(lex.list_rounds).search(sentence)
                and not _rule_words(lex).search(sentence))


def _rounds_said(sentence: str, timing: Timing) -> Rounds:
    """The rounds a sentence that counts them (`_counts_rounds`) says."""
    return Rounds(timing.times or timing.sets or 1, sentence)


def _without_count(timing: Timing) -> Timing:
    """The timing without its count, when the count is rounds of the list: what else it
    says ("hold every stretch 30 s") is still the routine's rule."""
    return replace(timing, times=None, times_text="", sets=None)


def find_rounds(before: tuple[Block, ...], after: tuple[Block, ...], lex: Lexicon,
                ) -> Rounds | None:
    """The sentence outside the exercises that says how often the whole list is done."""
    lead = re.compile(rf"^\W*(?:{alternation(lex.rounds_lead)})(?!\w)", re.IGNORECASE)
    for block in (*before, *after[:ROUNDS_AFTER_BLOCKS]):
        for sentence in split_sentences(block.text, lex):
            if block not in before and not lead.search(sentence):
                continue  # "last week I did 3 rounds of this!" is a reader's comment
            timing = read_timing(sentence, lex)
            if _counts_rounds(sentence, timing, lex):
                rounds = _rounds_said(sentence, timing)
                if rounds.count <= MAX_ROUNDS:
                    return rounds
    return None


IN_TURN_RULE_WORDS = 6
"""Words at most of a tip above the exercises that only says to do one side at a time
("One leg at a time.", "Une jambe à la fois."): a longer sentence is an exercise's step."""


def find_rule(blocks: tuple[Block, ...], lex: Lexicon, after: tuple[Block, ...] = (),
              ) -> Rule | None:
    """The sentences outside the exercises that time all of them.

    Before the exercises, a bare "Hold for 30 seconds." is the routine's rule; after them it
    is more likely the last exercise's own line, cut off: there a rule must say it is one
    ("each stretch", "all exercises")."""
    rule_words = _rule_words(lex)
    conditional = phrase_regex(lex.sides_where)
    both = phrase_regex(lex.both_limbs)
    hold_start = re.compile(rf"^\s*(?:{'|'.join(re.escape(h) for h in lex.hold)})\b",
                            re.IGNORECASE)
    in_turn = phrase_regex(lex.sides_in_turn)
    # "Ripetetela sequenza ... 3 volte", its words run together, still repeats the list.
    list_words = re.compile(rf"(?:{alternation(lex.whole_list)})(?!\w)", re.IGNORECASE)
    found: list[Rule] = []
    # The sides said among a list of tips whose other item is the rule ("Work both sides of
    # the body." beside "Hold each position for 10 to 30 seconds."), by run of list items.
    list_sides: dict[int, list[Rule]] = {}
    ruled_lists: set[int] = set()
    every = (*blocks, *after)
    run = 0
    for index, block in enumerate(every):
        if block.kind != "item" or index == 0 or every[index - 1].kind != "item":
            run = index
        before = index < len(blocks)
        tip = block.kind == "item" and before
        sided: list[Rule] = []
        tip_sides: list[Rule] = []
        ruled = len(found)
        for sentence in split_sentences(block.text, lex):
            timing = read_timing(sentence, lex)
            if _counts_rounds(sentence, timing, lex):
                # "hold every stretch 30 s and go through the list twice": the count is
                # rounds of the list (see find_rounds); what else it says is still the rule.
                timing = _without_count(timing)
            if not timing.says_anything:
                continue
            if tip and timing.sides:
                # Only the sides, and only where an exercise works one side ("your right
                # leg"): "at least three sets on each side" among tips counts nothing the
                # exercises do not count themselves.
                tip_sides.append(Rule(replace(timing, times=None, times_text="", sets=None),
                                      sentence, sides_where_one_sided=True))
            # "do both sides where there are two", "do both legs where there are two".
            if conditional.search(sentence) and (timing.sides or both.search(sentence)):
                found.append(Rule(timing, sentence, sides_where_one_sided=True))
            elif rule_words.search(sentence) or (
                before and hold_start.search(sentence)
                and timing.main_duration is not None
            ) or (before and timing.sets and timing.reps) or (
                before and timing.sides and in_turn.search(sentence)
                and len(sentence.split()) <= IN_TURN_RULE_WORDS):
                # "Do 3 sets of 8-15 reps" before the exercises is how each is done; so is
                # "Une jambe à la fois." among the tips above them.
                found.append(Rule(timing, sentence))
            elif (timing.sides and not timing.times) or (
                    before and not tip and timing.times and timing.main_duration is None
                    and not timing.sides and not timing.sets
                    and not list_words.search(sentence)):
                sided.append(Rule(timing, sentence))
        if len(found) > ruled:
            # "Each one gets 4-12 breaths ... and then you repeat on the other side": the
            # rule's paragraph says the sides in a sentence of their own, and so the count
            # ("Doing the same stretch at least four times is recommended").
            found.extend(sided)
            if tip:
                ruled_lists.add(run)
        elif tip:
            list_sides.setdefault(run, []).extend(tip_sides)
    found.extend(r for key in sorted(ruled_lists) for r in list_sides.get(key, []))
    return _joined(found)


def _joined(rules: list[Rule]) -> Rule | None:
    """One rule from the sentences that make it ("stay there for 20 seconds. Do each stretch
    3 times."): the first duration, the first count of times, and sides if any says so."""
    if not rules:
        return None
    timed = next((r for r in rules if r.timing.main_duration is not None), None)
    counted = next((r for r in rules if r.timing.times), None)
    used = [r for r in rules if r is timed or r is counted] or rules[:1]
    sided = [r for r in rules if r.timing.sides or r.sides_where_one_sided]
    conditional = [r for r in sided if r.sides_where_one_sided]
    repped = next((r for r in rules if r.timing.reps is not None), None)
    used += [r for r in (repped,) if r is not None and r not in used]
    timing = replace(
        (timed or rules[0]).timing,
        reps=repped.timing.reps if repped else None,
        times=counted.timing.times if counted else None,
        times_text=counted.timing.times_text if counted else "",
        sides=bool(sided) and not conditional,
    )
    used += [r for r in conditional if r not in used]
    return Rule(timing, " ".join(r.sentence for r in rules if r in used),
                sides_where_one_sided=bool(conditional))


def _title_line(before: list[Block], lex: Lexicon) -> str:
    """A short line naming the routine, for an article with no heading ("my 10 min morning
    routine that fixed my back (desk job)")."""
    for block in before:
        text = block.text.strip()
        if block.kind != "paragraph" or len(text) > 120 or text.endswith((".", "!", "?", ":")):
            continue
        words = word_set(text)
        if words & set(lex.title_words):
            return _without_prefixes(text, lex)
    return ""


def find_title(blocks: list[Block], layout: Layout, page_title: str, lex: Lexicon) -> str:
    """The article's title: its top heading, else a heading before the exercises.

    Among plain-text headings, one that names the routine ("... Stretching Exercises")
    beats a clinic's or a product's name standing above it.
    """
    first_exercise = layout.sections[0].start
    before = blocks[:first_exercise]
    for block in before:
        if block.kind == "heading" and block.level == 1:
            return block.text
    for block in before:
        if block.kind == "heading" and block.level < TEXT_HEADING:
            return block.text
    if page_title:
        return re.split(r"\s+[|\u2013\u2014]\s+|\s+-\s+(?=[^-]*$)", page_title)[0].strip()
    headings = [_without_prefixes(b.text, lex) for b in before if b.kind == "heading"]
    for heading in headings:
        words = word_set(heading)
        if words & set(lex.title_words):
            return heading
    return headings[0] if headings else _title_line(before, lex)


def _without_prefixes(title: str, lex: Lexicon) -> str:
    """"Re: Stretches after leg day?" -> "Stretches after leg day?"; "Section 4: X" -> "X"."""
    title = re.sub(r"^(?:(?:re|aw|fwd?|wg)\s*:\s*)+", "", title, flags=re.IGNORECASE).strip()
    words = "|".join(re.escape(w) for w in (*lex.step_words, "section", "chapter"))
    return re.sub(rf"^(?:{words})\s*\d+\s*[:.]\s+", "", title, flags=re.IGNORECASE).strip()



def find_description(before: tuple[Block, ...], title: str, lex: Lexicon) -> str:
    """One or two speakable sentences from the introduction, for the spoken intro."""
    chosen: list[str] = []
    for block in before:
        if block.kind != "paragraph" or block.text == title:
            continue
        if is_keyword_list(block.text) or is_outro_paragraph(block.text, lex):
            continue
        for sentence in split_sentences(block.text, lex):
            kept = trim_sentence(strip_figure_references(sentence, lex), lex)
            if not kept or is_promo(kept, lex) or kept.endswith("?") or "!" in kept:
                continue
            if len(kept.split()) > 35 or not patterns(lex):
                continue
            chosen.append(kept)
            if len(chosen) == 2:
                return " ".join(chosen)
        if chosen:
            break
    return " ".join(chosen)


def find_author(blocks: list[Block], lex: Lexicon) -> str:
    for block in blocks:
        author = author_of(block, lex)
        if author:
            return author
    return ""


CLOSING_RULE_MAX_SECONDS = 60
"""A dose line closing the list holds a stretch's usual time at most: "stay here for 5 minutes"
under the last pose is that pose's rest, not a rule for every pose."""


def _gives_dose(section: Section, lex: Lexicon) -> bool:
    sentences, timing_lines = _body_texts(section, clean_name(section.name, lex), lex)
    return read_timing(". ".join([section.name, *timing_lines, *sentences]), lex).gives_dose


def lone_rule(sections: tuple[Section, ...], lex: Lexicon) -> tuple[int, Rule] | None:
    """A dose said for every exercise inside the one exercise that doses at all: set apart
    under the last of several ("Die Dehnung ca. 20 Sekunden halten und dann die Seite
    wechseln." after blank lines), said there for all of them ("Beide Dehnungen je 40
    Sekunden pro Seite halten"), or said for all in the first one's text ("stay 3 to 5
    minutes in every pose of this sequence"): the page's rule, and the exercise it is in."""
    if len(sections) < 2:
        return None
    dosed = [n for n, section in enumerate(sections) if _gives_dose(section, lex)]
    if len(dosed) > 1 or (dosed and dosed[0] not in (0, len(sections) - 1)):
        return None
    candidates = dosed or [len(sections) - 1]
    for n in candidates:
        rule = _rule_in(sections[n], lex, closing=n == len(sections) - 1)
        if rule is not None:
            return n, rule
    return None


def _rule_in(section: Section, lex: Lexicon, *, closing: bool) -> Rule | None:
    rule_words = _rule_words(lex)
    paragraphs = [*([section.inline] if section.inline else []),
                  *(b.text for b in section.body if b.kind == "paragraph")]
    found: list[Rule] = []
    for index, paragraph in enumerate(paragraphs):
        sentences = split_sentences(paragraph, lex)
        # Only under the last exercise, only its last paragraph, and only when it says
        # nothing but the dose; elsewhere a sentence must say it is for all ("each stretch",
        # "beide Übungen").
        alone = closing and index == len(paragraphs) - 1 and index > 0 and all(
            trim_sentence(s, lex) is None for s in sentences)
        for sentence in sentences:
            timing = read_timing(sentence, lex)
            main = timing.main_duration
            if not timing.gives_dose or (main is not None and main.high > CLOSING_RULE_MAX_SECONDS
                                         and main.unit == "second" and closing):
                continue
            if alone or rule_words.search(sentence):
                found.append(Rule(timing, sentence))
    return _joined(found)


def _without_sentences(section: Section, said: str, lex: Lexicon) -> Section:
    """The section without the sentences of `said`, wherever it has them."""
    def cut(text: str) -> str:
        for sentence in split_sentences(said, lex):
            text = text.replace(sentence, " ")
        return re.sub(r"[ \t]{2,}", " ", text).strip()
    body = tuple(replace(b, text=cut(b.text)) for b in section.body)
    return replace(section, inline=cut(section.inline),
                   body=tuple(b for b in body if b.text))


def _group_head(block: Block, lex: Lexicon) -> Rule | bool | None:
    """A heading over a group of exercises: the group's rule when it gives a dose ("Spalle
    (cinque ripetizioni per lato)", "Strength (10 reps)"), None for a plain one ("Stretching"),
    False for a line that is no group's heading (a bare "Hold 30 seconds" is a dose line)."""
    if block.kind != "heading" or re.search(r"[.!?]\s", block.text) or not content_words(
            _strip_quantities(block.text, lex), lex):
        return False  # a sentence on a line of its own is the exercise's text
    timing = read_timing(block.text, lex)
    return Rule(timing, block.text) if timing.says_anything else None


def _group_rules(before: tuple[Block, ...], sections: tuple[Section, ...], lex: Lexicon,
                 ) -> tuple[tuple[Section, ...], tuple[Rule | None, ...]]:
    """Exercises set in groups under headings of their own, where a group's heading gives
    the dose of its exercises ("Esercizi (cinque ripetizioni per lato)" over items 4 and 5,
    "Rinforzo (dieci ripetizioni)" over 8 to 10): the heading that ends one exercise's text,
    straight above the next exercise, is the next group's, not words of the one above it.
    Each exercise gets its group's rule (None where the group gives no dose), and the
    sections lose those headings. Only numbered exercises are grouped so: under headed ones
    a heading is an exercise's own."""
    if len(sections) < 2 or any(s.number is None for s in sections):
        return sections, (None,) * len(sections)
    first = _group_head(before[-1], lex) if before else False
    group = first if isinstance(first, Rule) else None
    out: list[Section] = []
    rules: list[Rule | None] = []
    dosed = False
    for n, section in enumerate(sections):
        rules.append(group)
        body = list(section.body)
        if n + 1 < len(sections) and body:
            head = _group_head(body[-1], lex)
            if head is not False:
                body.pop()
                group = head if isinstance(head, Rule) else None
                dosed = dosed or group is not None
        out.append(replace(section, body=tuple(body)) if len(body) != len(section.body)
                   else section)
    if not dosed:
        return sections, (None,) * len(sections)
    return tuple(out), tuple(rules)


def build_routine(
    blocks: list[Block],
    all_blocks: list[Block],
    layout: Layout,
    lex: Lexicon,
    options: ParseOptions,
    *,
    source: str,
    page_title: str,
    fallback_title: str,
) -> Routine:
    rule = find_rule(layout.before, lex, layout.after)
    sections = layout.sections
    rounds = find_rounds(layout.before, layout.after, lex)
    lone = lone_rule(sections, lex) if rule is None else None
    if lone is not None:
        # The page's rule, written in one exercise: that exercise's own words no more
        # ("zwei Durchgänge" counts the list, not the last exercise twice more).
        at, closing = lone
        rule = closing
        sections = (*sections[:at], _without_sentences(sections[at], closing.sentence, lex),
                    *sections[at + 1 :])
        if rounds is None and _counts_rounds(closing.sentence, closing.timing, lex):
            rounds = _rounds_said(closing.sentence, closing.timing)
            rule = replace(closing, timing=_without_count(closing.timing))
    sections, group_rules = _group_rules(layout.before, sections, lex)
    exercises = tuple(build_exercise(s, group or rule, lex, options)
                      for s, group in zip(sections, group_rules, strict=True))
    if rounds is not None:
        exercises *= rounds.count  # the session goes through the list again, in order
    title = find_title(blocks, layout, page_title, lex) or fallback_title
    # The description is read after the title: what comes before it is usually page furniture.
    titled = [i for i, b in enumerate(layout.before) if b.text == title]
    before = layout.before[titled[0] + 1 :] if titled else layout.before
    notes: list[str] = []
    if rule is not None:
        notes.append(f"routine rule: \"{rule.sentence}\" applies where an exercise gives no time")
    if rounds is not None:
        notes.append(f"rounds: \"{rounds.sentence}\" goes through the list "
                     f"{rounds.count} times")
    if lex.code != "en":
        notes.append(f"language: {lex.name}")
    return Routine(
        title=title,
        exercises=exercises,
        source=source,
        author=find_author(all_blocks, lex),
        description=find_description(before, title, lex),
        notes=tuple(notes),
        language=lex.code,
    )
