"""Is the best reading of a text a routine at all? A recipe, a news story or a shop page can
have numbered parts with times in them ("4. Bake for 35 minutes"), so a layout alone is not
enough: its parts must also read like exercises, by naming stretches, poses or body parts.

A part reads like an exercise when it is about the body (its name holds such a word, or its
text two different ones: "lie on your back and pull one knee to your chest") and says what
to do (an instruction verb, a hold for a time, both sides). A news story that mentions
"stretching", or a forum question that names stretches, does neither; a recipe's steps say
what to do, but not with the body. The words are the text's own
language's, with the long ones of every language ("stretching", "Dehnung"), so a routine
that mixes languages is still recognised; short words count only whole ("hip", not the
"back" of "Backofen").
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from narrator.parse import lang
from narrator.parse.blocks import Block, is_title_like
from narrator.parse.lang import alternation, phrase_regex
from narrator.parse.sections import (
    NAME_WORDS,
    NOT_VERBS,
    Layout,
    Section,
    asked_name,
    direct_body,
    final_verb,
    has_rule,
    is_field_name,
    label_of,
    names_body,
    opening_infinitive,
    opening_reflexive,
)
from narrator.parse.timing import read_timing

MIN_SHARE = 1 / 2
"""At least this share of the parts must read like exercises."""


LONG = 6
"""Words this long also count inside compounds ("Wadendehnung", "Oberschenkeldehnung")."""


@cache
def exercise_words(lex: lang.Lexicon) -> re.Pattern[str]:
    own = {w for w in (*lex.vocabulary, *lex.body_words, *lex.title_words) if len(w) >= 3}
    long = {w for code in lang.available() for w in lang.load(code).vocabulary
            if len(w) >= LONG} | {w for w in own if len(w) >= LONG}
    short = own - long
    # Short words whole, with a plural or case ending at most ("hips", "Knie", "Beine").
    shorts = "|".join(re.escape(w) for w in sorted(short, key=len, reverse=True))
    # A pose's Sanskrit name ends in "asana" ("Janushirasana", "Bhekasana") on a yoga page
    # in any language.
    alternatives = [*(re.escape(w) for w in sorted(long, key=len, reverse=True)),
                    rf"(?<!\w)(?:{shorts})(?:e|s|es|n|en)?(?!\w)", r"[^\W\d_]{2,}asanas?(?!\w)"]
    return re.compile("|".join(alternatives), re.IGNORECASE)


@cache
def _holding(lex: lang.Lexicon) -> re.Pattern[str]:
    """A hold verb, then a number: "hold 30 seconds", "Stay here for a minute", "halten Sie
    20 Sekunden". Short words such as "for" are left out: "bake for 35 minutes" is no hold."""
    verbs = _hold_verbs(lex)
    if not verbs:
        return re.compile(r"(?!x)x")
    units = _units_of(lex, ("second", "minute", "breath", "count"))
    return re.compile(rf"(?<!\w)(?:{verbs})(?!\w)[^.!?\d]{{0,30}}(?:\d|{lex.number_pattern})"
                      rf"[\d\s.,\-\u2013]*(?:{units})(?!\w)", re.IGNORECASE)


def _hold_verbs(lex: lang.Lexicon) -> str:
    """The language's hold verbs as one alternation; short words such as "for" left out."""
    return alternation([w for w in lex.hold if len(w) >= 4])


def _units_of(lex: lang.Lexicon, units: tuple[str, ...]) -> str:
    return alternation([u for unit in units for u in lex.units.get(unit, ())])


@cache
def _holding_vaguely(lex: lang.Lexicon) -> re.Pattern[str]:
    """A hold verb, then a number left vague: "stay for a few breaths", "bleiben Sie dort
    einige Atemzüge lang", "restez quelques secondes". A dose all the same: the default
    hold."""
    verbs = _hold_verbs(lex)
    if not verbs or not lex.few:
        return re.compile(r"(?!x)x")
    units = _units_of(lex, ("second", "minute", "breath"))
    vague = rf"(?<!\w)(?:{alternation(lex.few)})\s+(?:[^\W\d_]+\s+)?(?:{units})(?!\w)"
    # German puts the verb last: "einige Atemzüge lang so bleiben".
    return re.compile(rf"(?<!\w)(?:{verbs})(?!\w)[^.!?\d]{{0,30}}{vague}"
                      rf"|{vague}[^.!?\d]{{0,20}}(?<!\w)(?:{verbs})(?!\w)", re.IGNORECASE)


def _text(section: Section) -> str:
    # One line a block: a bullet of steps ("Drop your chin to your chest") has no full stop,
    # and run together the bullets would read as one long sentence, one step.
    return "\n".join([section.inline, *(b.text for b in direct_body(section))])


@cache
def _imperative(lex: lang.Lexicon) -> re.Pattern[str]:
    """A sentence starting with an instruction verb: "Lie on your back", "Setzen Sie sich"."""
    verbs = alternation(sorted(w for w in lex.instruction_starts if w not in NOT_VERBS))
    if not verbs:
        return re.compile(r"(?!x)x")
    # Notes and drill cards run their clauses together with dashes ("Hands on hips - lift the
    # knee - land on the forefoot"): a clause after one starts like a sentence.
    # A handout's instructions put the verb last, as an infinitive ("Den Arm vor der Brust
    # zur anderen Seite führen.", "Kopf seitlich in Richtung Schulter ziehen."): a long verb
    # of the list that closes a clause after a lower-case word says what to do as well.
    return re.compile(rf"(?:(?:^|[.!?:;]\s+|\n)[\W\d_]*|[^\W\d_]\s[-\u2013\u2014]\s+)"
                      rf"(?:{verbs})(?!\w)|{final_verb(lex).pattern}", re.IGNORECASE)


def about_the_body(section: Section, lex: lang.Lexicon) -> bool:
    """Its name holds a stretch, pose or body-part word, or its text holds two different ones."""
    words = exercise_words(lex)
    if words.search(section.name):
        return True
    return len({m.group(0).lower() for m in words.finditer(_text(section))}) >= 2


