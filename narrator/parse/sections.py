"""Pass 3: find which blocks start an exercise, and which blocks belong to each.

An article can mark its exercises in many ways: numbered lines, "Step 1", Markdown or
HTML headings, bold leads in paragraphs, bullets, table rows. Every way ("style") found
in the text is tried, each exercise it would give is scored on whether it reads like a
stretch (a hold time, sides, a name like "... stretch", instructions), and the style
with the best total wins. This copes with articles that also number their ads, tips or
benefits: those lists score low.
"""

from __future__ import annotations

import difflib
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from narrator.parse.blocks import DASHES, TEXT_HEADING, Block, is_title_like
from narrator.parse.lang import Lexicon, alternation, phrase_regex, word_set
from narrator.parse.noise import (
    is_caption_of,
    is_menu_line,
    is_outro_heading,
    is_outro_paragraph,
    normalise,
)
from narrator.parse.tables import row_as_text, row_sides
from narrator.parse.timing import Timing, _without_timing, content_words, read_timing

Style = tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """One exercise as found: its name as written, and the blocks that describe it."""

    name: str
    """The heading or lead text, still with numbering or durations in it."""
    inline: str
    """Text that followed the name in the same block ("**Cobra:** lie on ...")."""
    body: tuple[Block, ...]
    start: int
    """Index of the block that names the exercise."""
    end: int
    """Index just past the last block of the exercise."""
    score: int = 0
    row: Block | None = None
    """The table row, for an exercise that is a row of a table."""
    header: tuple[str, ...] = ()
    """The table's header cells, for an exercise that is a row of a table."""
    step_like: bool = False
    """The "name" is the start of an instruction ("Stand or sit tall."): a step of an exercise."""
    sides: bool | None = None
    """What a table's "Sides" column says, which beats anything its other cells say."""
    parent: str = ""
    """The nearest heading above the exercise's own heading level ("FAQ", "Day 2")."""
    number: int | None = None
    """The number its block carries ("3.", "Step 3", "B)" is 2), if any."""


@dataclass(frozen=True)
class Layout:
    """The article cut into what comes before the exercises, the exercises, and after."""

    before: tuple[Block, ...]
    sections: tuple[Section, ...]
    after: tuple[Block, ...]


# --------------------------------------------------------------------------- names in blocks

_NAME_SEPARATOR = re.compile(
    rf"^(?P<name>[^.:!?]{{2,90}}?)\s*(?::|\s[{DASHES}]\s|\.\s|(?<=[^\W\d_])[{DASHES}]\s+(?=[A-Z]))"
    rf"\s*(?P<rest>.+)$"
)
"""A name and its text: "Cobra: lie ...", "Cobra - lie ...", "Cobra. Lie ...", and the dash
glued to the name that blogs type ("Knee to Chest- Lay with back flat ...", "Saw twist-
Sitting upright ..."); a hyphen inside a word ("Cat-Cow") has no space after it."""


def split_name(block: Block) -> tuple[str, str] | None:
    """The exercise name a block starts with and the text after it, if it has one."""
    text = block.text
    if block.lead and text.startswith(block.lead):
        rest = text[len(block.lead) :].lstrip(" :.-\u2013\u2014")
        return block.lead.rstrip(" :.-\u2013\u2014"), rest
    if block.kind == "paragraph" and block.lead and block.lead in text:
        return block.lead, text  # a name in bold inside the sentence that begins its part
    m = _NAME_SEPARATOR.match(text)
    # A list item's name may be lower-case, as typed in a forum ("1) pigeon - 90s each side").
    # Words in brackets describe the name ("Étirement des fessiers (grand fessier) et du bas
    # du dos"): they do not count, and a name that names its muscles so may run longer, as
    # a sentence does not.
    bare = re.sub(r"\([^()]*\)", " ", m.group("name")) if m else ""
    if m and len(bare.split()) <= (9 if bare != m.group("name") else 7) and (
            m.group("name")[:1].isupper() or (
            block.kind == "item" and re.search(rf"\s[{DASHES}]\s", m.group(0)[: m.start("rest")]))):
        return m.group("name"), m.group("rest")
    return None


def _style(block: Block) -> Style | None:
    if block.kind == "heading":
        if block.level < TEXT_HEADING:
            return ("h", str(block.level))
        return ("bold",) if block.raw_bold else ("line",)
    if block.kind == "item":
        return ("bullet",) if block.marker == "-" else ("num", block.marker)
    if block.kind == "paragraph" and split_name(block) is not None:
        return ("lead",)
    if block.kind == "row" and not block.header:
        if block.group_row:
            return None  # "Week 2 and onwards | | | |": a group's line over its rows
        return ("row",)
    return None


def _name_and_inline(block: Block, lex: Lexicon) -> tuple[str, str]:
    name, inline = _name_and_text(block, lex)
    if inline and _numbered_label(name, lex) and is_title_like(inline) and (
            not read_timing(inline, lex).says_anything):
        # "Esercizio 1: Flessione dei muscoli laterali del collo": the label numbers the
        # exercise, the title after it names it.
        return inline.rstrip(":"), ""
    return _field_off_name(name, inline, lex)


def _field_off_name(name: str, inline: str, lex: Lexicon) -> tuple[str, str]:
    """"Calf Pumps Sets: 2 / Repetition: 10": a surgeon's list runs the dose fields into the
    name on one line, so the name seems to end at the first field's colon. The field's label
    belongs to the dose."""
    words = name.split()
    if len(words) < 2 or not re.match(r"\s*\d", inline):
        return name, inline
    for size in (2, 1):
        label = " ".join(words[-size:])
        if len(words) > size and normalise(label) in _field_keys(lex) and (
                read_timing(f"{label}: {inline}", lex).gives_dose):
            return " ".join(words[:-size]), f"{label}: {inline}"
    return name, inline


def _name_and_text(block: Block, lex: Lexicon) -> tuple[str, str]:
    if block.kind in ("item", "paragraph") and block.lead and not block.raw_bold:
        found = split_name(block)
        if found is not None and found[0]:
            if found[1] and not content_words(_without_timing(found[0], lex), lex):
                return found[1], found[0]  # "**1 min** - Seated neck release": time first
            return found
    if block.kind == "heading":
        return block.text, ""
    if block.kind == "row":
        return block.cells[0] if block.cells else block.text, ""  # the rest: see _sections_of
    found = split_name(block)
    if block.kind == "item" and found is not None and (
            read_timing(found[1], lex).says_anything or len(found[1].split()) >= 4):
        return found  # "Cat cow - 8 slow rounds", "Neck stretch - ear to shoulder, 15 s"
    if block.raw_bold or is_title_like(block.text):
        return block.text, ""
    if found is not None:
        return found
    tail = _timing_tail(block.text, lex)
    if tail is not None:
        return tail
    first = re.split(r"(?<=[.!?])\s+", block.text, maxsplit=1)
    if len(first) == 2 and len(first[0].split()) <= 6:
        return first[0].rstrip("."), first[1]
    words = block.text.split()
    return " ".join(words[:5]), block.text


# --------------------------------------------------------------------------- sections of a style


def _ends_section(block: Block, style: Style) -> bool:
    """A block that closes the exercise before it, whatever it is."""
    if block.kind != "heading" or block.level >= TEXT_HEADING:
        return False
    if style[0] == "h":
        return block.level <= int(style[1])
    return True


def _field_headings(blocks: list[Block], starts: list[int], level: int) -> set[int]:
    """Sub-headings that come back under several exercises of one heading level ("Mouvement",
    "How to do it", "Tips" under every h2): the fields of each exercise, not exercises or
    groups of their own. A group heading's sub-headings are its exercises, each named
    differently."""
    keys_at: dict[int, str] = {}
    under: dict[str, set[int]] = {}
    for n, start in enumerate(starts):
        limit = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        for i in range(start + 1, limit):
            block = blocks[i]
            if block.kind == "heading" and level < block.level < TEXT_HEADING:
                key = normalise(block.text)
                keys_at[i] = key
                under.setdefault(key, set()).add(n)
    repeated = {k for k, found in under.items() if len(found) >= 2 and len(k.split()) <= 5}
    return {i for i, k in keys_at.items() if k in repeated}


def _sections_of(blocks: list[Block], style: Style, lex: Lexicon) -> list[Section]:
    starts = [i for i, b in enumerate(blocks) if _style(b) == style]
    if style == ("line",):
        longer = _long_name_lines(blocks, starts)
        blocks = [replace(b, kind="heading", level=TEXT_HEADING) if i in longer else b
                  for i, b in enumerate(blocks)]
        starts = sorted({*starts, *longer})
    if style[0] == "h":
        fields = _field_headings(blocks, starts, int(style[1]))
        blocks = [replace(b, level=TEXT_HEADING) if i in fields else b
                  for i, b in enumerate(blocks)]
    named = {i: _name_and_inline(blocks[i], lex) for i in starts}
    named.update(_without_series_prefix(named, lex))
    # Field labels ("Purpose:", "Dauer:") are part of the exercise above them.
    labels = field_labels([named[i] for i in starts], lex) | _handout_fields(
        [named[i][0] for i in starts], lex)
    label_starts = {i for i in starts if _label_key(named[i][0], lex) in labels
                    or (i > starts[0] and _is_dose_line(blocks[i], lex))}
    if style == ("line",):
        fields = _fields_under_names(blocks, starts, named, lex)
        label_starts |= fields | _captions_between(blocks, starts, fields)
        # Plain lines are also how a blog writes each step ("Tiens 20 secondes", "Change de
        # côté") under a plain name line: they belong to the exercise above.
        kept = [i for i in starts if i not in label_starts]
        titles = _titles_over_text(blocks, kept, lex)
        steps = {i for n, i in enumerate(kept) if n > 0 and step_line(blocks[i].text, lex)
                 and not step_line(blocks[kept[0]].text, lex) and i not in titles}
        steps |= _steps_run_on(blocks, kept, steps, lex)
        # So is a subtitle line under each name: the exercise's first line of text.
        steps |= _subtitles(blocks, [i for i in kept if i not in steps])
        # So is a line leading into the steps right under a name ("GEMELOS" over "Hay dos
        # opciones:" over the two ways to do it).
        steps |= {i for n, i in enumerate(kept) if n > 0 and kept[n - 1] == i - 1
                  and i - 1 not in steps and _leads_in(blocks[i].text, blocks[i - 1].text, lex)}
        label_starts |= steps
        blocks = [replace(b, kind="paragraph", level=0) if i in steps else b
                  for i, b in enumerate(blocks)]
    starts = [i for i in starts if i not in label_starts]
    headed = _items_over_text(blocks, starts)
    sections: list[Section] = []
    for n, start in enumerate(starts):
        limit = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        end = start + 1
        while end < limit and (end in label_starts or not _ends_section(blocks[end], style)):
            end += 1
        name, inline = named[start]
        row = blocks[start] if style == ("row",) else None
        header = _table_header(blocks, start) if row else ()
        sides = None
        if row is not None:
            inline = row_as_text(row.cells, header, lex)
            sides = row_sides(row.cells, header)
        sections.append(Section(name, inline, tuple(blocks[start + 1 : end]), start, end,
                                row=row, header=header, sides=sides,
                                step_like=(_is_step(blocks[start], name, lex)
                                           and start not in headed) or (
                                    blocks[start].kind == "paragraph" and not blocks[start].lead
                                    and _reads_as_sentence(name, lex)),
                                parent=_parent_heading(blocks, start),
                                number=blocks[start].number))
    return _under_plain_asides(sections, blocks, lex)