def says_what_to_do(section: Section, lex: lang.Lexicon) -> bool:
    """It tells the reader what to do: an instruction verb, a hold for a time, or both sides."""
    full = f"{section.name}. {_text(section)}"
    return bool(_imperative(lex).search(full) or _holding(lex).search(full)
                or _holding_vaguely(lex).search(full)
                or opening_infinitive(lex).search(_text(section))
                or _modal_order(_text(section), lex)
                or read_timing(full, lex).sides)


@cache
def _modal_pattern(lex: lang.Lexicon) -> re.Pattern[str]:
    if not lex.modal_orders:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<!\w)(?:{alternation(lex.modal_orders)})\s+"
                      rf"(?P<verb>[^\W\d_]{{2,}})", re.IGNORECASE)


def _modal_order(text: str, lex: lang.Lexicon) -> bool:
    """An order through a modal verb and the verb after it, in a sentence about the body:
    "Bisogna mettersi in piedi su una gamba", "ela deve empurrar os calcanhares". Not a
    question, not "you should never stretch cold muscles", and not a thing that must be
    or have ("una esterilla debe tener buena adherencia")."""
    titles = {w.lower() for w in lex.title_words}
    endings = lex.infinitive_endings
    for sentence in _sentences(text):
        if sentence.rstrip().endswith("?"):
            continue
        for m in _modal_pattern(lex).finditer(sentence):
            verb = m.group("verb").lower()
            if verb in lex.modal_not_orders or _negated(sentence[: m.start()], lex):
                continue
            # The Romance languages put an infinitive after the modal ("Bisogna mettersi",
            # "deve empurrar"); "Il faut aussi ..." has none there.
            # A pronoun joined on may take the infinitive's last vowel ("mettere" + "si").
            bare = re.sub(r"(?:si|se|ti|mi|ci|vi|lo|la|le)$", "", verb)
            if endings and not (verb.endswith(endings) or (
                    bare != verb and bare.endswith((*endings, *(e[:-1] for e in endings))))):
                continue
            # About the body, not about stretching or yoga in general.
            if any(w.group(0).lower() not in titles
                   for w in exercise_words(lex).finditer(sentence)):
                return True
    return False


def _negated(before: str, lex: lang.Lexicon) -> bool:
    """A negation just before ("non bisogna", "you should not" is the verb's own)."""
    if not lex.negations:
        return False
    return bool(re.search(rf"(?<!\w)(?:{alternation(lex.negations)})\s+(?:\S+\s+)?$", before,
                          re.IGNORECASE))


def reads_like_exercise(section: Section, lex: lang.Lexicon) -> bool:
    """A part is an exercise when it is about the body and says what to do with it, or is
    named as an exercise and given a time ("Butterfly: 3 minutes"); a part that says to hold
    a position for a time is one even with an unknown name ("Tadasana: stay here for 30
    seconds")."""
    if about_the_body(section, lex) and says_what_to_do(section, lex):
        return True
    full = f"{section.name}. {_text(section)}"
    timing = read_timing(full, lex)
    if timing.sides and timing.main_duration is not None:
        return True  # "Pyramid - 45s/side"
    if timing.sets is not None and (about_the_body(section, lex)
                                    or says_what_to_do(section, lex)):
        return True  # a drill counted in sets ("Sets & Reps: 3 sets x 15m"): no recipe does
    words = exercise_words(lex)
    if words.search(section.name) and (
            timing.says_anything
            or len({m.group(0).lower() for m in words.finditer(_text(section))}) >= 2):
        return True  # "Gemelos" over a text about the wall, the knee and the leg
    return bool(_holding(lex).search(full) and _imperative(lex).search(full))


SINGLE_NAME_WORDS = 4
"""A one-exercise text named by one stretch word ("Pigeon", "Hamstring stretch") has a short
name; a longer one with a single such word is a title or a sentence ("What I learned from
stretching every night")."""


def names_one_exercise(section: Section, lex: lang.Lexicon) -> bool:
    """Whether the only part of a text is named as one exercise: "Seated Spinal Twist",
    "Cobra". A text that is one exercise must say which, while an article, a leaflet or a forum
    post read as one part is named by its title ("Les étirements : à quoi servent-ils ?") or
    its first sentence, which names no stretch, or only the word "stretching" in a longer
    line. A question never names an exercise."""
    name = section.name
    if "?" in name or _counts_exercises(name, lex):
        return False
    if section.inline.rstrip().endswith("?") and not re.search(r"[.!?]\s", section.inline):
        return False  # "Stretching: quanto tempo dovrei tenere ...?": the topic of a question
    words = re.findall(r"[^\W\d_]+", name.lower())
    if words and words[-1] in lex.routine_words and any(
            _counts_exercises(s, lex) for s in _sentences(_text(section))):
        return False  # "The Best Hamstring Stretches" over "three different hamstring stretches"
    items = [i.strip() for i in re.split(r",|\s(?:and|und|et|e|y)\s", name) if i.strip()]
    if len(items) >= 3 and all(len(i.split()) == 1 for i in items):
        return False  # "Souplesse, mobilité, posture, respiration": an article's topics
    found = _exercise_words_in(name, lex)
    # Dashes between the words are no words ("Couch Stretch - Contract Relax").
    words = [w for w in name.split() if any(c.isalnum() for c in w)]
    return len(found) >= 2 or (len(found) == 1 and len(words) <= SINGLE_NAME_WORDS)


def _exercise_words_in(name: str, lex: lang.Lexicon) -> set[str]:
    """The stretch, pose and body-part words of a name. A routine's word names no one
    exercise ("Reprogramaciones" holds "programa"), nor does a word only titles use ("Yoga
    management software")."""
    own = {w.lower() for w in (*lex.vocabulary, *lex.body_words)}
    general = {w.lower() for w in (*lex.routine_words, *lex.title_words)} - own
    return {m.group(0).lower() for m in exercise_words(lex).finditer(name)} - general


def _names_its_part(section: Section, lex: lang.Lexicon) -> bool:
    """A heading over the one exercise that names the part of the body it works ("Physical
    Therapy Hip Tension Relief"): the site's name at the top ("Hands on Health", "Strong
    Backs Studio") is no better name for it, body word or not."""
    return (section.number is None and not section.inline and is_title_like(section.name)
            and bool(_exercise_words_in(section.name, lex))
            and not is_field_name(section.name, lex))


def named_by_title(layout: Layout, page_title: str, lex: lang.Lexicon) -> Layout:
    """A page about one exercise whose only part is headed by a field ("Übungsablauf",
    "How to do it", "UNE FOIS ARRIVÉE") or a step, while the exercise's name is the page's
    title ("Nacken lockern" at the top of a TV station's health page, the <title> of a
    clinic's exercise sheet): that part is the exercise, named by the title. The title must
    name one exercise, and the part must give a time or both sides, so an article with one
    heading about a body part ("Knee pain") is still no routine."""
    if len(layout.sections) != 1:
        return layout
    section = layout.sections[0]
    if names_one_exercise(section, lex):
        return layout
    if _names_its_part(section, lex):
        return layout
    timing = read_timing(f"{section.name}. {_text(section)}", lex)
    if timing.main_duration is None and not timing.sides:
        return layout
    # A page about one exercise leads to it in prose; a manual's contents, warnings and
    # chapters before its one timed part ("Premere il tasto ... 3 secondi") are lists.
    if any(b.kind in ("item", "row") for b in layout.before):
        return layout
    titles = [b.text for b in layout.before if b.kind == "heading"]
    if page_title:
        titles.insert(0, page_title)
    for title in titles:
        if names_one_exercise(replace(section, name=title), lex) and not (
                _counts_exercises(title, lex)):
            # The old name reads as the first words of the text it headed.
            inline = section.inline or (section.name if not is_title_like(section.name)
                                        else "")
            return replace(layout, sections=(replace(section, name=title, inline=inline),))
    return layout


def _counts_exercises(name: str, lex: lang.Lexicon) -> bool:
    """A name that counts a routine's exercises ("Three Easy Desk Exercises to Relieve Neck
    Pain", "Dix exercices d'étirement", "7 stretches in 7 minutes"): the title of a list, so a
    text read as one part under it holds none of the list's exercises as parts. "A" and "one"
    count nothing."""
    # isdecimal, not isdigit: "²" is a digit to Python but no number int() reads.
    words = re.findall(r"[^\W\d_]+|\d+", name.lower())
    counted = any((w.isdecimal() and int(w) >= 2) or lex.numbers.get(w, 0) >= 2 for w in words)
    return counted and any(w in lex.routine_words for w in words)


def _unmarked(sections: tuple[Section, ...], lex: lang.Lexicon) -> bool:
    """No part is named like an exercise, nor numbered or labelled as one ("3.", "Übung 2")."""
    words = exercise_words(lex)
    if any(words.search(s.name) for s in sections):
        return False
    # "Ubung 1", "Piece 3": a word and a number, a label in place of a name.
    label = re.compile(r"^\W*[^\W\d_]+\s*#?\s*\d{1,2}\W*$")
    return not all(s.number is not None or label.match(s.name) for s in sections)


def _numbered_only(sections: tuple[Section, ...], lex: lang.Lexicon) -> bool:
    """The parts are numbered, but no name holds a stretch, pose or body-part word ("4.
    OPERATION", "5. ATTACHMENTS"; or "1. Tadasana"): numbers mark a manual's chapters as
    readily as a routine's exercises, so then most parts, not half, must read as exercises."""
    words = exercise_words(lex)
    return len(sections) > 1 and not any(words.search(s.name) for s in sections)


def _ruled_after(layout: Layout, lex: lang.Lexicon) -> bool:
    """A list of names with the rule for them all right under it ("Hold each stretch for
    between 30-60 seconds.")."""
    return bool(layout.after) and has_rule([layout.after[0]], lex)


def _tells_nothing(sections: tuple[Section, ...], layout: Layout, lex: lang.Lexicon) -> bool:
    """Nothing on the page tells the reader what to do: no part gives a step ("Lie on your
    back"), a hold for a time or both sides, no rule above the parts does, and not every
    part is at least dosed, as a poster's or a table's names with their times are ("Butterfly:
    3 minutes"). Then the parts name stretches and the body, but give no exercise to do: an
    article about stretching ("What is stretching?"), a list of stretching mistakes ("Not
    holding a stretch long enough", "Stretching too hard"), a pose's "why it matters", a
    studio's timetable and booking rules. A routine, however short, says what to do."""
    if any(_holding(lex).search(b.text) for b in layout.before):
        return False
    if _ruled_after(layout, lex):
        return False
    for section in sections:
        full = f"{section.name}. {_text(section)}"
        # The step is in the text: a name may read as an order ("Stretch without warming
        # up") in a list of mistakes.
        if (_imperative(lex).search(_text(section)) or _holding(lex).search(full)
                or opening_reflexive(lex).search(_text(section))
                or _modal_order(_text(section), lex)
                or read_timing(full, lex).sides):
            return False
    return not all(_dosed(section, lex) for section in sections)


def _dosed(section: Section, lex: lang.Lexicon) -> bool:
    """A time, a count of reps or a number of sets, or a hold for a vague few breaths."""
    text = f"{section.name}. {_text(section)}"
    timing = read_timing(text, lex)
    return (timing.main_duration is not None or timing.reps is not None
            or timing.sets is not None or bool(_holding_vaguely(lex).search(text)))