LONG_NAME_WORDS = 14
"""Words a name line ending in a colon may have when it is too long to read as a title."""


def _long_name_lines(blocks: list[Block], starts: list[int]) -> set[int]:
    """Name lines too long to pass for titles ("Estiramiento de los hombros y la parte
    superior de la espalda:"), known by the field the other names open with under them
    ("Descripción: ..."): each ends in a colon, is one line, and has that field under it."""
    fields = {label_of(blocks[i + 1].text) for i in starts if i + 1 < len(blocks)} - {""}
    shown = sum(1 for i in starts if i + 1 < len(blocks) and label_of(blocks[i + 1].text))
    if shown < 2:
        return set()
    return {i for i, b in enumerate(blocks[:-1]) if i not in starts and b.kind == "paragraph"
            and b.text.rstrip().endswith(":") and len(b.text.split()) <= LONG_NAME_WORDS
            and not re.search(r"[.!?]\s", b.text) and label_of(blocks[i + 1].text) in fields}


def _leads_in(line: str, above: str, lex: Lexicon) -> bool:
    """A line ending in a colon that names no stretch and gives no dose, under a name line
    that names one (or is in capitals): it leads into that exercise's steps."""
    # A sentence may name the part the steps work, but not the stretch ("Un classique pour
    # l'arrière de l'épaule :" under "Étirement du bras croisé").
    words = word_set(line)
    describes = len(words) > LEAD_IN_WORDS and not words & set(lex.title_words)
    return (line.rstrip().endswith(":") and (describes or not names_body(line, lex))
            and not read_timing(line, lex).says_anything
            and (names_body(above, lex) or above.isupper()))


LEAD_IN_WORDS = 4
"""Words a line leading into the steps has beyond a name's, for it to describe the part."""


HEADED_ITEMS = 3
HEADED_SHARE = 2 / 3


TITLE_TEXT_WORDS = 20
"""Words in the paragraph under a line, at the least, for that line to be a title over it."""


def _titles_over_text(blocks: list[Block], kept: list[int], lex: Lexicon) -> set[int]:
    """Name lines worded as orders ("Allunga la parte posteriore delle cosce", "Open your
    hips") that a magazine sets over each exercise's paragraphs: where every name line after
    the first (the page's title, maybe) has a paragraph of text straight under it and ends
    with no stop, one that reads as a step but comes after the text of the exercise above
    (not after another line) is a title, not a step. A blog's step lines ("Tiens 20
    secondes" under "Le chat") come one under another, or hold a dose or a switch."""
    def over_text(i: int) -> bool:
        under = blocks[i + 1] if i + 1 < len(blocks) else None
        return (under is not None and under.kind == "paragraph"
                and len(under.text.split()) >= TITLE_TEXT_WORDS
                and not blocks[i].text.rstrip().endswith((".", "!", "?", ":")))
    # The first lines may be the page's title and byline, over a short standfirst or none;
    # the last ones its links to other articles, one under another.
    top = next((n for n, i in enumerate(kept) if n > 0 and over_text(i)), len(kept))
    end = max((n + 1 for n, i in enumerate(kept) if over_text(i)), default=0)
    names = kept[top:end]
    if len(names) < 3 or not all(over_text(i) for i in names):
        return set()
    lines = set(kept)
    return {i for i in names if i - 1 not in lines and blocks[i - 1].kind == "paragraph"
            and len(blocks[i].text.split()) <= STEP_LINE_WORDS and ":" not in blocks[i].text
            and not read_timing(blocks[i].text, lex).says_anything}


def _steps_run_on(blocks: list[Block], kept: list[int], steps: set[int],
                  lex: Lexicon) -> set[int]:
    """A line that starts with an instruction verb, straight after a line of instruction
    (not a hold or a switch, which may end an exercise), goes on with the steps: "Slowly lean
    forward ..." then "Keep torso straight" on a clinic's single-stretch page (heldout-c 001;
    "Keeping right leg behind you straight" on its pigeon page), however much "torso"
    sounds like a name."""
    verbs = set(lex.instruction_starts) - NOT_VERBS
    found: set[int] = set()
    for i in kept:
        if i in steps or i - 1 not in steps | found:
            continue
        before = blocks[i - 1].text
        if read_timing(before, lex).says_anything:
            continue
        first = re.match(r"[\W\d_]*([^\W\d_]+)", blocks[i].text)
        if first and first.group(1).lower() in verbs and not (
                _title_case(blocks[i].text) or blocks[i].text.isupper()):
            found.add(i)
    return found


def _title_case(text: str) -> bool:
    """Title Case ("Reach And Fold"): a name's way, not a step's."""
    capitals = re.findall(r"[^\W\d_]{4,}", text)
    return len(capitals) >= 2 and all(w[0].isupper() for w in capitals)


def _items_over_text(blocks: list[Block], starts: list[int]) -> set[int]:
    """List items that each head a text of their own, where the page does so with most of
    them: a short line with no full stop, then a paragraph, over and over ("- Alongue o
    pescoço" over its paragraph, "- Gire os tornozelos devagar" over the next,
    on a magazine's tips page). Those are the exercises' names, however they start: a step is
    one line among other steps, not a line over a paragraph."""
    if not starts or blocks[starts[0]].kind != "item":
        return set()
    headed = {i for i in starts if i + 1 < len(blocks) and i + 1 not in starts
              and blocks[i + 1].kind == "paragraph"
              and not blocks[i].text.rstrip().endswith((".", "!", ":"))}
    if len(headed) < HEADED_ITEMS or len(headed) < HEADED_SHARE * len(starts):
        return set()
    return headed


def _under_plain_asides(sections: list[Section], blocks: list[Block],
                        lex: Lexicon) -> list[Section]:
    """Items under a plain heading line like "Common mistakes", "Häufige Fehler" or
    "Varianti" after the exercises are that aside's, not exercises: the line is their parent
    when they start a list of their own (numbered from 1 again, or bullets after a numbered
    routine), or come right under it (a real heading is a parent already). An exercise's own
    "Variation" field, with the next exercise numbered on after it, is not such a heading."""
    out: list[Section] = []
    aside = ""
    for n, s in enumerate(sections):
        gap = [b for b in blocks[sections[n - 1].start + 1 if n else 0 : s.start]
               if b.kind == "heading"]
        if gap:
            last = gap[-1]
            aside = ""
            previous = sections[n - 1].number if n else None
            restarts = previous is not None and (s.number is None or s.number <= previous)
            aside_line = last.level >= TEXT_HEADING and (
                _starts(last.text, lex.aside_headings) or is_outro_heading(last.text, lex))
            if aside_line and (restarts or blocks[s.start - 1] is last):
                aside = last.text
        out.append(replace(s, parent=aside) if aside else s)
    return out


FIELD_LABEL_WORDS = 4


def _fields_under_names(blocks: list[Block], starts: list[int],
                        named: dict[int, tuple[str, str]], lex: Lexicon) -> set[int]:
    """Lines "Label: value" right under an exercise's name line that say what it works, not
    another exercise: "Primary Muscle Group: Hamstrings" under "Double Leg Straddle Stretch",
    "MUSCLE(S) AFFECTED: quadriceps and iliopsoas" under "Side Quadricep Stretch" (a gym's
    exercise page, an equipment manual). A page with one exercise has no second name for
    field_labels to see the label come back under; the label itself names no stretch, pose
    or body part and the line gives no dose, while "Neck rolls: gently, 30 s" is an exercise
    of its own."""
    fields: set[int] = set()
    for i in starts:
        if (i == 0 or i - 1 not in starts or i - 1 in fields
                or _LABEL.match(blocks[i - 1].text) or not is_title_like(blocks[i - 1].text)):
            continue
        if _works_field(blocks[i], lex):
            fields.add(i)
    return fields


SUBTITLED_SHARE = 0.75
"""The share of a page's name lines that must carry a subtitle line for those lines to be
subtitles: a group line over its first exercise ("Lower body" over "Calf stretch") comes
over a few of them only."""


def _subtitles(blocks: list[Block], names: list[int]) -> set[int]:
    """Lines set straight under a name line, with text under them, where nearly every name
    line has one: each exercise's subtitle ("Le chat-vache" over "Alterner dos rond et dos
    creux", "La rotation assise" over "Torsion lente assis sur un tabouret" on an exercise
    sheet; "Why Stretch?" under a clinic page's name line), part of the exercise it follows,
    not one of its own."""
    lines = set(names)
    # A leaflet's "Patient name: ....." line over its first exercise is a form's blank.
    pairs = [i for i in names if i - 1 in lines and i - 2 not in lines
             and i + 1 < len(blocks) and i + 1 not in lines
             and not _BLANK.search(blocks[i - 1].text)]
    # Only the name lines from the first subtitled one on count: not the page's title above
    # them, nor the last line, a last exercise or closing line after them. Name lines that
    # go on without one after the last pair ("Total knee replacement exercises" over "Ankle
    # pumps", then five exercises with none) show the pairs are a title and a group heading.
    heads = len([i for i in names if pairs and pairs[0] - 1 <= i < names[-1]
                 and i not in pairs])
    if len(pairs) < 2 or len(pairs) < SUBTITLED_SHARE * heads:
        return set()
    return set(pairs)


def _captions_between(blocks: list[Block], starts: list[int], fields: set[int]) -> set[int]:
    """Where two or more exercises each carry a field right under their name, a title line
    with neither that field nor any text of its own is a picture's caption ("Stretching the
    sides, upper back and shoulders" after an equipment manual's last step), not one more
    exercise: it stays with the exercise above."""
    if len(fields) < 2:
        return set()
    named = {i - 1 for i in fields}
    return {i for i in starts if i > min(named) and i not in fields and i not in named
            and (i + 1 in starts or i + 1 == len(blocks))}


def _works_field(block: Block, lex: Lexicon) -> bool:
    """A "Label: value" line whose short label names no stretch, pose or body part and
    that gives no dose: "Primary Muscle Group: Hamstrings", "Zona: espalda"."""
    m = _LABEL.match(block.text)
    return (m is not None and len(m.group(1).split()) <= FIELD_LABEL_WORDS
            and not names_body(normalise(m.group(1)), lex)
            and not read_timing(block.text, lex).says_anything)


def _timing_tail(text: str, lex: Lexicon) -> tuple[str, str] | None:
    """"neck tilt 20s x2 each side" -> ("neck tilt", "20s x2 each side"): a short name, then
    only timing."""
    # The timing may follow words in brackets that describe the name ("bambino (la
    # posizione dello yoga) 5 respiri lunghi"): each place a number or bracket opens is tried.
    for m in re.finditer(r"\s(?=[\d(])", text):
        head, rest = text[: m.start()], text[m.end() :]
        if not 1 <= len(re.sub(r"\([^()]*\)", " ", head).split()) <= 6:
            return None
        if read_timing(rest, lex).says_anything and not content_words(
                _without_timing(rest, lex), lex):
            return head, rest
    return None


def _is_step(block: Block, name: str, lex: Lexicon) -> bool:
    """A list item that is one instruction ("- Bring your right arm across your chest."),
    with no name of its own: a step under an exercise's heading, not an exercise."""
    if block.kind != "item" or block.lead or split_name(block) is not None:
        return False
    # Pages often drop the full stop after a step ("Stand with your feet hip-width apart"):
    # four words or more that start with an instruction verb are a step all the same.
    if not block.text.rstrip().endswith((".", "!")) and len(block.text.split()) < STEP_WORDS:
        return False
    first = re.match(r"[^\W\d_]+", name)
    word = first.group(0).lower() if first else ""
    return word in lex.instruction_starts and not word.endswith("ing")


STEP_WORDS = 4
"""A bullet this long that starts with an instruction verb is a step even without a full stop."""

NOT_VERBS = frozenset({
    "on", "with", "from", "while", "keeping", "in", "im", "aus", "auf", "mit", "desde", "con",
    "a", "de", "en", "dans", "sur", "avec", "da", "di", "su", "em", "com", "no", "na",
})
"""Words in the lists of instruction starts that are not verbs: "On your back, ..." starts an
instruction, but "In 2019, a study ..." does not, so neither says to do anything alone."""

STEP_LINE_WORDS = 7
"""A dose said as a step ("Hold for 20 seconds", "Répète 10 fois") is a short line."""


def step_line(text: str, lex: Lexicon) -> bool:
    """Whether a line standing alone is a step or a dose of an exercise, not its name: it
    starts a clause with an instruction verb ("Tourne doucement le buste", "Pas d'à-coups,
    reste immobile"), or is a short hold, repeat or switch ("Tiens 20 secondes", "Change de
    côté"). A line naming a stretch or pose ("Stretch the calves" aside) is a name."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    caution = re.match(rf"[\W\d_]*{_NEGATIONS}\s+[\W\d_]*([^\W\d_]+)", text, re.IGNORECASE)
    if caution and caution.group(1).lower() in set(lex.instruction_starts) - NOT_VERBS:
        return True  # "Do not bounce into the stretch": a caution names nothing
    if not words or set(words) & set(lex.title_words) or text.isupper():
        return False
    if len(words) > 1 and (words[1] in lex.vocabulary or words[1] in lex.body_words):
        # "Lower back rotation", "Cross body stretch", "Standing heel drop": a verb that
        # starts a name
        return False
    if _title_case(text):
        return False  # Title Case: "Reach And Fold"
    verbs = set(lex.instruction_starts) - NOT_VERBS
    parts = re.split(rf"\s[{DASHES}]\s", text, maxsplit=1)
    if len(parts) == 2 and words[0] not in verbs and read_timing(parts[1], lex).gives_dose and (
            not read_timing(parts[0], lex).says_anything):
        return False  # "Chest opener - hold 20 to 30 seconds": a name, then its dose
    short = len(words) <= STEP_LINE_WORDS
    # Short words of the lists ("for", "por") also start bylines: a verb and a dose.
    if short and len(words[0]) >= 4 and (words[0] in lex.hold or words[0] in lex.repeat) and (
            read_timing(text, lex).gives_dose):
        return True
    if short and read_timing(text, lex).sides:
        return True
    clause_starts = [m.group(1).lower() for m in re.finditer(
        rf"(?:^|[,;:]\s*|\s[{DASHES}]\s+)[\W\d_]*(?:{_NEGATIONS}\s+[\W\d_]*)?([^\W\d_]+)",
        text, re.IGNORECASE)]
    return len(words) >= 3 and any(w in verbs for w in clause_starts)


_NEGATIONS = r"(?:do\s+not|don['\u2019]t|never|ne\s+pas|no|non|não)"
"""A caution is a step said the other way ("Do not bounce into the stretch", "Non inarcare
la schiena"): the verb after it starts the clause."""


def _parent_heading(blocks: list[Block], start: int) -> str:
    level = blocks[start].level if blocks[start].kind == "heading" else TEXT_HEADING + 1
    for block in reversed(blocks[:start]):
        if block.kind == "heading" and block.level < min(level, TEXT_HEADING):
            return block.text
    return ""


def _table_header(blocks: list[Block], start: int) -> tuple[str, ...]:
    for block in reversed(blocks[:start]):
        if block.kind != "row":
            return ()
        if block.header:
            return block.cells
    return ()


def _runs(sections: list[Section], blocks: list[Block]) -> list[list[Section]]:
    """Numbered lists restart at 1 when a new list begins: each list is scored on its own."""
    runs: list[list[Section]] = []
    previous: int | None = None
    for section in sections:
        number = blocks[section.start].number
        restart = number is not None and previous is not None and number <= previous
        if not runs or restart:
            runs.append([])
        runs[-1].append(section)
        previous = number
    return runs


def direct_body(section: Section, lex: Lexicon | None = None) -> list[Block]:
    """The blocks right under a name, before any heading: what it says about itself.

    Numbered items named like exercises ("[1] NECK SIDE BEND", "2. Hamstring stretch")
    end it too: under a title line they are exercises of their own, not its steps, which
    read as instructions ("1. Sit side-on to a table.")."""
    direct: list[Block] = []
    for block in section.body:
        if block.kind == "heading" and block.level < TEXT_HEADING:
            break
        if lex is not None and _names_sub_exercise(block, lex):
            break
        # A field on a line of its own ("Suggested Duration: 3-6 deep breaths") says what
        # the exercise takes, as its text does.
        if block.kind != "heading" or label_of(block.text):
            direct.append(block)
    return direct


def _names_sub_exercise(block: Block, lex: Lexicon) -> bool:
    if block.kind != "item" or block.marker in ("-", "") or not is_title_like(block.text):
        return False
    first = re.match(r"[\W\d_]*([^\W\d_]+)", block.text)
    return not (first and first.group(1).lower() in lex.instruction_starts)


def _instructs(text: str, lex: Lexicon) -> bool:
    """Whether a sentence starts like an instruction ("Lie on your back ..."), or closes a
    clause with a long instruction verb, as a handout's infinitives do ("Den Arm vor der
    Brust zur anderen Seite führen.")."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        first = re.match(r"[\W\d_]*([^\W\d_]+)", sentence)
        if first and first.group(1).lower() in lex.instruction_starts:
            return True
    return bool(final_verb(lex).search(text))


@cache
def final_verb(lex: Lexicon) -> re.Pattern[str]:
    """An infinitive of the language's `instruction_ends` closing a clause after a lower-case
    word, its separable prefix and all ("in Richtung Schulter ziehen.", "in den Raum
    hineindrehen.")."""
    if not lex.instruction_ends:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<=(?-i:[^\W\d_A-Z])\s)[^\W\d_]*(?:{alternation(lex.instruction_ends)})"
                      rf"(?=[.!,;]|$)", re.IGNORECASE)


INFINITIVE_STEM = 3
"""Letters before the ending: "subir", "placer", "tirare"; "ser", "ir" are too short."""


@cache
def opening_infinitive(lex: Lexicon) -> re.Pattern[str]:
    """A sentence of the text that opens with an infinitive and goes on ("Subir de puntillas
    sobre ambos pies.", "Sollevare lentamente la gamba"): how a handout in a Romance language
    writes its steps, with verbs no list can hold all of; in French, an order to "vous"
    (`order_endings`: "Joignez la plante des pieds") too. Only the text, not the name: an
    exercise is often named by one ("Estirar el cuádriceps")."""
    if not lex.infinitive_endings and not lex.order_endings:
        return re.compile(r"(?!x)x")
    ends = alternation((*lex.infinitive_endings, *lex.order_endings))
    return re.compile(rf"(?:^|[.!?:;]\s+|\n)[\W\d_]*[^\W\d_]{{{INFINITIVE_STEM},}}(?:{ends})"
                      rf"(?:se|si|s)?\s+[^\W\d_]", re.IGNORECASE)


@cache
def opening_reflexive(lex: Lexicon) -> re.Pattern[str]:
    """A sentence that opens with an order whose pronoun is joined on ("Recuéstense boca
    abajo", "Siéntate en el suelo"): no list holds every verb so, but the stress mark the
    pronoun made shows it ("Colóquese"); an ending led by a hyphen follows a hyphen.
    `confidence` asks it whether a page says what to do at all; layouts are not scored
    by it (a Spanish blog's cut-off headings then read as exercises)."""
    joined = [e[1:] for e in lex.reflexive_endings if e.startswith("-")]
    plain = [e for e in lex.reflexive_endings if not e.startswith("-")]
    forms = []
    if joined:
        forms.append(rf"[^\W\d_]{{2,}}-(?:{alternation(joined)})")
    if plain:
        forms.append(rf"[^\W\d_]*[\u00e1\u00e9\u00ed\u00f3\u00fa][^\W\d_]*(?:{alternation(plain)})")
    if not forms:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?:^|[.!?:;]\s+|\n)[\W\d_]*(?:{'|'.join(forms)})(?!\w)\s+[^\W\d_]",
                      re.IGNORECASE)

def score(section: Section, lex: Lexicon, ruled: bool = False) -> int:
    """How much a section reads like one stretch of a routine. `ruled`: a rule above the
    exercises times them all ("Hold each stretch for 10 seconds"), so a section that gives
    no time of its own still has one."""
    body = " ".join(b.text for b in direct_body(section, lex))
    text = f"{section.name}. {section.inline} {body}"
    timing = read_timing(text, lex)
    points = 0
    named = names_body(section.name, lex)
    if timing.main_duration is not None:
        points += 3
    elif ruled and named and not section.step_like and (
            (is_title_like(section.name) and not section.inline.startswith(section.name))
            or (_name_only(section) and len(section.name.split()) <= NAME_ONLY_WORDS)
    ):  # a name, not a sentence's first words; a list's lone name may be lower case
        points += 2
    if timing.sides or timing.times or timing.reps or timing.another:
        points += 2
    if re.search(r"\b\w+\b(?:\s+\w+){3,}", f"{section.inline} {body}"):
        points += 1
    if _instructs(f"{section.inline} {body}", lex):
        points += 2
    if named:
        points += 1
    if is_outro_heading(section.name, lex) or _starts(section.name, lex.aside_headings):
        points -= 4
    if section.name.rstrip().endswith("?"):
        points -= 3  # an FAQ's question
    if _BLANK.search(section.name):
        points -= 4  # a form's blank to fill in: "Patient name: ..........."
    if not content_words(_without_timing(section.name, lex), lex) and not (
            _numbered_label(section.name, lex) or _body_part_stretch(section.name, lex)
            or _counts_a_movement(section.name, lex)):
        points -= 4  # "Hold: 30 seconds", "Reps: 10": a label, not a name
    if section.step_like:
        points -= 3
    if len(section.name.split()) > 9:
        points -= 2
    return points


NAME_ONLY_WORDS = 6
"""Words a list item that is only a name has at most ("quad stretch", "spinal twist")."""