MIN_BODY_ORDERS = 2
"""Orders about the body a text of one exercise with no hold and no count must give (both
sides count as one, not as a dose: "each leg" turns up in prose about the body), when its name
holds only one stretch or body word: a stretch told in steps has several ("Lie on your
back...", "Draw the knee..."); a workshop's advert named "Spring Stretch & Restore Day" has
one at most ("every pose can be adapted"). "Neck Roll" names its exercise well enough."""


def _body_orders(texts: list[str], lex: lang.Lexicon) -> int:
    """Sentences that tell the reader to do something and name a stretch, pose or body part:
    in the exercise's text, and in the steps after it that a copy may have cut off."""
    words = exercise_words(lex)
    return sum(1 for text in texts for sentence in _sentences(text)
               if _imperative(lex).search(sentence.strip()) and words.search(sentence))


def missing(layout: Layout, lex: lang.Lexicon) -> str | None:
    """What the layout lacks to be a routine, as words for the error; None if it is one.

    A rule above the exercises ("Hold each stretch for 10 seconds") says what to do for
    all of them: then parts named as exercises ("NECK SIDE BEND") are enough."""
    sections = layout.sections
    if len(sections) == 1 and not names_one_exercise(sections[0], lex):
        lacks = not_one_exercise(f"{sections[0].name}. {_text(sections[0])}", lex)
        also = f", and its text {lacks}" if lacks else ""
        return (f"not a stretching routine: its one part, '{sections[0].name[:60]}', does not "
                f"name a stretch, pose or body part{also} (expected exercises such as 'Calf "
                "stretch: lean into the wall, hold 30 seconds each side')")
    only = sections[0]
    timing = read_timing(f"{only.name}. {_text(only)}", lex)
    # Both sides count as one order: "Bring one knee forward ..., then switch sides".
    orders = _body_orders([_text(only), *(b.text for b in layout.after)], lex) + timing.sides
    if len(sections) == 1 and len(_exercise_words_in(only.name, lex)) < 2 and not (
            _dosed(only, lex) or (timing.times or 0) > 1) and orders < MIN_BODY_ORDERS:
        return (f"not a stretching routine: its one part, '{sections[0].name[:60]}', gives no "
                "hold and no count, and hardly says what to do with the body "
                "(expected exercises such as 'Calf stretch: lean into the wall, hold 30 "
                "seconds each side')")
    ruled = any(_holding(lex).search(b.text) for b in layout.before) or _ruled_after(layout, lex)
    words = exercise_words(lex)
    if _unmarked(sections, lex):
        # Parts headed by words that name no stretch, pose or body part, and not numbered
        # as exercises either ("OPERATION", "ATTACHMENTS", "WARRANTY"): only their text can
        # show they are exercises, by being about the body and saying what to do with it.
        # Pressing a button for 3 seconds is not enough.
        named = sum(about_the_body(s, lex) and says_what_to_do(s, lex) for s in sections)
    else:
        named = sum(reads_like_exercise(s, lex) or (ruled and bool(words.search(s.name)))
                    for s in sections)
    parts = f"{len(sections)} part{'s' if len(sections) != 1 else ''}"
    if named >= max(1, MIN_SHARE * len(sections)) and not (
            _numbered_only(sections, lex) and named * 2 <= len(sections)):
        if not _tells_nothing(sections, layout, lex):
            return None
        return (f"not a stretching routine: found {parts} about stretching or the body, but "
                "none says what to do: no step, no hold for a time, no sides (expected "
                "exercises such as 'Calf stretch: lean into the wall, hold 30 seconds each "
                "side')")
    timed = sum(read_timing(f"{s.name}. {_text(s)}", lex).says_anything for s in sections)
    dose = f", {timed} with times or counts," if timed else ""
    few = "none" if not named else f"only {named}"
    return (f"not a stretching routine: found {parts}{dose} but {few} of them say what to do "
            "with which part of the body (expected exercises such as 'Calf stretch: lean "
            "into the wall, hold 30 seconds each side')")


def as_one_exercise(blocks: list[Block], layout: Layout, lex: lang.Lexicon) -> Layout | None:
    """The page read as ONE exercise named by its title, for a layout that is refused or
    that is only labelled fields (`labels_only`).

    An exercise's own page gives its name once, as the title ("Estiramiento de
    isquiotibiales", "Double Leg Straddle Stretch"), and cuts the rest into headed facets
    ("Técnica paso a paso", "Músculos implicados", "Errores frecuentes") or labelled fields
    ("Preparation:", "Execution:", "Comments:"), of which the noise and aside passes may
    leave only one ("How to do it"). Read as parts, those facets name no stretch
    and at most one carries the dose, so the page is refused as a list; read whole under the
    title, it is the one exercise it describes. The title is the nearest heading above the
    facets that names one exercise and is no label itself ("Primary Muscle Group:
    Hamstrings" is a field) nor a caption, by a stretch, pose or body-part word: "Group
    Exercise Timetable" over its classes names none."""
    sections = layout.sections
    if any(s.number is not None or s.row is not None for s in sections):
        return None
    words = exercise_words(lex)
    if any(words.search(s.name) for s in sections):
        return None  # a part named as a stretch is one of a list, not a facet
    dosed = sum(read_timing(f"{s.name}. {_text(s)}", lex).says_anything for s in sections)
    if dosed > 1:
        return None  # two doses are two exercises
    if dosed == 0 and not labels_only(blocks, layout, lex):
        # No time, count or side, and no card's fields ("HOW:", "FEEL:"): advice under a
        # heading ("Knee pain" over "What helps"), not an exercise.
        return None
    return _whole_under_title(blocks, layout, lex)