def _counts_a_movement(name: str, lex: Lexicon) -> bool:
    """"20 squats", "20 leg swings (per side)": a count of a movement named by its noun is
    the exercise's name and its dose in one; "10 reps" names nothing."""
    words = word_set(name)
    # The rep words that name a movement ("swings", "circles"), not the words for a
    # repetition itself and their short forms ("reps", "Wdh.", "repetición", "rip.").
    movements = {w for w in lex.units.get("rep", ()) if len(w) > 4 and not re.match(
        r"r[eéi]p|wdh|wh", w) and not is_field_name(w, lex)}
    return bool(words & (set(lex.rep_nouns) | movements))


def _body_part_stretch(name: str, lex: Lexicon) -> bool:
    """A name made only of a body part and the word for a stretch ("Hip Stretch", "Leg
    stretch", "Side stretch"): every word of it is one that timing also uses ("each hip",
    "switch legs", "hold the stretch"), yet together they name an exercise."""
    from narrator.parse import stretch_words

    words = re.findall(r"[^\W\d_]+", _without_timing(name, lex).lower())
    stretch = set(stretch_words(lex))
    return 2 <= len(words) <= 3 and any(w in stretch for w in words) and any(
        w in lex.vocabulary and w not in stretch for w in words)


def _numbered_label(name: str, lex: Lexicon) -> bool:
    """A name that is the word for an exercise and its number ("Esercizio 1", "Übung 3",
    "Exercise 2"): how a patients' league blog or a rheumatology handout names each of its
    exercises, not a field's label; "Step 2" or "Day 3" is no exercise's name."""
    from narrator.parse import name_labels

    words = name_labels(lex)
    return bool(words) and re.fullmatch(
        rf"\W*(?:{alternation(words)})\s*(?:n[°º.]?\s*|#\s*)?\d{{1,2}}\W*", name.strip(),
        re.IGNORECASE) is not None


_BLANK = re.compile(r":\s*(?:\.{5,}|_{5,}|\u2026{2,})")
"""A label and its blank ("Patient name: ........"); dot leaders before a dose are not."""


_SENTENCE_STARTS = frozenset({
    "your", "this", "these", "that", "the", "my", "i", "it", "we", "you", "if", "when", "then",
    "ihr", "ihre", "sie", "die", "der", "das", "wenn", "su", "sus", "el", "la", "si", "cuando",
})


def _reads_as_sentence(name: str, lex: Lexicon) -> bool:
    """A "name" that is the start of a sentence: "Your relative lies on their back", "Hold the
    forearm with one hand". Names are noun phrases ("Knee to chest", "Cobra")."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", name.lower())
    if len(words) < 3:
        return False
    if words[0] in lex.instruction_starts and not words[0].endswith("ing") and len(words) >= 4:
        return True
    return words[0] in _SENTENCE_STARTS and len(words) >= 5


def _scored(sections: list[Section], lex: Lexicon, ruled: bool) -> list[Section]:
    return [replace(s, score=score(s, lex, ruled)) for s in sections]


def _ruled(sections: list[Section], blocks: list[Block], lex: Lexicon) -> bool:
    """Whether a rule above the first of these sections times them all."""
    return bool(sections) and has_rule(blocks[: sections[0].start], lex)


def has_rule(blocks: list[Block], lex: Lexicon) -> bool:
    """Whether these blocks hold a rule for every exercise: "hold each stretch for 20 s"."""
    words = re.compile(rf"(?<!\w)(?:{alternation(lex.rule)})(?!\w)", re.IGNORECASE) if (
        lex.rule) else None
    return words is not None and any(
        words.search(b.text) and read_timing(b.text, lex).main_duration is not None
        for b in blocks)


_LABEL = re.compile(r"^([^:]{1,40}):\s*\S")


def _label_key(name: str, lex: Lexicon) -> str:
    """"Purpose: opens the hips" -> "purpose"; "Duration" -> "duration"."""
    m = _LABEL.match(name)
    return normalise(m.group(1)) if m else normalise(_without_timing(name, lex))


def field_labels(named: list[tuple[str, str]], lex: Lexicon) -> set[str]:
    """Names that label the fields of every exercise ("How to do it:", "Dauer:", "Tip:"),
    not exercises: each exercise has its own name, but the same few labels come back in
    exercise after exercise. A routine done in rounds repeats its names too, but as a
    whole sequence (a, b, c, a, b, c), which is left alone; so is one exercise headed
    again and again ("Calf stretch" over each set), unless its text follows the name on the
    same line, as a field's does ("Duration: 20 seconds")."""
    keys = [_label_key(name, lex) for name, _ in named]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    repeated = {k for k, c in counts.items() if c >= 2 and k and len(k.split()) <= 5}
    alternating = {k for k in repeated if _alternates(k, keys)}
    if alternating:
        # Other names that come back ("Name der Übung" above each name, "Endstellung" under
        # some) and name no stretch or body part are fields of the same form.
        return alternating | {k for k in repeated if not names_body(k, lex)}
    if not repeated or (_is_rounds(keys) and any(names_body(k, lex) for k in repeated)):
        return set()
    if _follows_each_name(keys, repeated):
        return {k for k in repeated if not names_body(k, lex)}
    if sum(counts[k] for k in repeated) * 2 < len(keys):
        return set()
    if len(repeated) == 1 and not all(inline or _LABEL.match(name)
                                      for (name, inline), k in zip(named, keys, strict=True)
                                      if k in repeated):
        return set()
    # Names that come back but name a stretch or body part ("Dehnung der Rückenmuskulatur:
    # ..." twice, for two ways of doing it) are exercises; fields are named otherwise.
    return {k for k in repeated if not names_body(k, lex)}


SERIES_NAMES = 3
"""Headings at the least that one prefix must open for it to be the series' name."""


def _without_series_prefix(named: dict[int, tuple[str, str]],
                           lex: Lexicon) -> dict[int, tuple[str, str]]:
    """Headings that all open with the series' name ("Dehnübungen: Übung 1 - Rücken und
    Arme", "Rückenübung Büro: Ellbogenkreisen"), each followed by a different title that
    gives no dose: the exercise is named after the prefix, and after its number label."""
    found: dict[str, list[int]] = {}
    for i, (name, inline) in named.items():
        m = _LABEL.match(name)
        if m and not inline:
            found.setdefault(normalise(m.group(1)), []).append(i)
    steps = alternation(lex.step_words) if lex.step_words else "(?!x)x"
    number = re.compile(rf"(?i:{steps})\s*\d{{1,2}}\s*[-\u2013\u2014:.]\s+(\S.*)")
    renamed: dict[int, tuple[str, str]] = {}
    for at in found.values():
        rests = [named[i][0].split(":", 1)[1].strip() for i in at]
        if len(at) < SERIES_NAMES or len(at) * 2 <= len(named) or len(set(rests)) < len(
                rests) or not all(is_title_like(r) and not read_timing(r, lex).says_anything
                                  for r in rests):
            continue
        for i, rest in zip(at, rests, strict=True):
            m = number.fullmatch(rest)
            renamed[i] = (m.group(1) if m else rest, "")
    return renamed


def _handout_fields(names: list[str], lex: Lexicon) -> set[str]:
    """Names that are a handout's field labels ("Ausgangsposition", "Position de départ :
    ...", "Esecuzione"), even when each comes only once, as on a page with one exercise: the
    language's list of them says so, where repetition cannot."""
    return {_label_key(n, lex) for n in names if is_field_name(_raw_label(n, lex), lex)}


def _raw_label(name: str, lex: Lexicon) -> str:
    """"Hints and tips:" -> "Hints and tips"; "Purpose: opens the hips" -> "Purpose"."""
    m = _LABEL.match(name)
    return m.group(1) if m else _without_timing(name, lex).strip().rstrip(":").strip()


FIELD_LIKENESS = 0.9
"""How alike a label and a field name must be (difflib's ratio) for a misspelt label to be
that field: "Esecuzioine" and "Posizione de partenza" are (0.95), "Rotazione" and
"Esecuzione" are not (0.63), nor "Breathe" and "Breathing" (0.88)."""

FIELD_MIN_LETTERS = 6
"""Shorter labels must be spelt right: "Tip" is a field, "Hip" is a body part."""


def is_field_name(label: str, lex: Lexicon) -> bool:
    """Whether a label is one of the language's field names (`field_names`), as exercise
    cards write them: misspelt ("Esecuzioine", "Posizione de partenza" on a patients'
    league blog), or two of them joined ("Hints and tips", "Movement / action" on a health
    feed's cards). A label joined so must name no stretch or body part: "Cat and cow" is an
    exercise."""
    key = normalise(label)
    first, _, rest = key.partition(" ")
    if first in lex.articles and rest and _close_to_field(rest, lex):
        return True  # "Die Dauer", "La durée": the field, with its article
    if any(key.startswith(f + " ") for f in _field_keys(lex) if len(f.split()) >= 2) and (
            len(key.split()) <= FIELD_LABEL_WORDS + 4):
        return True  # "How to do the buttock stretch": the field, told of its exercise
    if not key or len(key.split()) > FIELD_LABEL_WORDS + 1:
        return False
    if _close_to_field(key, lex):
        return True
    joiners = rf"\s*[/&+]\s*|\s+(?:{alternation(lex.plus)})\s+" if lex.plus else r"\s*[/&+]\s*"
    parts = [normalise(p) for p in re.split(joiners, label.lower())]
    return (len([p for p in parts if p]) > 1 and not names_body(key, lex)
            and any(_close_to_field(p, lex) for p in parts if p))


@cache
def _field_keys(lex: Lexicon) -> frozenset[str]:
    return frozenset(normalise(f) for f in lex.field_names)


def _close_to_field(key: str, lex: Lexicon) -> bool:
    fields = _field_keys(lex)
    if key in fields:
        return True
    if len(key) < FIELD_MIN_LETTERS:
        return False
    long = [f for f in fields if len(f) >= FIELD_MIN_LETTERS]
    return bool(difflib.get_close_matches(key, long, n=1, cutoff=FIELD_LIKENESS))


def asked_name(text: str, lex: Lexicon) -> str:
    """The exercise a heading asks how to do ("How to do the figure four stretch?" ->
    "figure four stretch", "Wie führe ich die Po-Dehnung aus?" -> "Po-Dehnung"), or "" for
    any other line. Pages head an exercise's steps so, and the question names it."""
    if not lex.how_to:
        return ""
    match = re.match(rf"\W*(?:{alternation(lex.how_to)})(?:(?<=')|\s+)(.+?)\s*[?:.!]*\s*$",
                     text, re.IGNORECASE)
    if match is None:
        return ""
    name = match.group(1)
    if lex.how_to_end:
        name = re.sub(rf"\s+(?:{alternation(lex.how_to_end)})$", "", name, flags=re.IGNORECASE)
    return name.strip(" ,;")


def names_body(key: str, lex: Lexicon) -> bool:
    """Whether a name holds a stretch, pose or body-part word: exercises done in rounds are
    named so ("Cat cow", "Hip flexor stretch"); the fields of a handout ("Instructions",
    "Objective", "Caution"), repeated in the same order under every exercise, are not."""
    words = word_set(key)
    # A pose's Sanskrit name ends in "asana" ("Baddha Konasana") in any language.
    # Plurals name the same parts ("Legs on a Chair", "Arms overhead").
    return any(w in words or f"{w}s" in words or (len(w) > 4 and w in key.lower())
               for w in (*lex.vocabulary, *lex.body_words)) or (
        any(w.endswith(("asana", "asanas")) and len(w) > 6 for w in words))


def _follows_each_name(keys: list[str], repeated: set[str]) -> bool:
    """Whether the repeated names come right after the distinct ones, name after name
    ("Knee hug", "Starting position", "Movement", "Cobra", "Starting position", ...): the
    fields of every exercise, whatever their form, even with no colon and nothing after them
    on their line. An exercise done again later in the routine (a, b, c, d, a) follows one
    name only."""
    names = [i for i, k in enumerate(keys) if k not in repeated]
    if len(names) < 2:
        return False
    followed = sum(1 for i in names if i + 1 < len(keys) and keys[i + 1] in repeated)
    return followed * 2 > len(names)


def _is_dose_line(block: Block, lex: Lexicon) -> bool:
    """A heading-like line that only gives a dose ("Hold 30 seconds · 3 repetitions", "3 sets
    of 15 repetitions"): a field of the exercise above it, set apart by the page's layout,
    never an exercise. It starts with a number or a hold verb and names nothing."""
    if block.kind != "heading" or not read_timing(block.text, lex).says_anything:
        return False
    first = re.match(r"\W*(\d|[^\W\d_]+)", block.text)
    if first is None or not (first.group(1).isdigit() or first.group(1).lower() in lex.hold):
        return False
    words = word_set(block.text)
    return not any(w in words for w in lex.vocabulary)


def _alternates(key: str, keys: list[str]) -> bool:
    """A name that comes back after each of three or more different names ("Kneeling hip
    flexor stretch", "Aim", "Butterfly stretch", "Aim", "Bridging", "Aim"): a field's label
    under every exercise, whatever comes before the first exercise. A routine done in rounds
    comes back after the same names."""
    before = [keys[i - 1] for i, k in enumerate(keys) if k == key and i > 0]
    return (len(before) >= 3 and keys.count(key) == len(before)
            and len(set(before)) == len(before) and key not in before)