def _whole_under_title(blocks: list[Block], layout: Layout, lex: lang.Lexicon, *,
                       not_a_routine: bool = False) -> Layout | None:
    """The layout's parts read as ONE exercise under the nearest heading above them that
    names one exercise by a stretch, pose or body-part word and is no field label ("Primary
    Muscle Group: Hamstrings") nor a picture's caption; `not_a_routine`: nor a heading that
    names a routine ("PROGRAMA DE EJERCICIOS PARA EL HOMBRO")."""
    sections = layout.sections
    routine = phrase_regex(lex.routine_words)
    for index in range(sections[0].start - 1, -1, -1):
        block = blocks[index]
        # A colon at the end leads to the steps ("So funktioniert die Kindhaltung:");
        # one inside gives a field its value ("Primary Muscle Group: Hamstrings").
        text = block.text.rstrip().rstrip(":").rstrip()
        text = asked_name(text, lex) or text  # "How to do the figure four stretch?"
        if block.kind != "heading" or ":" in text or len(text.split()) > NAME_WORDS:
            continue  # a field label, or a picture's caption ("Woman standing, holding ...")
        title = Section(text, "", (), index, index + 1)
        if not names_one_exercise(title, lex) or not names_body(text, lex):
            continue
        if not_a_routine and routine.search(text):
            continue
        end = sections[-1].end
        whole = Section(text, "", tuple(blocks[index + 1 : end]), index, end)
        return Layout(before=tuple(blocks[:index]), sections=(whole,), after=layout.after)
    return None


LABEL_WORDS = 2
"""A field's label is a word or two ("Preparation:", "Muscles worked:"); an exercise named
in a lead ("Seated hamstring stretch: ...") is usually longer or names a stretch."""


def labels_only(blocks: list[Block], layout: Layout, lex: lang.Lexicon) -> bool:
    """Every part is a paragraph led by a label of a word or two ("Preparation: kneel ...",
    "Execution: ..."), and no rule above them times a list: the fields of one exercise
    card, which read like exercises when their text is about the body, not a list of
    exercises. `as_one_exercise` decides whether a title above names the exercise."""
    if any(_holding(lex).search(b.text) for b in layout.before):
        return False
    return all(blocks[s.start].kind == "paragraph" and bool(s.inline)
               and len(s.name.split()) <= LABEL_WORDS for s in layout.sections)


LONE_BODY_WORDS = 3
"""Distinct stretch, pose or body-part words a page read as one exercise must hold: a
stretch works a few named parts ("leg", "knee", "hip"); advice or a news item names
"stretching" and "the muscles"."""
LONE_STEPS = 2
"""Instruction sentences and holds a page read as one exercise must give, unless it says to
do both sides: one "Hold for 30 seconds" quoted in a news item is no exercise to do."""


NO_BODY = "names no stretch, pose or parts of the body to work"


def is_one_exercise(text: str, lex: lang.Lexicon) -> bool:
    """The text carries every sign of one exercise to do (see `not_one_exercise`)."""
    return not not_one_exercise(text, lex)


def not_one_exercise(text: str, lex: lang.Lexicon) -> str:
    """What the text lacks to be one exercise to do, in words for a refusal; "" if it is
    one. It must be about the body (several different stretch, pose or body-part words),
    say what to do (at least two instruction sentences or holds, or both sides) and give a
    dose (a hold for a time, breaths, reps or a count of times), or, with no dose, both
    steps and sides. A text that counts its exercises or gives a rule for each of them holds
    several."""
    if len({m.group(0).lower() for m in exercise_words(lex).finditer(text)}) < LONE_BODY_WORDS:
        return NO_BODY
    if not _speaks_of_exercise(text, lex):
        # "Place the thighs skin-side down ... turn them to the other side" is a recipe.
        return "never says it is a stretch or an exercise"
    rule = re.compile(rf"(?<!\w)(?:{alternation(lex.rule)})(?!\w)", re.IGNORECASE)
    if any(_counts_exercises(s, lex) for s in _sentences(text)) or (
            lex.rule and rule.search(text)) or _times_each_of_several(text, lex):
        # "Beide Dehnungen je 40 Sekunden", "hold each stretch ..."
        return "speaks of several exercises but sets none of them apart"
    if _repeated_dose_field(text, lex):
        return "gives several doses under one label but sets no exercises apart"
    timing = read_timing(text, lex)
    # Sentences, not matches: "Tenere un allungamento per 30 secondi" is one step, however
    # many of the patterns it meets.
    steps = sum(bool(_imperative(lex).search(s) or _holding(lex).search(s))
                for s in _sentences(text))
    # "Wiederhole das etwa zwölf Mal": a count of times is a dose, as reps are; "once" is
    # none ("Once things settle, ..." starts a sentence).
    if timing.main_duration is None and timing.reps is None and not (
            timing.times and timing.times > 1) and not _holding_vaguely(lex).search(text):
        # No dose: the exercise takes the default hold, if the steps and both sides say it
        # is one ("Halten Sie die Dehnung ... dann die andere Seite").
        if timing.sides and steps >= LONE_STEPS:
            return ""
        return "gives no hold for a time, no breaths and no reps"
    if timing.sides or steps >= LONE_STEPS:
        return ""
    return "gives no steps to follow and no sides"


def _times_each_of_several(text: str, lex: lang.Lexicon) -> bool:
    """A sentence that times stretches, in the plural, each ("des étirements d'une
    demi-minute chacun", "poses of 30 seconds each."): it speaks of several. "Keep
    stretching for 30 seconds each side" times the sides of one."""
    several = _several_timed_each(lex)
    return several is not None and any(
        several.search(s) and read_timing(s, lex).main_duration is not None
        for s in _sentences(text))


@cache
def _several_timed_each(lex: lang.Lexicon) -> re.Pattern[str] | None:
    each = [w for w in lex.each_after if w not in lex.sides]
    if not each or not lex.routine_words:
        return None
    return re.compile(rf"(?<!\w)(?:{alternation(lex.routine_words)})(?!\w)(?:\W+\w+){{0,6}}?"
                      rf"\W+(?:{alternation(tuple(each))})(?=\s*(?:[.,;:!?)]|$))",
                      re.IGNORECASE)