def _is_rounds(keys: list[str]) -> bool:
    """The same sequence of three or more names, over and over."""
    for period in range(3, len(keys) // 2 + 1):
        if len(set(keys[:period])) == period and all(
                k == keys[i % period] for i, k in enumerate(keys)):
            return True
    return False


def _labelled_alike(one: Section, other: Section) -> bool:
    """Two names written as labels of one list: each ends in a colon, in the same case."""
    a, b = one.name.strip(), other.name.strip()
    return a.endswith(":") and b.endswith(":") and a[:1].islower() == b[:1].islower()


def _trim_weak_ends(sections: list[Section], lex: Lexicon,
                    bullets: bool = False, ruled: bool = False) -> list[Section]:
    """Drop an intro or outro that shares the exercises' heading style ("Why stretch?").

    Strong is 3 points, or the typical section's score when that is lower: a poster whose
    six exercises are only a name and a line each (the time is a rule above them) keeps
    all six."""
    typical = statistics.median(s.score for s in sections) if sections else 3
    bar = 3.0 if typical < 2 else min(3.0, typical)
    strong = [i for i, s in enumerate(sections) if s.score >= bar]
    if not strong:
        return [s for s in sections if s.score > 0]
    first, last = strong[0], strong[-1]
    # A leaflet's questions above its exercises ("How much should I do?") are its
    # introduction, however much they say about holds.
    while first < last and sections[first].name.rstrip().endswith("?"):
        first += 1
    # So is a heading over the rule for every stretch ("Warming up" over "... Hold each
    # stretch for about 5-8 seconds ..."), when it names no stretch itself.
    while first < last and not _names_a_part(sections[first].name, lex) and has_rule(
            [*sections[first].body, Block("paragraph", sections[first].inline)], lex):
        first += 1
    # A heading with nothing under it that names no stretch, above strong exercises that all
    # have text, is the page's furniture: in "2 Minutes to Better Health Video Newsletters"
    # the number is a video's length, not a hold.
    while first < last and _bare(sections[first]) and not names_body(
            sections[first].name, lex) and not any(
            _bare(s) for s in sections[first + 1 : last + 1] if s.score >= bar):
        first += 1
    # A list numbered without a gap is one list: its weaker items at either end ("5 - Ponte:
    # ..." with no time of its own) stay with the strong ones.
    while first > 0 and _follows(sections[first - 1], sections[first], sections[first - 1],
                                 lex):
        first -= 1
    while last + 1 < len(sections) and _follows(sections[last], sections[last + 1],
                                                sections[last + 1], lex):
        last += 1
    # Under a rule for all of them, labels written as the strong ones are ("hip (... seated):"
    # and "arch:" after "calf:", "quad:"), each over text of its own, end the list as well:
    # the rule gives them the time their own words do not.
    while ruled and last + 1 < len(sections) and _labelled_alike(
            sections[last], sections[last + 1]) and sections[last + 1].body:
        last += 1
    # So is one run of bullets with nothing between them: "Baddha Konasana - Bound Angle"
    # heads the list, with no time of its own where the routine's rule gives it.
    while bullets and first > 0 and _bullets_run_on(sections[first - 1], sections[first],
                                                    sections[first - 1], lex):
        first -= 1
    # And it ends the list: "seated straddle stretch", the last bullet, only a name like the
    # one above it, is as much an exercise as they are, whatever the page puts under it.
    while bullets and last + 1 < len(sections) and _name_only(sections[last]) and sections[
            last + 1].inline in ("", sections[last + 1].name) and _bullets_run_on(
            sections[last], sections[last + 1], sections[last + 1], lex):
        last += 1
    # So is a run of bullet names each over a paragraph of its own: the first ones may give
    # no time ("- Alongue o pescoço" over how to turn the neck) and still be exercises.
    while bullets and first > 0 and _heads_text(sections[first]) and _heads_text(
            sections[first - 1]) and sections[first - 1].score >= 1:
        first -= 1
    # A long list numbered without a gap whose items are orders, each to a part of the body
    # ("1. Drop your head forward until ...", "8. Bend sideways at the waist."; one of them may
    # start otherwise), under a rule that times them all, is a handout's list of exercises
    # named by their first words: its items that give no time stay with the ones that do.
    if ruled and len(sections) >= MIN_ORDER_LIST and sum(
            not _numbered_order(s, lex) for s in sections) <= 1 and all(
            a.number is not None and b.number == a.number + 1
            for a, b in itertools.pairwise(sections)):
        first, last = 0, len(sections) - 1
    if last + 2 == len(sections) and _cut_short(sections[last], sections[-1], lex):
        last += 1
    # The same holds for title lines or headings with no numbers: the last one ("Arm
    # stretches", its text cut off by the page, or giving no time) is one more exercise
    # when it is named as one, right after the strong ones.
    while last + 1 < len(sections) and _named_next(sections[last + 1], lex):
        last += 1
    return [s for i, s in enumerate(sections) if first <= i <= last and s.score > -1]


MIN_ORDER_LIST = 5
"""Items in a numbered list of orders for it to be a list of exercises, not one's steps."""


def _numbered_order(section: Section, lex: Lexicon) -> bool:
    """A numbered item that is an order to a part of the body: "Lean your head towards one
    shoulder ...", "Bend sideways at the waist."."""
    text = " ".join([section.name, section.inline, *(b.text for b in section.body)])
    return section.number is not None and _instructs(section.name, lex) and names_body(
        text, lex)


def _bare(section: Section) -> bool:
    """A name with no text of its own, inline or under it."""
    return not section.body and not section.inline


def _name_only(section: Section) -> bool:
    """A name and nothing else: a list item is its own inline text when it is only a name."""
    return not section.body and section.inline in ("", section.name)


def _heads_text(section: Section) -> bool:
    """An unnumbered name line, not a sentence, set over a paragraph of its own."""
    return (section.number is None and not section.inline and not section.step_like
            and bool(section.body) and section.body[0].kind == "paragraph"
            and is_title_like(section.name) and len(section.body[0].text.split()) >= 8)


def _cut_short(previous: Section, section: Section, lex: Lexicon) -> bool:
    """The page's last section is the next item of the numbered list above it, but the copy
    ends inside its text ("... coloque na sola dos pés e faça movimentos ... fáscia pl",
    "... con entrambe le mani aperte appoggiate e i gomiti estesi; avvicinare le"), so it
    says less than the others: still one more exercise, not a footer."""
    texts = [section.inline, *(b.text for b in section.body)]
    last = next((t.strip() for t in reversed(texts) if t.strip()), "")
    return (previous.number is not None and section.number == previous.number + 1
            and section.score >= 0 and not section.step_like
            and not _reads_as_sentence(section.name, lex)
            and len(last.split()) >= CUT_WORDS and bool(re.search(r"[^\W\d_A-Z]$", last)))


CUT_WORDS = 12
"""Words of text a cut-off item has at least, stopping in a lower-case word: a paragraph
cut mid-sentence, not a short closing line left without its stop ("7. Enjoy your day")."""


def _named_next(section: Section, lex: Lexicon) -> bool:
    """A section unnumbered after the strong ones that reads as one more exercise: a name of
    a stretch, pose or body part in a few words, with text of its own under it (a bare line
    at the end is a link: "Back to the exercise list"), not a sentence, a step, a question, an
    outro or an aside."""
    name = section.name
    named = names_body(name, lex)
    if not named:  # "Pose de l'enfant" over a text about the back and the spine
        body = word_set(" ".join(b.text for b in section.body))
        named = len(body & set(lex.vocabulary)) >= 2
    return (section.number is None and named and section.score >= 0 and not section.step_like
            and not section.inline and is_title_like(name) and len(name.split()) <= 6
            and not _reads_as_sentence(name, lex) and _has_text(section))


def _follows(previous: Section, section: Section, added: Section, lex: Lexicon) -> bool:
    """`section` comes right after `previous` in one numbered list, and `added` (one of the
    two) reads well enough to be kept with it: some points, and a name, not a sentence."""
    # A name that holds a body part needs fewer points: "5. Die Wadenmuskulatur" over steps
    # the page words as statements ("Treten Sie ... nach hinten").
    points = added.score >= 2 or (added.score >= 1 and names_body(added.name, lex))
    return (previous.number is not None and section.number == previous.number + 1
            and points and not added.step_like
            and not _reads_as_sentence(added.name, lex))


def _bullets_run_on(previous: Section, section: Section, added: Section, lex: Lexicon) -> bool:
    """`section` is the bullet right after `previous`, nothing between them, and `added` (one
    of the two) reads well enough to be kept with it, as the next item of a numbered list
    would (`_follows`)."""
    return previous.end == section.start and _follows(
        replace(previous, number=0), replace(section, number=1), added, lex)


def _drop_title(sections: list[Section], lex: Lexicon) -> list[Section]:
    """A first "exercise" named like a whole routine is the routine's title line: "My evening
    routine", or "DESK STRETCH BREAK" over "take five minutes for these"."""
    # "1. Stretching per la schiena" over "2. ..." is the first of a numbered list, not a
    # title: a title is not numbered as one of the exercises.
    while len(sections) > 1 and (_names_routine(sections[0], lex) or _announces(
            sections[0], len(sections) - 1, lex) or _site_banner(sections[0], lex)) and not (
            sections[0].number is not None and sections[1].number == sections[0].number + 1
    ) and not _dosed_per_side(sections[0], lex):
        sections = sections[1:]
    # A title that counts the exercises over a second title line that times nothing ("7
    # dicas de alongamento para idosos" over a template's "X dicas de alongamento ..."): the
    # count is of the exercises after both.
    if len(sections) > 2 and sections[0].number is None and sections[1].number is None and (
            _announces(sections[0], len(sections) - 2, lex)) and not read_timing(
            _own_text(sections[1]), lex).says_anything:
        return _drop_title(sections[2:], lex)
    # The post's own title above the routine's ("Here to Help Thursdays - Post-Run Yoga" over
    # its byline, then "The No Excuses Post-Run Sequence"): a line that times nothing, right
    # above a routine's title, is the page's head too.
    if len(sections) > 2 and sections[0].number is None and _names_routine(
            sections[1], lex) and sections[1].number is None and not any(
            read_timing(f"{s.name}. {s.inline} " + " ".join(b.text for b in s.body),
                        lex).says_anything for s in sections[:2]):
        return _drop_title(sections[2:], lex)
    return sections


def _site_banner(section: Section, lex: Lexicon) -> bool:
    """"GREG NORMAN | THE SHARK" over the breadcrumbs: the site's name bar, in parts split by
    a bar (or a name in capitals and a dash), none of them naming a stretch or a body part,
    is no exercise."""
    parts = [p for p in re.split(r"\s\|\s", section.name) if p.strip()]
    # "TAKE OFF SPORTS - Dein Laufladen": a shop's name in capitals, then its motto.
    dashed = [p for p in re.split(rf"\s[{DASHES}]\s", section.name) if p.strip()]
    # "Being Spiffy" over "Style | Home | Wellness | About": the name over the site's menu.
    menu = bool(section.body) and is_menu_line(section.body[0])
    return (len(parts) >= 2 or (len(dashed) == 2 and dashed[0].isupper()) or menu) and not (
        names_body(section.name, lex)) and not read_timing(section.name, lex).says_anything


def _dosed_per_side(section: Section, lex: Lexicon) -> bool:
    """A name that carries its own hold for each side ("ESTIRAMIENTOS GEMELOS (40 segundos
    cada pierna)", "Calf stretches - 30 s each leg"): one exercise, as plural as its name may
    be; a routine's title gives a total time, if any, never a hold per side."""
    timing = read_timing(section.name, lex)
    if timing.sides and timing.durations:
        return True
    # Nor does its introduction, unless as a rule for all of them: "Stretching del
    # quadricipite" over "Tenete 30'' e cambiate lato" is a stretch, though Italian names
    # the whole practice "stretching" too.
    if not _names_a_part(section.name, lex):
        return False  # "Stretching Exercises" names no part of the body
    body = direct_body(section, lex)
    timing = read_timing(" ".join([section.inline, *(b.text for b in body)]), lex)
    # Reps each way count as well ("Repita la rotación de 10 a 15 veces hacia cada lado").
    dosed = bool(timing.durations) or timing.reps is not None or timing.times is not None
    return timing.sides and dosed and not has_rule(body, lex) and not (
        has_rule([Block("paragraph", section.inline)], lex))


def _names_a_part(name: str, lex: Lexicon) -> bool:
    """Whether a name holds a body part or a pose, not only the words for stretching that
    title a routine as well ("Dehnen im Herbst und Winter", "Stretching Exercises")."""
    words = word_set(name)
    return bool(words & ({*lex.vocabulary, *lex.body_words} - set(lex.title_words)))


@cache
def _count_pattern(lex: Lexicon) -> re.Pattern[str] | None:
    if not lex.exercise_counts:
        return None
    return re.compile(rf"(?<![\w.,])({lex.number_pattern})\s+(?:[^\W\d_]+\s+){{0,2}}?"
                      rf"(?:{alternation(lex.exercise_counts)})(?!\w)", re.IGNORECASE)


def announced_count(text: str, lex: Lexicon) -> int | None:
    """How many exercises a title or an introduction says the page holds ("10 esercizi per
    il collo", "Unten finden Sie zwei Übungen", "these 7 simple stretches"); None if it says
    no such number. A count of minutes or days ("a 10 minute routine") is none."""
    pattern = _count_pattern(lex)
    m = pattern.search(text) if pattern else None
    if m is None or read_timing(m.group(0), lex).main_duration is not None:
        return None
    value = lex.number_value(m.group(1))
    return int(value) if value is not None and 2 <= value <= 30 and value == int(value) else None


def _announces(section: Section, after: int, lex: Lexicon) -> bool:
    """A first part whose name or opening lines count the exercises after it ("Rückenpause"
    over "Unten finden Sie zwei Übungen"): the page's title and introduction. A smaller
    number, or one in a part that gives a hold, is some exercise's own ("50 secondi ... tra
    le due posizioni")."""
    body = [b.text for b in direct_body(section)]
    count = announced_count(" ".join([section.name, *body[:2]]), lex)
    if count is None or count < after:
        return False
    timing = read_timing(" ".join([section.name, *body]), lex)
    # "Repeat 3 to 5 times. (… add these 3 gentle stretches …)": a count of its own times
    # is an exercise's dose too, unless said as a rule for all.
    counted = (timing.times or 0) > 1 and not has_rule(list(direct_body(section)), lex)
    return timing.main_duration is None and not counted


def _names_routine(section: Section, lex: Lexicon) -> bool:
    words = word_set(section.name)
    if words & set(lex.routine_words):
        return True
    # "POST-TRAINING COOL DOWN", "Vuelta a la calma": a routine's kind said in more words.
    if phrase_regex(lex.routine_words).search(section.name):
        return True
    # German joins the kind to the word ("Aufwärmübungen", "Kräftigungsübungen"): a word
    # ending in a long routine word names a group of exercises too.
    if any(w.endswith(r) and len(r) >= 6 for w in words for r in lex.routine_words):
        return True
    if not words & set(lex.title_words):
        return False
    # The line right under a title speaks of the whole routine ("take five minutes for
    # these"); an exercise's later fields may say "below" of a knee.
    # So does the line that leads into the list at the end of an introduction ("estas
    # posturas sencillas son una buena puerta de entrada:").
    blocks = direct_body(section)
    leads = [blocks[-1]] if len(blocks) > 1 and blocks[-1].text.rstrip().endswith(":") else []
    body = " ".join(b.text for b in [*blocks[:1], *leads]).lower()
    if blocks and read_timing(blocks[0].text, lex).main_duration is not None and not has_rule(
            blocks[:1], lex):
        # "Stay here for one breath ... Perform these three more times": an exercise's own
        # hold, its "these" the movements; a title's line gives no hold but as a rule.
        return False
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", body) for w in lex.routine_refs)


def _cut_outros(sections: list[Section], lex: Lexicon) -> list[Section]:
    """Exercises end at the first heading like "Conclusion" (or one under a heading like
    "FAQ"); nothing after it is one. Asides like "What you'll need" are left out."""
    for i, s in enumerate(sections):
        if _closes(sections, i, lex) or (
                i > 0 and s.parent and is_outro_heading(s.parent, lex)):
            return sections[:i]
    own = [s for s in sections if not _starts(s.name, lex.aside_headings)]
    kept = [s for s in own if not _starts(s.parent, lex.aside_headings)]
    # Every exercise under "Avant de commencer", each a heading over text of its own: a page
    # that never closed its aside, its exercises one level down. An aside's own list of
    # points ("Errores comunes" over "- Encoger los hombros: ...") stays an aside.
    return kept or (own if all(s.body for s in own) else kept)


def _cut_after_outro(sections: list[Section], lex: Lexicon) -> list[Section]:
    """The exercises end at an outro heading ("Artículos relacionados") that follows a strong
    one; one above them all ("Disclaimer") is the page's, trimmed as a weak end."""
    for i in range(len(sections)):
        if _closes(sections, i, lex) and any(p.score >= 3 for p in sections[:i]):
            return sections[:i]
    return sections


def _closes(sections: list[Section], i: int, lex: Lexicon) -> bool:
    """Whether the part at `i` is an outro heading that ends the exercises. "Benefits of
    cobra and upward dog" between two poses and the next is an aside, left out by its name:
    strong exercises follow it."""
    if not _weak_outro(sections[i], lex):
        return False
    return not (_starts(sections[i].name, lex.aside_headings) and any(
        p.score >= 3 for p in sections[i + 1:]))


def _weak_outro(section: Section, lex: Lexicon) -> bool:
    """A heading like "Conclusion" that reads little like an exercise of its own."""
    return is_outro_heading(section.name, lex) and section.score < 3


def _starts(text: str, phrases: tuple[str, ...]) -> bool:
    low = re.sub(r"^[\W\d_]+", "", text.lower()).replace("\u2019", "'")
    return any(low == p or (low.startswith(p) and not low[len(p)].isalnum()) for p in phrases)


def _dedupe_captions(sections: list[Section], lex: Lexicon) -> list[Section]:
    """A heading repeated by its picture's caption is one exercise, not two. The caption may
    say the name again in other words ("Child's pose with a twist for rowing recovery" under
    "Child's Pose With Twist"), and may come under the exercise's text instead of over it
    ("Hip Flexor Stretch" after "Hip Flexor (psoas) Stretch" and its paragraphs). Only a
    name said again in other words next to an exercise with text is a caption: in a list of
    bare names ("Seated Hamstring Stretch", "Standing Hamstring Stretch") each is one."""
    out: list[Section] = []
    for s in sections:
        if out and not _has_text(out[-1]) and (
                normalise(out[-1].name) == normalise(s.name)
                or (_has_text(s) and _says_again(out[-1].name, s.name, lex))):
            previous = out.pop()
            s = replace(s, name=previous.name, start=previous.start)
        elif out and _has_text(out[-1]) and not _has_text(s) and _says_again(
                out[-1].name, s.name, lex):
            s = replace(out.pop(), end=s.end)
        out.append(s)
    return out


def _drop_title_caption(chosen: list[Section], sections: list[Section]) -> list[Section]:
    """The page's picture under its title says the title again ("Rowing recovery" under
    "Indoor Rowing Recovery"): where the title was left out, so is its caption, and the
    intro under the caption with it."""
    if len(chosen) < 2:
        return chosen
    above = [s for s in sections if s.end == chosen[0].start and s.start < chosen[0].start]
    if not above or above[0] in chosen:
        return chosen
    (said, counted), (title, numbered) = _name_words(chosen[0].name), _name_words(above[0].name)
    return chosen[1:] if said and said < title and counted == numbered else chosen


def _says_again(name: str, caption: str, lex: Lexicon) -> bool:
    """A caption says a name again in other words: every word of the shorter one, two words
    at least ("Neck Stretch" and "Side Neck Stretch"), or three words or more ("Hip Flexor
    Stretch with side bend" under "Hip Flexor (psoas) Stretch"). Two names that share two
    words ("Side Neck Stretch", "Posterior Neck Stretch") are two exercises; the doses a list
    writes after its names ("x10 each side") are no words of them."""
    (words, numbers), (again, renumbered) = (_name_words(_without_timing(name, lex)),
                                             _name_words(_without_timing(caption, lex)))
    shared = len(words & again)
    return numbers == renumbered and (
        shared >= 3 or (shared >= 2 and shared == min(len(words), len(again))))


def _name_words(name: str) -> tuple[set[str], set[str]]:
    """A name's words and, apart, its numbers: a count in two names ("20 high knee marches",
    "20 glute kicks") says nothing of which exercise they name, and names that differ in a
    number ("2.1", "2.2") name two."""
    words = set(normalise(name).split())
    numbers = {w for w in words if w.isdigit()}
    return words - numbers, numbers


def _drop_group_heads(sections: list[Section], lex: Lexicon) -> list[Section]:
    """A line with no text of its own straight above two or more exercises that have text
    ("Upper Body" over "Chest Stretch", "Shoulder Stretch", each with its paragraph) groups
    them: it is no exercise. A name over its picture's caption (empty, text, empty, text)
    groups nothing and stays."""
    if sum(_has_text(s) for s in sections) * 3 < len(sections) * 2:
        return sections  # a list of bare names under a rule: every one is an exercise
    def heads_group(i: int, least: int) -> bool:
        s = sections[i]
        if s.body or s.inline or i + 1 == len(sections) or sections[i + 1].start != s.end:
            return False
        texts = itertools.takewhile(lambda later: any(b.kind != "heading" for b in later.body),
                                    sections[i + 1 :])
        return sum(1 for _ in texts) >= least

    # Once the page is seen to group its exercises, or where the line names a group as a
    # routine's word does, a group may hold one ("Étirements pour les épaules" over
    # "Étirement du bras croisé" alone).
    least = 1 if any(heads_group(i, 2) for i in range(len(sections))) else 2
    return [s for i, s in enumerate(sections) if not heads_group(
        i, 1 if _names_routine(s, lex) else least)]


def _drop_inner_titles(sections: list[Section], lex: Lexicon) -> list[Section]:
    """A title inside the list, over the exercises after it, whose first line speaks of them
    ("Hamstring Self Massage Exercises" over "These self massage exercises also help ...")
    and which times nothing: a group's heading, not an exercise."""
    def refers(text: str, start: bool) -> bool:
        before = "^" if start else r"(?<!\w)"
        return any(re.search(rf"{before}{re.escape(w)}(?!\w)", text) for w in lex.routine_refs)

    def titles_group(i: int) -> bool:
        s = sections[i]
        if not 0 < i < len(sections) - 1:
            return False
        if s.inline.rstrip().endswith(":") and not s.body and refers(s.inline.lower(), False):
            return True  # "Isométricos Cervicales: Haz los siguientes ... 5 segundos:"
        words = word_set(s.name)
        first = " ".join(b.text for b in direct_body(s)[:1]).lower()
        # "Con estos ejercicios ganarás fuerza ...": the first sentence speaks of them.
        sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
        return bool(words & set(lex.routine_words)) and (
            refers(first, True) or refers(sentence, False)) and not (
            read_timing(" ".join([s.inline, *(b.text for b in s.body)]), lex).says_anything)

    groups = [i for i in range(len(sections)) if titles_group(i)]
    if groups and not any(_doses(read_timing(_own_text(s), lex)) for s in sections[: groups[0]]):
        # "Low back pain", "How physiotherapy can help", then "Low back pain exercises" over
        # "These exercises are safe ...": the parts before the first group's title time
        # nothing; they are the article's introduction.
        sections = sections[groups[0]:]
        groups = [i - groups[0] for i in groups]
    return [s for i, s in enumerate(sections) if i not in groups]


def _doses(timing: Timing) -> bool:
    """A time, reps, both sides or a count of times above one: "at once" doses nothing."""
    return bool(timing.durations) or timing.reps is not None or timing.sides or (
        timing.times or 0) > 1


def _own_text(section: Section) -> str:
    """A part's name, the text on its name's line and its body, as one text."""
    return " ".join([section.name, section.inline, *(b.text for b in section.body)])


def _has_text(section: Section) -> bool:
    return bool(section.inline) or any(b.kind != "heading" for b in section.body)


def _end_last(section: Section, others: list[Section], lex: Lexicon) -> Section:
    """The last exercise ends where the article's closing words or ads begin."""
    lengths = [len(s.body) for s in others] or [3]
    cap = max(3, 2 * int(statistics.median(lengths)) + 1)
    if others and section.inline and not any(s.body for s in others):
        cap = 0  # one line each: what follows the last line is not part of it
    if not others:
        # A card of one exercise in fields ("Ausgangsposition", "Übungsausführung",
        # "Alternative"): each field brings its own lines.
        cap += cap * sum(1 for b in section.body if b.kind == "heading"
                         and is_field_name(_raw_label(b.text, lex), lex))
    # A heading the other exercises have too ("Starting position") is one of its fields.
    # So is one whose label the others have ("Idéal pour : ..." with each its own text).
    # And so is one the language lists as a field ("How to do it", "Ausführung"), which a
    # page of one exercise has with no others to show it.
    listed = _field_keys(lex)
    fields = {normalise(b.text) for s in others for b in s.body if b.kind == "heading"} | listed
    labels = ({label_of(b.text) for s in others for b in s.body if b.kind == "heading"}
              | listed) - {""}
    # A sub-heading straight under the name, where every other exercise has one too ("Kräftigt
    # Oberschenkel und Gesäß" under each numbered title), is its first line, not the outro.
    lead_heading = bool(others) and all(s.body and s.body[0].kind == "heading" for s in others)
    # A line the other exercises have word for word ("- Combien de fois ?" before each dose)
    # is one of the form's fields, however it reads.
    said_by_others = {normalise(b.text) for s in others for b in s.body}
    body: list[Block] = []
    for block in section.body:
        if len(body) >= cap and not _continues_steps(body, block):
            break
        if (block.kind == "heading" and block.level == TEXT_HEADING and body
                and step_line(block.text, lex)):
            body.append(block)  # a step or caution on a line of its own, not the outro
            continue
        if (block.kind == "heading" and not is_caption_of(block.text, section.name)
                and not (not body and (lead_heading or _works_field(block, lex)))
                and normalise(block.text) not in fields
                and label_of(block.text) not in labels
                and not is_field_name(_raw_label(block.text, lex), lex)
                and not read_timing(block.text, lex).says_anything
                and not (block.level == TEXT_HEADING and block.text.endswith(":"))):
            break
        if (block.kind in ("paragraph", "item") and is_outro_paragraph(block.text, lex)
                and normalise(block.text) not in said_by_others
                and read_timing(block.text, lex).main_duration is None
                and not _dose_follows(section.body[len(body) + 1 :], lex, said_by_others)):
            break
        body.append(block)
    return replace(section, body=tuple(body), end=section.start + 1 + len(body))


def _dose_follows(rest: tuple[Block, ...], lex: Lexicon, fields: set[str] | None = None) -> bool:
    """The exercise goes on after a line that reads like a sign-off ("Where: at the
    doctor's, in a traffic jam"): a later paragraph or item, before any heading or other
    closing line, still gives a time ("Time: 5 minutes"). A closing line that gives a time
    itself is the exercise's too ("Hold 1 minute; see your doctor if it hurts")."""
    for block in rest:
        field = normalise(block.text) in (fields or set())
        if block.kind not in ("paragraph", "item") or (
                is_outro_paragraph(block.text, lex) and not field):
            return False
        if read_timing(block.text, lex).main_duration is not None:
            return True
    return False


def label_of(text: str) -> str:
    """The label of a "Label: text" line, normalised; "" when it has none."""
    label, colon, rest = text.partition(":")
    return normalise(label) if colon and rest.strip() and len(label.split()) <= 4 else ""


def _continues_steps(body: list[Block], block: Block) -> bool:
    """`block` is the next numbered step of a list already in the exercise ("5. Swap legs and
    go through the steps again" after steps 1-4), or the next bullet of the same list (a
    lone glide's twelve bullets, its dose in the last): a list is not cut in the middle."""
    if not body or block.kind not in ("item", "paragraph") or body[-1].kind != block.kind:
        return False
    if (block.kind == "item" and block.number is None and body[-1].number is None
            and block.marker == body[-1].marker and block.level == body[-1].level):
        return True
    last, this = _step_number(body[-1]), _step_number(block)
    return last is not None and this is not None and this[0] == last[0] + 1 and this[1] == last[1]


_STEP_NUMBER = re.compile(r"(\d{1,2})\s?([.)]\)?)\s")


def _step_number(block: Block) -> tuple[int, str] | None:
    """A step's number and the mark after it, from the item's marker or, where the list was not
    recognised as one ("1.) Stand facing a wall"), from the start of its text."""
    if block.kind == "item" and block.number is not None:
        return block.number, block.marker[-1:]
    m = _STEP_NUMBER.match(block.text)
    return (int(m.group(1)), m.group(2)) if m else None


# --------------------------------------------------------------------------- choosing


NESTED_SHARE = 0.8
"""The share of a list's items that must sit under the names of another style for the list
to be their steps."""


def _steps_under(blocks: list[Block], items: list[int], names: list[int], lex: Lexicon) -> bool:
    """Whether the items of one list are the steps of the exercises named by another style
    ("1Book Opening" over "- Lie on your side ...", "- Hold for a breath."): two or more
    names each have two or more items under them, nearly every item sits under a name, the
    names are short title lines, and most items are instructions, not names ("- Calf
    stretch 30 s" under "Lower body" is an exercise of a group)."""
    if len(names) < 2 or len(items) < 4 or not items or blocks[items[0]].kind != "item":
        return False

    counts = [sum(1 for i in items if start < i < end)
              for start, end in zip(names, [*names[1:], len(blocks)], strict=True)]
    under = sum(counts)
    if sum(1 for c in counts if c >= 2) < 2 or under < NESTED_SHARE * len(items):
        return False
    if not all(_short_name(blocks[i], lex) for i, c in zip(names, counts, strict=True) if c):
        return False
    steps = sum(1 for i in items if _reads_as_step(blocks[i], lex))
    # Names labelled as exercises ("Übung 1: Vorbeuge (im Sitzen)") hold their steps, however
    # few of the bullets read as orders ("- Ausgangsposition: aufrechter Stand").
    labelled = all(blocks[i].marker == "step" for i, c in zip(names, counts, strict=True) if c)
    return steps * (LABELLED_STEP_SHARE if labelled else 2) > len(items)


LABELLED_STEP_SHARE = 4
"""Under names labelled as exercises, one item in this many reading as an order is enough."""


def _steps_of_fields(blocks: list[Block], items: list[int], lex: Lexicon) -> bool:
    """Whether a list's items are the steps of a card's fields: each list starts right under
    a field's label ("Action :" over "1. Le patient prend sa cheville ..." on a clinic's
    card, "Início:" and "Finalização:" over numbered steps on a yoga site's asana page), and
    most items are sentences with no name of their own."""
    if not items or blocks[items[0]].kind != "item":
        return False
    firsts = [i for i in items if i - 1 not in items]
    labelled = [i for i in firsts if i > 0 and blocks[i - 1].kind in ("heading", "paragraph")
                and is_field_name(_raw_label(blocks[i - 1].text, lex), lex)]
    steps = sum(1 for i in items if _reads_as_step(blocks[i], lex))
    return len(labelled) * 2 > len(firsts) and steps * 2 > len(items)


NAME_WORDS = 8


def _short_name(block: Block, lex: Lexicon) -> bool:
    """A heading, item or led paragraph whose name is a short title ("Seated Clasping Neck
    Stretch: stretches the upper back" is named by its first four words)."""
    if block.kind == "paragraph" and split_name(block) is None:
        return False
    found = split_name(block)
    name = found[0] if found is not None else _name_and_inline(block, lex)[0]
    if block.marker == "name:" and found is None:
        # "Stretch: your hamstrings": the label says it is a name, in whatever case.
        return 0 < len(name.split()) <= NAME_WORDS and not name.rstrip().endswith((".", "!"))
    return is_title_like(name) and len(name.split()) <= NAME_WORDS


def _reads_as_step(block: Block, lex: Lexicon) -> bool:
    """An item that is an instruction with no name of its own: "Lie on your side with your
    head supported.", "Tiens 20 secondes"."""
    if block.lead:
        return False
    found = split_name(block)
    if found is not None:
        # "Sets: 1", "Reps: 2" under a name are its fields, no names of their own.
        return is_field_name(found[0], lex) and read_timing(block.text, lex).says_anything
    words = block.text.split()
    first = re.match(r"[\W\d_]*([^\W\d_]+)", block.text)
    verb = first is not None and first.group(1).lower() in lex.instruction_starts
    # "Das Brustbein Richtung Decke ziehen, ...": a German step ends its clause in the verb.
    return verb or step_line(block.text, lex) or bool(final_verb(lex).search(block.text)) or (
        len(words) >= 6 and block.text.rstrip().endswith((".", "!")))


def _named_share(sections: list[Section], lex: Lexicon) -> float:
    """The share of sections whose names hold a stretch, pose or body-part word."""
    return sum(names_body(s.name, lex) for s in sections) / len(sections) if sections else 0.0


FIELD_NAME_WORDS = 3


def _one_named_exercise(best: list[Section], readings: list[list[Section]],
                        lex: Lexicon) -> list[Section] | None:
    """A page about one exercise, named by its title line, whose text is cut into fields
    ("Preparation: ...", "Breathing: ...", "Execution: ... hold 20-30 seconds"; "Ausführung:",
    "Esecuzione:"): the fields score as parts of their own, but none of them names a stretch,
    pose or body part, and all of them sit under the one title that does. That title, with
    the fields as its text, is the exercise."""
    if _named_share(best, lex) > 0 or any(
            len(s.name.split()) > FIELD_NAME_WORDS or s.number is not None or not s.inline
            for s in best):
        return None
    for reading in readings:
        if len(reading) != 1:
            continue
        one = reading[0]
        if (one.start < best[0].start and one.end >= best[-1].end and one.score >= 3
                and _named_share(reading, lex) == 1 and is_title_like(one.name)
                and not _names_routine(one, lex)):
            return reading
    return None


def _inner_list(best: list[Section], readings: list[list[Section]],
                lex: Lexicon) -> list[Section] | None:
    """A routine's title line read as its one exercise, its rule ("Hold each stretch 20
    seconds") giving it the best score, over a list of two or more named parts: the list is
    the routine ("Morning stretches" over "- Calf stretch", "- Standing quad stretch")."""
    if len(best) != 1 or not _names_routine(best[0], lex):
        return None
    one = best[0]
    inside = [r for r in readings if len(r) >= 2 and r[0].start > one.start
              and r[-1].end <= one.end and _named_share(r, lex) >= 1 / 2]
    return max(inside, key=lambda r: sum(max(s.score, 0) for s in r)) if inside else None


def _reading(blocks: list[Block], style: Style, lex: Lexicon) -> list[Section]:
    """The exercises that one style of name marks out, weak ends, titles, outros, captions
    and group headings left out."""
    found = _rule_under_names(_sections_of(blocks, style, lex), lex)
    # The same label ending in a colon again and again ("So geht die Übung:" under each
    # "Übung N: ..." item) heads each exercise's steps: it names none of them.
    labels = Counter(s.name.strip().lower() for s in found if s.name.rstrip().endswith(":"))
    found = [s for s in found if labels[s.name.strip().lower()] < 2]
    ruled = _ruled(found, blocks, lex) or (
        bool(found) and has_rule(list(blocks[found[-1].end : found[-1].end + 1]), lex)
        and all(_name_only(s) for s in found))
    sections = _scored(found, lex, ruled)
    if not sections:
        return []
    runs = _runs(sections, blocks) if style[0] in ("num", "h") else [sections]
    chosen: list[Section] = []
    best_run = max(runs, key=lambda r: sum(max(s.score, 0) for s in r))
    for run in runs:
        average = sum(s.score for s in run) / len(run)
        if run is best_run or average >= 3:
            chosen.extend(run)
    # Nothing after "Related posts" is an exercise, however like one its links read: the
    # cut comes before weak ends are trimmed, which would take the heading itself away.
    chosen = _drop_title(_trim_weak_ends(_drop_title(_cut_after_outro(chosen, lex), lex),
                                         lex, bullets=style[0] == "bullet", ruled=ruled), lex)
    chosen = _drop_inner_titles(
        _drop_group_heads(_dedupe_captions(_cut_outros(chosen, lex), lex), lex), lex)
    chosen = _drop_title_caption(chosen, sections)
    return [*chosen, sections[-1]] if _cut_at_name(chosen, sections, blocks, lex) else chosen


def _cut_at_name(chosen: list[Section], sections: list[Section], blocks: list[Block],
                 lex: Lexicon) -> bool:
    """The page's copy stops right after the next name of the list ("... repita para o outro
    lado. - Alongamento de perna estendida (Supta Padangusthasana)" and nothing more): that
    name is one more exercise, though it has no text left."""
    last = sections[-1]
    if len(chosen) < 2 or chosen[-1] is not sections[-2] or last.end != len(blocks):
        return False
    mark, before = blocks[last.start], blocks[chosen[-1].start]
    if last.number is not None and last.number != (chosen[-1].number or 0) + 1:
        return False  # "9. Raise" after "7.": a slide lost, and the copy cut mid-line
    return ((mark.kind, mark.marker) == (before.kind, before.marker) and mark.kind == "item"
            and _name_only(last) and not last.step_like and names_body(last.name, lex)
            and is_title_like(last.name) and not _reads_as_sentence(last.name, lex)
            and not is_outro_heading(last.name, lex)
            and len(last.name.split()) <= NAME_WORDS and all(_has_text(s) for s in chosen))


def _rule_under_names(sections: list[Section], lex: Lexicon) -> list[Section]:
    """A list of bare names ("1. hamstring stretch" ... "6. quad stretch") with a paragraph
    under the last that times them all ("Each one gets 4-12 breaths"): the paragraph is the
    routine's rule after the list, not the last stretch's own text."""
    if len(sections) < MIN_NAMED_LIST or not all(_name_only(s) for s in sections[:-1]):
        return sections
    last = sections[-1]
    if last.inline not in ("", last.name) or not last.body or (
            last.body[0].kind != "paragraph" or not has_rule([last.body[0]], lex)):
        return sections
    return [*sections[:-1], replace(last, body=(), end=last.start + 1)]


MIN_NAMED_LIST = 3
"""Bare names in a list for a paragraph under the last to be the list's rule."""


def _counted_list(best: list[Section], blocks: list[Block], styles: list[Style],
                  lex: Lexicon) -> list[Section] | None:
    """The list the page's title or introduction counts ("10 esercizi per il collo" over ten
    numbered orders under group headings), where the best reading found another number of
    exercises: the one numbered list that has just that many items is the routine, its
    items orders as they may be."""
    count = announced_count(" ".join(b.text for b in blocks[: best[0].start]), lex)
    if count is None or count == len(best):
        return None
    # Numbered 1 to N without a gap, N as the page says: each item is one exercise, however
    # much it reads like a step.
    found = [r for style in styles if style[0] == "num"
             for found in [_sections_of(blocks, style, lex)]
             for r in [_scored(found, lex, _ruled(found, blocks, lex))]
             if [s.number for s in r] == list(range(1, count + 1))]
    return found[0] if len(found) == 1 else None


def find_layout(blocks: list[Block], lex: Lexicon) -> Layout | None:
    """The best reading of the article as a list of exercises, or None if there is none."""
    styles: list[Style] = []
    for block in blocks:
        style = _style(block)
        if style is not None and style not in styles:
            styles.append(style)
    starts = {style: [i for i, b in enumerate(blocks) if _style(b) == style] for style in styles}
    # Names may come in more than one form on one page (a bold lead here, a title line
    # there): all the forms that are not list items, together, are tried as well.
    named = sorted(i for other in styles if other[0] not in ("bullet", "num", "row")
                   for i in starts[other])
    nested = {style for style in styles
              if any(_steps_under(blocks, starts[style], names, lex)
                     for names in [named, *(starts[o] for o in styles if o != style)])
              or _steps_of_fields(blocks, starts[style], lex)}
    best: tuple[int, list[Section]] | None = None
    readings: list[list[Section]] = []
    # Steps under the exercises' names are read as exercises only if nothing else is found.
    for style in [*[s for s in styles if s not in nested], *[s for s in styles if s in nested]]:
        if style in nested and best is not None:
            break
        chosen = _reading(blocks, style, lex)
        if not chosen:
            continue
        readings.append(chosen)
        total = sum(max(s.score, 0) for s in chosen)
        if style[0] in ("num", "h") or style == ("row",):
            total += max(1, len(chosen) // 2)  # numbers and headings are meant as structure
        # On a tie, the reading whose names name stretches or body parts wins: "Étirement
        # debout" over the "Sensation attendue: ..." field that ends each exercise. One part
        # alone never wins so: a leaflet's "Possible side effects" names no stretch.
        if best is None or total > best[0] or (
                total == best[0] and len(chosen) > 1
                and _named_share(chosen, lex) > _named_share(best[1], lex)):
            best = (total, chosen)
    if best is None or best[0] < 2:
        return None
    best_sections = (_counted_list(best[1], blocks, styles, lex)
                     or _inner_list(best[1], readings, lex) or best[1])
    sections = _one_named_exercise(best_sections, readings, lex) or best_sections
    sections[-1] = _end_last(sections[-1], sections[:-1], lex)
    return Layout(
        before=tuple(blocks[: sections[0].start]),
        sections=tuple(sections),
        after=tuple(blocks[sections[-1].end :]),
    )