@cache
def _exercise_nouns(lex: lang.Lexicon) -> re.Pattern[str]:
    from narrator.parse import name_labels  # the words a name field is labelled with

    # An exercise's labels and a routine's title words, and the labels that also name a
    # move ("pose", "posizione", "postura").
    words = {*name_labels(lex), *lex.title_words,
             *(set(lex.step_words) & set(lex.vocabulary))}
    long = alternation(sorted((w for w in words if len(w) >= LONG), key=len, reverse=True))
    short = alternation(sorted((w for w in words if len(w) < LONG), key=len, reverse=True))
    # Long words also inside compounds ("Nackendehnung", "Dehnungsübung").
    return re.compile(rf"{long}|(?<!\w)(?:{short})", re.IGNORECASE)


def _speaks_of_exercise(text: str, lex: lang.Lexicon) -> bool:
    """The text calls what it describes a stretch, an exercise, a pose or yoga, as every
    exercise's page does somewhere ("Here is one of the best stretches", "Esercizio di
    stretching", "Dehnungsübung"): body words and steps alone are also a recipe's ("place the
    thighs skin-side down"), and a cooking time its dose."""
    return bool(_exercise_nouns(lex).search(text))


def _repeated_dose_field(text: str, lex: lang.Lexicon) -> bool:
    """Two lines or more of one label, each giving a dose ("Do: 2 x 45 secs each side",
    "Do: 10 reps each side"): a book's pages of several exercises whose names the copy ran
    into their text. One exercise's card gives each field once ("Duration:", "Reps:")."""
    labels = [label for line in text.splitlines() if (label := label_of(line))
              and read_timing(line.partition(":")[2], lex).says_anything]
    return any(labels.count(label) > 1 for label in labels)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


NAMED_IN_TEXT_WORDS = 5
"""Words after "stretch" or "exercise" that may still be its name: "stretches for tight
hips", "Esercizio di allungamento per i polpacci"."""


CALLED_WORDS = 4
"""Words a name given in running text has at most ("the figure four", "Nadelöhr")."""


def called_name(text: str, lex: lang.Lexicon) -> str:
    """The name running text gives its exercise with a word for naming, in a sentence that
    speaks of an exercise or a stretch: "eine Dehnungsübung, die gern Brezel genannt
    wird", "a stretch called the figure four". The name is a few words up to punctuation,
    capitalised where the name comes first; a name ending in the word for stretching itself
    ("im Englischen Stretching genannt") names no exercise."""
    words = exercise_words(lex)
    generic = {*lex.title_words, *lex.routine_words}
    after = alternation(lex.called)
    before = alternation(lex.called_after)
    for sentence in _sentences(text):
        if not words.search(sentence):
            continue
        found: list[str] = []
        if after:
            found += [m.group(1) for m in re.finditer(
                rf"(?<!\w)(?:{after})\s+((?:[^\W\d_][^\s\d,.;:!?()]*\s*){{1,{CALLED_WORDS}}})",
                sentence, re.IGNORECASE)]
        if before:
            found += [m.group(1) for m in re.finditer(
                rf"((?:(?-i:[^\W\d_a-z])[^\s\d,.;:!?()]*\s+){{1,{CALLED_WORDS}}})(?:{before})"
                rf"(?!\w)", sentence, re.IGNORECASE)]
        for name in found:
            name = re.split(r"\s+(?:and|und|y|et|e|ou|o|that|which|die|der|das|que|qui|che)\s",
                            name.strip(), maxsplit=1)[0].strip()
            last = name.split()[-1] if name else ""
            if last and last.lower() not in generic and not words.fullmatch(last):
                return name
    return ""


def named_in_text(text: str, lex: lang.Lexicon) -> str:
    """The name a page of running text gives its one exercise, where it first says which:
    "This is my favourite stretch for stiff hips.", "Esercizio di stretching molto
    semplice ...", or a compound that names it in one word ("... geht es um die
    Nackendehnung"). The words are the language's words for an exercise ("stretch",
    "ejercicio", "Übung"); a name ends at the sentence's first punctuation."""
    from narrator.parse import name_labels  # the words a name field is labelled with

    called = called_name(text, lex)
    if called:
        return called
    nouns = sorted(name_labels(lex), key=len, reverse=True)
    if not nouns:
        return ""
    noun = alternation(nouns)
    compound = re.compile(rf"(?<![\w-])[^\W\d_]{{3,}}(?:{noun})[^\W\d_]{{0,3}}(?!\w)",
                          re.IGNORECASE)
    # The noun with a plural ending at most ("stretches", not "movements"), then words up
    # to a punctuation mark or a number: "stretch for 30 seconds" is a dose, not a name.
    phrase = re.compile(rf"(?<![\w-])(?:{noun})(?:e|s|es|n|en)?(?!\w)"
                        rf"(?:[ \t]+[^\W\d_][^\s\d,.;:!?()\[\]\u2013\u2014]*)"
                        rf"{{0,{NAMED_IN_TEXT_WORDS}}}", re.IGNORECASE)
    # Only the first sentence that names an exercise can say which it is: later ones say
    # what to feel ("the stretch in your hamstring") or how long ("stretch for 30 seconds").
    sentence = next((s for s in _sentences(text) if compound.search(s) or phrase.search(s)),
                    "")
    found = compound.search(sentence)
    if found is not None and len(found.group(0)) > 6:
        # A plural compound names a routine ("Fitnessübungen"), not its one exercise.
        plural = found.group(0).lower().endswith(tuple(lex.routine_words))
        return "" if plural else found.group(0)
    found = phrase.search(sentence)
    if found is None:
        return ""
    words = found.group(0).split()
    while len(words) > 1 and words[-1].lower() in lex.detect:
        words.pop()  # "... molto semplice da" ends on a word, not a preposition
    # A name goes on with a small word of the language: "stretches for tight hips",
    # "Esercizio di stretching"; "the stretch in your calf" or "Übung wollen wir dem Dehnen
    # widmen" is a sentence.
    if len(words) > 2 and words[1].lower() in lex.detect:
        return " ".join(words)
    return ""


def as_lone_exercise(blocks: list[Block], layout: Layout | None, page_title: str,
                     lex: lang.Lexicon) -> Layout | None:
    """The page read as ONE exercise, when no reading of it as a list is a routine: the
    parser found no list at all (a blog's or a newspaper's running paragraphs: "Put one leg
    against the wall ... Hold each side for 1 min"), or a list of one part headed by a field
    or a lead ("Come si esegue") that names no exercise. Refusing such a page loses the
    exercise it plainly gives; so when its text is one exercise (`is_one_exercise`) it is
    read so. Its name is a title that names a stretch, pose or body part (the page's title,
    a heading above it, its own name), else the part's own name, else where the text first
    names it ("This is my favourite stretch for stiff hips"), else the page's title or
    first heading. A page whose title counts exercises ("Zwei einfache Übungen") holds
    several: reading them as one would be wrong, so it stays refused."""
    if layout is None:
        if not blocks:
            return None
        start, end, own = 0, len(blocks), ""
        text = "\n".join(b.text for b in blocks)
    elif len(layout.sections) == 1:
        section = layout.sections[0]
        start, end, own = section.start, section.end, section.name
        text = f"{own}. {_text(section)}"
    else:
        return None
    if not is_one_exercise(text, lex):
        return None
    headings = [b.text for b in blocks[:start] if b.kind == "heading"][::-1]
    if layout is None:  # the page's own headings, the first (its title) first
        headings = [b.text for b in blocks if b.kind == "heading"]
    page_title = re.split(r"\s+[|\u2013\u2014]\s+|\s+-\s+(?=[^-]*$)", page_title)[0].strip()
    titles = [t for t in (page_title, *headings) if t]
    if any(_counts_exercises(t, lex) for t in titles):
        return None
    name = own if layout is not None and _names_its_part(layout.sections[0], lex) else next(
        (t for t in (*titles, own) if names_one_exercise(Section(t, "", (), 0, 1), lex)
         and names_body(t, lex)), "")
    if not name:
        # A part keeps the name the page gave it ("Für die Vorderseite"); running text is
        # named where it first says which exercise it gives, else by the page's title as
        # the routine would be ("Nadelöhr | Fitness leicht gemacht" names the exercise by no
        # word the lexicon knows).
        plain = [t for t in titles if "?" not in t and is_title_like(t)
                 and len(t.split()) <= NAME_WORDS]
        name = own or named_in_text(text, lex) or next(iter(plain), "") or lex.untitled
    if layout is not None:
        section = layout.sections[0]
        inline = section.inline or (own if name != own and not is_title_like(own) else "")
        lone = replace(section, name=name, inline=inline)
        return replace(layout, sections=(lone,))
    whole = Section(name, "", tuple(blocks[start:end]), start, end)
    return Layout(before=(), sections=(whole,), after=tuple(blocks[end:]))


STEP_SHARE = 2 / 3
"""At least this share of a list's parts must read as steps for it to be one exercise."""
MIN_STEPS = 3


def _reads_as_step(section: Section, lex: lang.Lexicon) -> bool:
    """A part "named" by an order to the reader ("Bring your hands to your knees", "Asseyez-
    vous sur le sol"), or by the first words of its own sentence, cut off where a name would
    end ("As you inhale, spread your"): a step of how to do it, not an exercise's name."""
    name = section.name.strip()
    if _bare_step_label(name, lex):
        return True  # "Step 1", "Étape 2" over the text: a step of how to do it, unnamed
    if re.match(r"\W*[^\W\d_a-z]{3,}\b", name) and name.split()[0].isupper():
        return False  # "PÉNDULO Inclínese hacia delante": a caps name run into its text
    if _named_by_its_sentence(section):
        return True  # no name of its own: the reading took the sentence's first words
    if exercise_words(lex).match(name):
        return False
    return bool(_imperative(lex).match(name) or opening_infinitive(lex).match(name)
                or opening_reflexive(lex).match(name))


def _named_by_its_sentence(section: Section) -> bool:
    """The reading named the part by its own sentence's first words ("Breathing in, open
    your chest" of "Breathing in, open your chest and arch your back ..."): no name."""
    name = section.name.strip()
    return section.inline.startswith(name) and len(section.inline) > len(name) + 1


def _bare_step_label(name: str, lex: lang.Lexicon) -> bool:
    """A part's name that is only a step's label and its number ("Step 1", "Étape 2",
    "Schritt 3"): two such in a row are the steps of one exercise, not two exercises."""
    return bool(lex.step_labels) and bool(re.fullmatch(
        rf"\W*(?:{alternation(lex.step_labels)})\s*\d{{1,2}}\W*", name.strip(), re.IGNORECASE))


def as_steps_of_one(blocks: list[Block], layout: Layout, lex: lang.Lexicon) -> Layout | None:
    """A list whose items are the steps of ONE exercise, read as that exercise under the
    heading above them that names it ("Desk Stretch" over "Sit down in your chair ...",
    "Bring your hands to your knees", "As you inhale, arch your back ... Hold for five
    seconds"). A routine's items are names; a single exercise's page numbers or bullets its
    steps, and then most items are orders to the reader."""
    sections = layout.sections
    labelled = sum(_bare_step_label(s.name, lex) or _named_by_its_sentence(s)
                   for s in sections)
    if len(sections) < (2 if labelled >= 2 else MIN_STEPS) or any(
            s.row is not None for s in sections):
        return None
    steps = sum(_reads_as_step(s, lex) for s in sections)
    if steps < STEP_SHARE * len(sections):
        return None
    # A routine's title over its items ("PROGRAMA DE EJERCICIOS ...") names no one stretch.
    whole = _whole_under_title(blocks, layout, lex, not_a_routine=True)
    if whole is not None:
        return whole
    return _steps_named_in_intro(blocks, layout, lex)


def _steps_named_in_intro(blocks: list[Block], layout: Layout,
                          lex: lang.Lexicon) -> Layout | None:
    """The steps as ONE exercise named where the text before them first names a stretch of
    its own ("La position du papillon est l'un des exercices ..." over "Étape 1.
    Asseyez-vous ...", "Étape 2. Joignez ..."), for a page with no heading to name them."""
    from narrator.parse.prose import as_title, prose_name

    sections = layout.sections
    if any(b.kind == "heading" for b in layout.before):
        return None  # a heading there names the steps, or they are not its to name
    if any(blocks[s.start].marker in (".", ")") for s in sections):
        return None  # "1. Sentar ...", "2. Deitar ...": plain numbers count exercises too
    name = next((n for b in layout.before if b.kind == "paragraph"
                 for n in [prose_name(s, lex) for s in _sentences(b.text)] if n), "")
    if not name:
        return None
    name = as_title(name)
    start, end = sections[0].start, sections[-1].end
    whole = Section(name, "", tuple(blocks[start:end]), start, end)
    return Layout(before=layout.before, sections=(whole,), after=layout.after)


def _opens_with_order(text: str, lex: lang.Lexicon) -> bool:
    """The item's first sentence tells the reader what to do ("Stellt euch aufrecht hin",
    "Danach zieht ihr das Bein höher", "Subir de puntillas") and no name leads it
    ("Calf stretch: lean into the wall")."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    if ":" in first[:40]:
        return False
    # "Danach zieht ihr das Bein höher": the order after a word that leads a clause.
    first = re.sub(rf"^(?:{alternation(lex.clause_leads)})\b[\s,]*", "", first,
                   flags=re.IGNORECASE)
    return bool(_imperative(lex).search(first) or opening_infinitive(lex).match(first)
                or opening_reflexive(lex).match(first))


def as_steps_under_heading(blocks: list[Block], lex: lang.Lexicon) -> Layout | None:
    """The page read as ONE exercise: the one run of three or more list items that are
    mostly orders ("Stellt euch aufrecht hin ...", "Haltet diese Position 20 Sekunden.")
    under a heading that names one exercise ("Wie führe ich die Po- und
    Oberschenkeldehnung aus?"), for a page whose list reading is refused. Read as parts,
    such steps name nothing, so they were taken for a list of unnamed exercises; the
    heading over them says which exercise they are. The exercise goes on to the next
    heading, for a dose said after the steps ("2 to 3 times per side")."""
    routine = phrase_regex(lex.routine_words)
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(blocks):
        end = index + 1
        while end < len(blocks) and blocks[end].kind == "item":
            end += 1
        items = blocks[index + 1 : end]
        if blocks[index].kind in ("heading", "paragraph") and len(items) >= MIN_STEPS:
            orders = sum(_opens_with_order(b.text, lex) for b in items)
            if orders >= STEP_SHARE * len(items):
                found.append((index, end))
        index = end
    if len(found) != 1:
        return None  # none, or the steps of several exercises: the list reading's work
    from narrator.parse.prose import as_title

    start, end = found[0]
    if blocks[start].kind == "paragraph":
        # No heading: the paragraph before the steps names the stretch ("Properly
        # stretching hamstrings can reduce ..."), or they stay the list reader's.
        name = as_title(_intro_name(blocks[start].text, lex))
        if not name:
            return None
    else:
        heading = blocks[start].text.rstrip().rstrip(":").rstrip()
        name = asked_name(heading, lex) or heading
    title = Section(name, "", (), start, start + 1)
    # A heading may title the routine ("Stretching routine"); a name built from the intro's
    # words is the act and what it stretches ("stretching hamstrings").
    titled = blocks[start].kind == "heading" and bool(routine.search(name))
    if (len(name.split()) > NAME_WORDS or not names_one_exercise(title, lex)
            or not names_body(name, lex) or titled):
        return None
    while end < len(blocks) and blocks[end].kind != "heading":
        end += 1
    whole = Section(name, "", tuple(blocks[start + 1 : end]), start, end)
    return Layout(before=tuple(blocks[:start]), sections=(whole,), after=tuple(blocks[end:]))


def _intro_name(text: str, lex: lang.Lexicon) -> str:
    """The stretch an intro names: by a name of its own ("La position du papillon est ..."),
    or as the verb with what it stretches ("Properly stretching hamstrings can reduce ...")."""
    from narrator.parse.prose import prose_name

    # English writes the act as a gerund ("stretching"); other languages name it.
    verbs = [w for w in lex.title_words if w.endswith("ing")]
    act = re.compile(rf"(?<!\w)((?:{alternation(verbs)})\s+(?:(?:your|the|my)\s+)?"
                     rf"([^\W\d_]+))", re.IGNORECASE) if verbs else None
    body = {w.lower() for w in (*lex.vocabulary, *lex.body_words)}
    for sentence in _sentences(text):
        name = prose_name(sentence, lex)
        if name:
            return name
        m = act.search(sentence) if act else None
        if m and m.group(2).lower() in body:
            return re.sub(r"\s+(?:your|the|my)\s+", " ", m.group(1), flags=re.IGNORECASE)
    return ""


def as_whole_page(blocks: list[Block], page_title: str, lex: lang.Lexicon) -> Layout | None:
    """The whole page read as ONE exercise, for a page whose every list reading is refused:
    its text is one exercise to do (`is_one_exercise`) and the name it gets names one
    stretch, pose or body part. A recipe, a timetable or an advice column may pass the text's
    test, but none is titled by one exercise."""
    page = as_lone_exercise(blocks, None, page_title, lex)
    if page is None:
        return None
    section = page.sections[0]
    # The page's own title, not a heading further down: a timetable's "Stretch & Mobility"
    # class names one stretch too.
    first = next((b.text for b in blocks if b.kind == "heading"), "")
    title = re.split(r"\s+[|\u2013\u2014]\s+|\s+-\s+(?=[^-]*$)", page_title)[0].strip() or first
    if section.name != title or not (names_one_exercise(section, lex)
                                     and names_body(section.name, lex)):
        return None
    return page
