"""Pass 1 and 2: clean the characters, then cut plain text or Markdown into blocks.

A block is one heading, paragraph, list item or table row, with its inline markup
removed. HTML is cut into the same blocks by `html.py`, so every later pass works on
one shape whatever the source looked like.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, TypeVar

_T = TypeVar("_T")

BlockKind = Literal["heading", "paragraph", "item", "row"]

TEXT_HEADING = 7
"""Level given to a short title-like line in plain text (real headings are 1 to 6)."""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    """The block's words with markup removed and whitespace normalised."""
    level: int = 0
    """Heading level (1-6, or TEXT_HEADING); 0 for other blocks."""
    marker: str = ""
    """How an item or heading is numbered: "1.", "1)", "A.", "step", "-" (bullet), or ""."""
    number: int | None = None
    """The number in the marker, if any ("B." counts as 2)."""
    lead: str = ""
    """Bold text at the very start ("**Child's pose:** kneel..."): often an exercise's name."""
    cells: tuple[str, ...] = ()
    """A table row's cells."""
    header: bool = False
    """A table's header row."""
    raw_bold: bool = False
    """The whole block was bold or emphasised: in plain text and Markdown, a heading in disguise."""

    @property
    def group_row(self) -> bool:
        """A table row of three cells or more with only one filled ("Week 2 and onwards | | |"):
        a group's line over the rows under it, not a row of its own."""
        return len(self.cells) >= 3 and sum(bool(c.strip()) for c in self.cells) == 1


# --------------------------------------------------------------------------- characters

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_KEEP_SYMBOLS = frozenset("°½¼¾©®™")


def clean_characters(text: str) -> str:
    """Drop the BOM, unify line ends and spaces, and remove emoji and control characters."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _emoji_markers(text)
    # One look at each distinct character, then one pass in C: linear on a 20 MB text.
    table: dict[int, str | None] = {ord(ch): None for ch in set(text) if _dropped(ch)}
    # Social posts fake bold with the mathematical letters and digits of U+1D400 to U+1D7FF
    # ("HIP SHIFTS", "90/90" in bold sans-serif): the letters and digits they stand for, so
    # names read and numbers count.
    table.update({ord(ch): unicodedata.normalize("NFKC", ch) for ch in set(text)
                  if "\U0001d400" <= ch <= "\U0001d7ff"})
    return text.translate(table) if table else text


def _dropped(ch: str) -> bool:
    if ch in "\n\t":
        return False
    cat = unicodedata.category(ch)
    # Emoji and pictographs are "So"; variation selectors and joiners are "Mn"/"Cf".
    return ((cat == "So" and ch not in _KEEP_SYMBOLS) or cat in ("Cc", "Cf", "Cs", "Co")
            or ch in "\ufe0e\ufe0f")


_KEYCAP = re.compile(r"^(\s*)(\d{1,2})\ufe0f?\u20e3\s*", re.MULTILINE)


def _is_emoji(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return (cat == "So" and ch not in _KEEP_SYMBOLS) or ch in "\ufe0f\u200d" or (
        "\U0001f3fb" <= ch <= "\U0001f3ff")


def _indent(line: str) -> int:
    """How many characters of white space start a line."""
    return len(line) - len(line.lstrip())


def _leading_emoji(line: str) -> int:
    """How many characters of emoji (and the space after) start a line; 0 if none."""
    stripped = _indent(line)
    end = stripped
    while end < len(line) and _is_emoji(line[end]):
        end += 1
    if end == stripped or end >= len(line) or not line[end].isspace():
        return 0
    return end


def _emoji_markers(text: str) -> str:
    """Emoji used as list markers become list markers: "1\ufe0f\u20e3 Cobra" -> "1. Cobra", and
    "\U0001f449 Cobra" on two or more neighbouring lines -> "- Cobra"."""
    text = _KEYCAP.sub(r"\1\2. ", text)
    if not any(_is_emoji(ch) for ch in set(text)):
        return text
    lines = text.split("\n")
    led = [_leading_emoji(line) for line in lines]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for n, i in enumerate(filled):
        if not led[i]:
            continue
        neighbours = [filled[k] for k in (n - 1, n + 1) if 0 <= k < len(filled)]
        rest = lines[i][led[i] :].lstrip()
        if re.match(r"\d{1,2}[.)]\s", rest):
            # "🧍‍♀️ 1. Allungamento laterale": the picture sign before a number is no marker
            # of its own; the number opens the item.
            lines[i] = rest
        elif any(led[j] for j in neighbours):
            lines[i] = "- " + rest
    return "\n".join(lines)


def speakable(text: str) -> str:
    """One line of text fit to be spoken: no markup, links or URLs, and single spaces."""
    text = html.unescape(text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # images: their alt text is not spoken
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # [words](link) -> words
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<(?:https?:|mailto:)[^>]*>", " ", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", " ", text)  # stray inline HTML in Markdown
    text = _URL.sub(" ", text)
    text = re.sub(r"(\*\*|__|~~|`)", "", text)
    text = re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", text)
    text = text.replace("\n", " ")
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text).strip()
    return text


def bold_lead(raw: str) -> tuple[str, bool]:
    """The bold text at the start of a Markdown line, and whether the bold is the whole line."""
    m = re.match(r"\s*(\*\*|__)(.+?)\1", raw)
    if not m:
        return "", False
    rest = raw[m.end() :].strip()
    return speakable(m.group(2)).strip(), rest in ("", ":", ".")


# --------------------------------------------------------------------------- line patterns

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_BULLET = re.compile(r"^(\s*)([-*+•●▪◦·‣∙■□➢➤►✓✔\u2013\u2014])\s+(.*)$")
_ORDERED = re.compile(
    r"^(\s*)(\d{1,3})([.)/])(?:[-\u2013\u2014]|\s+[-\u2013\u2014](?=\s))?\s+(.*)$")
""""1. Name", "1) Name", and the Spanish "1.- Name" / "1. - Name"."""
MONTH_YEAR = re.compile(
    r"(?:jan|feb|f[eé]v|m[aä]r|apr|abr|avr|ma[iy]|mag|jun|jui|giu|jul|lug|aug|ago|ao[uû]|sep"
    r"|set|o[ck]t|ott|out|nov|d[eé]c|dez|dic)[^\W\d_]*\.?\s+(?:19|20)\d{2}",
    re.IGNORECASE)
"""A month and its year as one part of a post's facts ("November 2017 · Wellness · 2
Comments", "März 2021"), known by the month's first letters in any of our languages."""
_NTH_LABEL = re.compile(r"^(\s*)(\d{1,2})(?:st|nd|rd|th)\s+[A-Z][a-z]{2,12}\s*:\s+(\S.*)$")
""""1st Hour: Touch your toes - 5 seconds": a slot's label numbering the item before it."""
_COMMA_NUMBER = re.compile(r"^(\s*)(\d{1,2}),\s+([^\W\d_].{1,60})$")
""""4, Quadriceps Stretch": a scanned manual's "4." read by OCR as a comma, before a title."""
_NUMBER_DASH = re.compile(r"^(\s*)(\d{1,2})\s*[-\u2013\u2014:]\s+(.*)$")
_THREAD = re.compile(r"^(\s*)(\d{1,2})/(\d{1,2})\s+(\S.*)$")
"""A post of a numbered thread: "3/8 Upper trap stretch. ..."."""
_GLUED = re.compile(r"^(\s*)(\d{1,2})(?:\.[-\u2013\u2014]|\.)?([^\W\d_]{2,}.*)$")
"""A number glued to its name by a PDF export: "3Single Leg Balance", "1.Isquiotibiales", and
the Spanish "2.-Estira el cuello" typed without its space."""
_LETTERED = re.compile(r"^(\s*)([A-Za-z])([.)])\s+(\S.*)$")
_GLUED_LETTER = re.compile(r"^(\s*)([A-Z])([.)])([A-Z][a-z]{2,}.*)$")
"""A capital letter glued to its name by an export: "A.Hamstring stretch", "B)Cobra"."""
_PAREN_NUMBER = re.compile(r"^(\s*)[(\[](\d{1,2}|[a-zA-Z])[)\]]\s+(.*)$")
_HASH_NUMBER = re.compile(r"^(\s*)#(\d{1,2})\s*[:.)\-\u2013\u2014]?\s+(.*)$")
DASHES = "\\-\u2013\u2014"
"""Hyphen, en dash and em dash, for a regex character class: they all separate a number or
a name from what follows."""
_TABLE_SEP = re.compile(r"^\s*\|?\s*(?::?-{2,}:?|:-:)\s*(\|\s*(?::?-{2,}:?|:-:)\s*)*\|?\s*$")
_FRONT_MATTER = re.compile(
    r"\A\s*---[ \t]*\n(?:[\w-]+[ \t]*:.*\n|[ \t]+.*\n|-[ \t].*\n)*+---[ \t]*(?:\n|\Z)")
"""The YAML block at the top of a Markdown file ("---\ntitle: ...\n---"): settings for a site
generator, not text of the page. Its lines are taken possessively: an indented line may be
split between `[ \t]+` and `.*` in many ways, and trying them all, line after line, on a file
whose block is never closed took minutes."""
_FENCE = re.compile(r"^\s*(```|~~~)")


@lru_cache(maxsize=16)
def _step_pattern(step_words: tuple[str, ...],
                  number_words: tuple[tuple[str, int], ...] = ()) -> re.Pattern[str]:
    """"Step 3:", "Exercise 2 -", "Stretch #4." at the start of a line; also "Übung eins.",
    "Exercise two:" with the number in words, as a transcript of an audio guide writes it
    (then a colon, dash or full stop must follow the word)."""
    words = "|".join(re.escape(w) for w in step_words) or "step"
    spelt = "|".join(re.escape(w) for w, _ in sorted(number_words, key=lambda p: -len(p[0])))
    spelt_alt = rf"|(?:{spelt})(?=\s*[:.{DASHES}])" if spelt else ""
    return re.compile(
        rf"^(\s*)(?:{words})\s*#?\s*(\d{{1,2}}|[A-Za-z](?=\s*[:.){DASHES}]){spelt_alt})"
        rf"\s*(?:[:.){DASHES}]\s*|\s+|$)(.*)$",
        re.IGNORECASE,
    )


@lru_cache(maxsize=16)
def _ordinal_pattern(step_words: tuple[str, ...],
                     ordinal_words: tuple[tuple[str, int], ...]) -> re.Pattern[str]:
    """"Primo esercizio:", "Second stretch -", "Erste Übung:" at the start of a line: the
    exercise's number as an ordinal before the step word (then a colon, dash or full stop)."""
    words = "|".join(re.escape(w) for w in sorted(step_words, key=len, reverse=True))
    ordinals = "|".join(re.escape(w) for w, _ in sorted(ordinal_words, key=lambda p: -len(p[0])))
    return re.compile(rf"^(\s*)({ordinals})\s+(?:{words})[\w]{{0,2}}\s*[:.{DASHES}]\s*(.*)$",
                      re.IGNORECASE)


@lru_cache(maxsize=16)
def _name_label(name_words: tuple[str, ...]) -> re.Pattern[str]:
    """"Exercise:<tab>Static quads": a field whose value is the exercise's name."""
    words = "|".join(re.escape(w) for w in name_words)
    return re.compile(rf"^\s*(?:{words})\s*:\s*(\S.{{0,60}})$", re.IGNORECASE)


@dataclass(frozen=True)
class _Item:
    marker: str
    number: int | None
    text: str


def match_item(line: str, step_words: tuple[str, ...],
               name_words: tuple[str, ...] = (),
               number_words: tuple[tuple[str, int], ...] = (),
               ordinal_words: tuple[tuple[str, int], ...] = ()) -> _Item | None:
    """The list marker starting a line, if it has one: bullets, "1.", "1)", "A.", "Step 1",
    "Primo esercizio:", and "Exercise: Calf stretch" where the label is a word that names
    exercises."""
    if ordinal_words and step_words:
        m = _ordinal_pattern(step_words, ordinal_words).match(line)
        if m:
            number = dict(ordinal_words).get(m.group(2).lower())
            label = line[m.start(2) : m.start(3)].strip().rstrip(":." + DASHES).strip()
            return _Item("step", number, f"{label}: {m.group(3)}" if m.group(3) else label)
    m = _step_pattern(step_words, number_words).match(line)
    # "posición 20 segundos y ...": a sentence wrapped after a step word, not "Paso 2".
    if m and not (m.group(3)[:1].islower() and not line[m.end(2) : m.start(3)].strip()):
        spelt = dict(number_words).get(m.group(2).lower())
        return _Item("step", spelt or _number_of(m.group(2)), m.group(3))
    if name_words:
        m = _name_label(name_words).match(line)
        if m:
            return _Item("name:", None, m.group(1))
    m = _ORDERED.match(line)
    if m and m.group(3) == "." and MONTH_YEAR.fullmatch(m.group(4).strip()):
        return None  # "5. Okt. 2017": a date, the day before its month, not an item
    if m:
        # "1. Übung: Nackendehnung": the number, then the field that gives the name.
        named = _name_label(name_words).match(m.group(4)) if name_words else None
        return _Item(m.group(3), int(m.group(2)), named.group(1) if named else m.group(4))
    m = _NTH_LABEL.match(line)
    if m:
        return _Item("nth", int(m.group(2)), m.group(3))
    m = _COMMA_NUMBER.match(line)
    if m and is_title_like(m.group(3)) and m.group(3)[:1].isupper():
        return _Item(".", int(m.group(2)), m.group(3))
    m = _THREAD.match(line)
    if m and int(m.group(2)) <= int(m.group(3)):
        return _Item("n/m", int(m.group(2)), m.group(4))
    m = _GLUED.match(line)
    if m and m.group(3)[0].isupper() and m.group(3)[1].islower():
        # "2.-Estira" is the "1.- Pellizca" of the line above with its space lost: one list.
        dashed = line[m.end(2) : m.start(3)].startswith(".") and m.start(3) - m.end(2) == 2
        return _Item("." if dashed else "1", int(m.group(2)), m.group(3))
    m = _HASH_NUMBER.match(line)
    if m:
        return _Item("#", int(m.group(2)), m.group(3))
    m = _PAREN_NUMBER.match(line)
    if m:
        return _Item("()", _number_of(m.group(2)), m.group(3))
    m = _NUMBER_DASH.match(line)
    if m:
        return _Item("-1", int(m.group(2)), m.group(3))
    m = _ROMAN.match(line)
    if m and _roman_value(m.group(2)) is not None:
        return _Item("i" + m.group(3), _roman_value(m.group(2)), m.group(4))
    m = _LETTERED.match(line) or _GLUED_LETTER.match(line)
    if m and _looks_lettered(m.group(2), m.group(4)):
        return _Item("A" + m.group(3), _number_of(m.group(2)), m.group(4))
    m = _BULLET.match(line) or _GLUED_DASH.match(line)
    if m:
        return _Item("-", None, m.group(3))
    return None


_GLUED_DASH = re.compile(r"^(\s*)(-)([A-Z\u00c0-\u00de][^\W\d_]+[^:.]{0,60}:\s+\S.*)$")
"""A dash typed against its word, as a coach's site lists its moves ("-Leg swings: ..."):
a capitalised name and its colon start the item. A minus before a number ("-5 °C") is no
bullet, and a card's dashed fields ("-Postura. Torsión sentada.") stay its lines."""


_ROMAN = re.compile(r"^(\s*)([ivx]{1,5})([.)])\s+(\S.*)$")
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}


def _roman_value(token: str) -> int | None:
    """"iv" -> 4: lower-case roman numerals number the steps inside an exercise."""
    total = 0
    for index, ch in enumerate(token):
        value = _ROMAN_DIGITS[ch]
        following = _ROMAN_DIGITS[token[index + 1]] if index + 1 < len(token) else 0
        total += -value if value < following else value
    canonical = ("x" * (total // 10) + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii",
                                        "ix"][total % 10])
    return total if 0 < total < 40 and canonical == token else None


def _looks_lettered(letter: str, rest: str) -> bool:
    # "A. Child's pose" is a lettered item; "I. " could be prose ("I. e." is rare); both pass,
    # but a lower-case start after the letter ("a. the ...") is not a list.
    return rest[:1].isupper() or rest[:1].isdigit() or letter.isupper()


def _number_of(token: str) -> int | None:
    if token.isdecimal():
        return int(token)
    if len(token) == 1 and token.isalpha():
        return ord(token.lower()) - ord("a") + 1
    return None


_BOX_RULE = re.compile(r"^\s*\+[-=+]{3,}\+?\s*$")
"""The ruled lines of a table drawn in ASCII: "+----+--------+"."""
_NUMBER_HEADERS = frozenset({"#", "no", "no.", "nr", "nr.", "n°", "nº", "n.", "", "num", "number"})


def _without_number_column(cells: tuple[str, ...]) -> tuple[str, ...]:
    """A table's first column that only numbers its rows ("#", "1", "2") is left out, so the
    name is the first cell."""
    if len(cells) >= 3 and (re.fullmatch(r"\d{1,2}\.?", cells[0].strip())
                            or cells[0].strip().lower() in _NUMBER_HEADERS):
        return cells[1:]
    return cells


def _split_cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body.removeprefix("|").removesuffix("|")
    return tuple(speakable(c) for c in body.split("|"))


LABEL_TITLE_WORDS = 4
"""Words of a lower-case line that heads what follows with a colon ("für die Waden:")."""


def is_title_like(text: str) -> bool:
    """A short line with no sentence ending: a heading in plain text, or a caption."""
    words = text.split()
    if not words or len(words) > 12 or len(text) > 90:
        return False
    if len(re.sub(r"[\W\d_]", "", text)) < 2:
        return False  # a photo's letter ("A", "B") or a lone number: a label, not a title
    end = text.rstrip()
    if end.endswith((".", "!", ",", ";")) and not end.endswith("..."):
        return False
    if end.endswith(":") and len(words) > 6:
        return False  # "Here's what my physio gave me, works great for me:" leads into a list
    first = text.lstrip("\"'\u201c\u2018(")[:1]
    if end.endswith(":") and len(words) <= LABEL_TITLE_WORDS and first.isalpha():
        return True  # "vorderer Oberschenkel:", "für die Waden:": a label over its text
    return first.isupper() or first.isdigit()


# --------------------------------------------------------------------------- text and Markdown


def read_text(text: str, step_words: tuple[str, ...],
              name_words: tuple[str, ...] = (),
              number_words: tuple[tuple[str, int], ...] = (),
              stretch_words: tuple[str, ...] = (),
              ordinal_words: tuple[tuple[str, int], ...] = ()) -> list[Block]:
    """Cut plain text or Markdown into blocks.

    Plain text is read as Markdown: its numbered lines and bullets are list items, and a
    short line standing on its own is a heading in disguise (level TEXT_HEADING).
    """
    blocks: list[Block] = []
    para: list[str] = []
    item: tuple[_Item, list[str]] | None = None
    in_fence = False

    def flush() -> None:
        nonlocal item
        if item is not None:
            blocks.extend(_item_blocks(item[0], item[1]))
            item = None
        if para:
            blocks.extend(_paragraph_blocks(para, bold_names, stretch_words=stretch_words))
            para.clear()

    text = _FRONT_MATTER.sub("", text, count=1)
    lines = _aligned_tables([part for line in re.sub(r"<!--.*?-->", " ", text,
                                                     flags=re.DOTALL).split("\n")
                             for part in _unglued(line)])
    lines = _rerun_markers(_bare_numbers(_spaced_glued_numbers(_dash_items_glued(lines))),
                           step_words, name_words)
    lines = _joined_lone_numbers(_steps_indented_under_names(lines))
    bold_names = names_in_prose(text)
    chapters = _chapter_marks(lines)
    for index, raw_line in enumerate(lines):
        line = raw_line.rstrip()
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = re.sub(r"^\s*(?:>\s?)+", "", line)  # block quotes read as their content
        if not line.strip() or _IMAGE_ONLY.match(line) or _MEDIA_NOTE.match(line) or (
                is_file_names(line.strip())):
            # A picture on its own line (a saved page's "![Pigeon pose](pigeon.jpg)" or
            # "<image>...</image>" right above the exercise's title), or the file name a
            # copy kept in its place ("ruecken1"), stands between blocks as a blank line
            # would: it is no words of the title under it or the step after it.
            flush()
            continue
        setext = _SETEXT.match(line)
        if setext and len(para) == 1 and item is None:
            level = 1 if setext.group(1).startswith("=") else 2
            blocks.append(_heading_block(para[0], level, step_words))
            para.clear()
            continue
        if _RULE.match(line) or _BOX_RULE.match(line):
            flush()
            if _BOX_RULE.match(line) and blocks and blocks[-1].kind == "row" and (
                    len(blocks) == 1 or blocks[-2].kind != "row"):
                blocks[-1] = replace(blocks[-1], header=True)  # +----+ under the first row
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            blocks.append(_heading_block(atx.group(2), len(atx.group(1)), step_words))
            continue
        if "|" in line and (line.strip().startswith("|") or line.count("|") >= 2):
            flush()
            if _TABLE_SEP.match(line):
                if blocks and blocks[-1].kind == "row":
                    blocks[-1] = replace(blocks[-1], header=True)
                continue
            cells = _without_number_column(_split_cells(line))
            blocks.append(Block("row", " | ".join(cells), cells=cells))
            continue
        found = chapters.get(index) or match_item(line, step_words, name_words, number_words,
                                                  ordinal_words)
        if found is not None and not _is_wrapped_number(line, para, lines, index):
            flush()
            if found.marker == "step" and (not speakable(found.text)
                                           or _FIGURE_REFERENCE.match(found.text)):
                # "Übung 2" alone on its line names the exercise: the lines under it are
                # its text, not its name.
                found = _Item(found.marker, found.number, speakable(line))
            elif found.marker == "step" and _label_names(line, found.text, name_words):
                # "Stretch 1: Interlace your fingers, turn ..." names the exercise by its
                # label: what follows is an instruction, not a name.
                label = line[: len(line) - len(found.text)].strip().rstrip(":.)-\u2013\u2014 ")
                found = _Item(found.marker, found.number, f"{label}: {found.text}")
            item = (found, [])
            continue
        if item is not None and not _leaves_item(item, line, lines, index, step_words):
            item[1].append(line)
            continue
        if item is not None or _names_bullets(para, line, lines, index, step_words):
            flush()
        para.append(line)
    flush()
    return _dashed_first_column(_lone_rows(_nested_steps(_names_after_text(
        _flat_names_over_steps(_run_in_names(blocks))))))


_TRAILING_NAME = re.compile(
    r"(?<=[.!?])\s+(?P<name>[^\W\d_][\w'\u2019-]*(?:\s+(?:[^\W\d_][\w'\u2019-]*|[a-z]{1,3}|&)){0,5})"
    r"\s*$")
"""Title-case words after an item's last sentence: "... toward the opposite side. The Elbow
Pump"."""
MIN_NAMES_AFTER_TEXT = 3


def _names_after_text(blocks: list[Block]) -> list[Block]:
    """A slide deck flattened to text puts each slide's title after its text ("3. This one
    works sitting down. Reach ... toward the opposite side. The Elbow Pump"): where three or
    more items of one list end so, and at least half of them, each such title is moved to its
    item's front as its name."""
    out = list(blocks)
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and out[end].kind == "item" and out[end].marker == out[start].marker:
            end += 1
        if end == start:
            start += 1
            continue
        found = {i: m for i in range(start, end) if (m := _trailing_title(out[i].text))}
        if len(found) >= MIN_NAMES_AFTER_TEXT and len(found) * 2 >= end - start:
            for i, m in found.items():
                rest = out[i].text[: m.start()].strip()
                out[i] = replace(out[i], text=f"{m.group('name')}: {rest}")
            # The deck's opening slides, before the first with a title after its text, are
            # its introduction ("2. Sitting all day raises the risk ... Try a few now!").
            for i in range(start, min(found)):
                out[i] = replace(out[i], kind="paragraph", marker="", number=None)
        start = end
    return out


def _trailing_title(text: str) -> re.Match[str] | None:
    m = _TRAILING_NAME.search(text)
    if m is None:
        return None
    words = m.group("name").split()
    if not (words[0][:1].isupper() and words[-1][:1].isupper()):
        return None
    return m if sum(w[:1].isupper() for w in words) * 2 > len(words) else None


# --------------------------------------------------------------------------- lost line breaks

RUN_MARKERS = 3
"""A marker a copy ran into the text before it must come back this often in the text: one
"Sentence. - Word" or "... • ..." is punctuation, three are a list that lost its lines."""
_RUN_BULLET = re.compile(r"\s[\u2022\u25cf\u25aa\u25e6\u27a2\u27a4\u25ba]\s+(?=\S)")
_RUN_DASH = re.compile(r"(?<=[.!?])\s+[-\u2013]\s+(?=[^\W\d_][^.!?]{1,80}$)")
RUN_NAME_WORDS = 8


def _rerun_markers(lines: list[str], step_words: tuple[str, ...],
                   name_words: tuple[str, ...]) -> list[str]:
    """Lines put back where a copy (a PDF viewer's, a browser's "copy all", a reposted
    article's) ran a list's markers into the text before them. Four kinds are seen on real
    pages, each coming back at least RUN_MARKERS times:
    - bullets inside one long line ("... bend your rear leg. • Rest your hands ... before
      swapping. STRETCH: YOUR QUADS • From standing, ..."): each bullet starts a line, and
      the words after the last sentence before a bullet run are the name over it;
    - a dash item glued to the end of the paragraph above it ("... evitando dores de
      cabeça. - Gire os tornozelos devagar", its text on the next line);
    - labels with a number that rise 1, 2, 3 glued to the sentence before them
      ("... lockern:Übung 1: Ziehen Sie ... wiederholen.Übung 2: Stellen Sie ...");
    - bare numbers that rise 1, 2, 3, each after a sentence, in one long line ("1 Calves
      Stand ... no pain. 2 Hamstrings Stand ...")."""
    labels = _run_labels(step_words)
    if sum(len(_RUN_DASH.findall(line)) for line in lines) >= RUN_MARKERS:
        lines = [part for line in lines for part in _RUN_DASH.sub("\n- ", line).split("\n")]
    out: list[str] = []
    following = 0  # the number a run of bare numbers in the line before would go on with
    for line in lines:
        if following and (go_on := _number_run(line, first=following)):
            out.extend(_number_lines(line, go_on))  # "8 Standing stretch ..." on the next line
            following = int(go_on[-1].group(1)) + 1
            continue
        following = 0
        if len(_RUN_BULLET.findall(line)) >= RUN_MARKERS and len(line) >= UNWRAPPED_LINE:
            out.extend(_bullet_lines(line))
            continue
        marks = _label_run(labels, line)
        if marks:
            out.extend(_label_lines(line, marks, name_words))
            continue
        numbered = _number_run(line) if len(line) >= UNWRAPPED_LINE else []
        if numbered:
            out.extend(_number_lines(line, numbered))
            following = int(numbered[-1].group(1)) + 1
            continue
        out.append(line)
    return out


_RUN_NUMBER = re.compile(r"(?:^|(?<=[.!?])\s+)(\d{1,2})\s+(?=[^\W\d_a-z])")


def _number_run(line: str, first: int = 0) -> list[re.Match[str]]:
    """Bare numbers rising 1, 2, 3 ... each after a sentence, in one line: a PDF's numbered
    list run into one paragraph ("1 Calves Stand ... no pain. 2 Hamstrings Stand ...").
    `first`: the number the run of the line before goes on with, which opens this line."""
    if first:
        lead = _RUN_NUMBER.match(line)
        if lead is None or int(lead.group(1)) != first:
            return []
    run: list[re.Match[str]] = []
    for m in _RUN_NUMBER.finditer(line):
        if not run or int(m.group(1)) == int(run[-1].group(1)) + 1:
            run = [*run, m] if run else [m]
        elif int(m.group(1)) == 1:
            run = [m]
    if first:
        return run if run and int(run[0].group(1)) == first else []
    return run if len(run) >= RUN_MARKERS and int(run[0].group(1)) == 1 else []


def _number_lines(line: str, marks: list[re.Match[str]]) -> list[str]:
    """Each numbered part as "N. Name" over its text. The name is the words before the
    first one that starts a sentence, a capital followed by a small word ("Calves | Stand
    approximately ...", "Hip Flexor Stretch | Kneel on ..."); failing that, the part whole."""
    out = [line[: marks[0].start()].strip()] if marks[0].start() else []
    ends = [m.start() for m in marks[1:]] + [len(line)]
    for m, end in zip(marks, ends, strict=True):
        words = line[m.end() : end].strip().split()
        cut = next((i for i in range(1, min(len(words) - 1, RUN_NAME_WORDS + 1))
                    if words[i][:1].isupper() and words[i + 1][:1].islower()), None)
        if cut is None:
            out.extend(["", f"{m.group(1)}. {' '.join(words)}"])
        else:
            out.extend(["", f"{m.group(1)}. {' '.join(words[:cut])}", " ".join(words[cut:])])
    return [part for part in out if part or out]


_GLUED_STOP = re.compile(r"^(\s*)(\d{1,2})\.(?=[^\W\d_])")


def _spaced_glued_numbers(lines: list[str]) -> list[str]:
    """"1.Esercizi Pendolari: ..." over "2. Fissare le scapole: ...": a PDF export that lost
    the space after one number of a list. The glued item is of the list when the next
    numbered line goes on from it, n + 1 with a space; where the next is "1. Sdraiatevi"
    (steps under "1.Allungamento del tendine"), glued and spaced numbers are two lists."""
    out = list(lines)
    for index, line in enumerate(lines):
        m = _GLUED_STOP.match(line)
        if m is None:
            continue
        following = next((_ORDERED.match(ln) for ln in lines[index + 1 :]
                          if _ORDERED.match(ln) or _GLUED_STOP.match(ln)), None)
        if following is not None and following.group(3) == "." and (
                int(following.group(2)) == int(m.group(2)) + 1):
            out[index] = f"{m.group(1)}{m.group(2)}. {line[m.end():]}"
    return out


_BARE_NUMBER = re.compile(r"^\s*(\d{1,2}) +(?=[^\W\d_])(.*)$")
_STRAY_DIGITS = re.compile(r"^([^\d.!?:;,]{3,60}?[^\W\d_])\s+\d{1,2}(?:\s+(?=[^\W\d_])|\s*$)")
"""A name, then the digits of a picture's icon or a step count the export left there ("Étirer
tout le corps 3 Allongée sur le dos", "Étirer les fessiers 33"), then the text or nothing."""
BARE_RUN = 3


def _bare_numbers(lines: list[str]) -> list[str]:
    """A magazine or flip-book PDF sets each exercise's number in a big font with no stop
    after it, so its text comes out as "1 Relâcher le dos 3 Debout près du mur ...",
    "2 Étirer les fessiers 33" (the second number an icon's): lines led by a bare number,
    counting up by one (4, 5, 6 on a later page). Three in a row are a list; two are when
    each has the name, stray digits and text shape (a recipe's "1 Banane", "2 EL Zucker"
    never has). Each becomes "N. Name", with its text on the next line."""
    found = [(i, m) for i, line in enumerate(lines) if (m := _BARE_NUMBER.match(line))
             and m.group(2)[:1].isupper()]
    runs: list[list[tuple[int, re.Match[str]]]] = []
    for index, m in found:
        if runs and int(m.group(1)) == int(runs[-1][-1][1].group(1)) + 1:
            runs[-1].append((index, m))
        else:
            runs.append([(index, m)])
    out = list(lines)
    for run in runs:
        shaped = [_STRAY_DIGITS.match(m.group(2)) for _, m in run]
        if len(run) < 2 or (len(run) < BARE_RUN and not all(shaped)):
            continue
        for (index, m), name in zip(run, shaped, strict=True):
            if name is None:
                out[index] = f"{m.group(1)}. {m.group(2)}"
                continue
            text = m.group(2)[name.end():].strip()
            out[index] = f"{m.group(1)}. {name.group(1)}" + (f"\n{text}" if text else "")
    return [part for line in out for part in line.split("\n")]


def _bullet_lines(line: str) -> list[str]:
    """One long line with bullets run into it, as lines: the text before the first bullet,
    then each bullet, with the name that ends a bullet's text (after its last sentence) on
    a line of its own, a blank line before it. A name with no sentence before it (an intro
    whose lines lost their full stops: "... the depth of your stretches Stretch: your
    hamstrings") is found by the word the other names start with."""
    segments = _RUN_BULLET.split(line)
    names: list[str | None] = []
    for segment in segments[:-1]:
        cut = re.split(r"(?<=[.!?])\s+(?=\S)", segment.strip())
        tail = cut[-1] if len(cut) > 1 else None
        names.append(tail if tail is not None and _run_name(tail) else None)
    starts = {re.match(r"\W*([^\W\d_]+)", n).group(1).lower()  # type: ignore[union-attr]
              for n in names if n and re.match(r"\W*[^\W\d_]", n)}
    for n, segment in enumerate(segments[:-1]):
        if names[n] is not None or not starts:
            continue
        found = [m for m in re.finditer(r"(?<=\s)([^\W\d_]+)", segment)
                 if m.group(1).lower() in starts and m.group(1)[0].isupper()]
        if found and _run_name(segment[found[-1].start() :]):
            names[n] = segment[found[-1].start() :]
    out: list[str] = []
    for n, segment in enumerate(segments):
        text = segment.strip()
        name = names[n] if n < len(names) else None
        if name is not None:
            text = text[: len(text) - len(name.strip())].strip()
        if text:
            out.append(text if n == 0 else "- " + text)
        if name is not None:
            out.extend(["", name.strip()])
    return out


def _label_lines(line: str, marks: list[re.Match[str]], name_words: tuple[str, ...]) -> list[str]:
    """A line cut before each label of a glued run, a blank line before each part. The
    labels of one run name their exercises one way: where one label's text opens with an
    instruction ("Übung 1: Legen Sie sich flach auf den Rücken ..."), each label alone is
    its exercise's name, on a line of its own over its text, so a short first step
    ("Übung 3: Arme beim Ausatmen senken.") is not taken for a name."""
    cuts = [0, *(m.start(1) for m in marks), len(line)]
    parts = [line[a:b].strip() for a, b in itertools.pairwise(cuts)]
    labelled = [(m.group(1).strip().rstrip(":. "), part[len(m.group(1)):].strip())
                for m, part in zip(marks, parts[1:], strict=True)]
    alone = any(_label_names(part, text, name_words)
                for part, (_, text) in zip(parts[1:], labelled, strict=True))
    out = [parts[0]] if parts[0] else []
    for part, (label, text) in zip(parts[1:], labelled, strict=True):
        out.extend(["", label, text] if alone and text else ["", part])
    return out


def _run_name(text: str) -> bool:
    text = text.strip()
    return is_title_like(text) and len(text.split()) <= RUN_NAME_WORDS and not re.search(
        r"\d", text)


@lru_cache(maxsize=16)
def _run_labels(step_words: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in step_words if len(w) >= 4) or "step"
    return re.compile(rf"(?:(?<=[.!?:])|(?<=[.!?:]\s))((?:{words})\s*(\d{{1,2}})\s*[:.]\s*)(?=\S)",
                      re.IGNORECASE)


def _label_run(labels: re.Pattern[str], line: str) -> list[re.Match[str]]:
    """The labels numbered 1, 2, 3 ... glued into one line after a sentence or colon."""
    run: list[re.Match[str]] = []
    for m in labels.finditer(line):
        if int(m.group(2)) == len(run) + 1:
            run.append(m)
    return run if len(run) >= RUN_MARKERS else []


NESTED_STEP_WORDS = 6
"""A nested item this long, or ending in a full stop, is a sentence: a step, not a name."""
NESTED_STEP_LEAD = 4
"""Blocks about an exercise, at most, between its numbered name and its steps numbered
again from 1."""


def _nested_steps(blocks: list[Block]) -> list[Block]:
    """Steps numbered inside a numbered exercise ("2.- KNEE TO CHEST:" then "1. Lie on your
    back. ...", "2. Pull the knee in. ..."): a name alone on its numbered line, then a list
    numbered the same way, counted again from 1, whose items are sentences. Those items are
    the exercise's text, not exercises of their own."""
    out = list(blocks)
    for i, block in enumerate(blocks):
        # A paragraph or two about the exercise may come first ("A stretch band opens the
        # chest, says trainer ...", then "1. Take the band in both hands ..."), or its fields
        # in bullets ("- Target: Feet and toes.", "- How to Perform:").
        first = i + 1
        while first < min(len(blocks), i + 1 + NESTED_STEP_LEAD) and (
                blocks[first].kind == "paragraph" or (
                    blocks[first].kind == "item" and blocks[first].number is None)):
            first += 1
        if not (block.kind == "item" and block.number is not None and is_title_like(block.text)
                and first < len(blocks) and blocks[first].number == 1):
            continue
        run: list[int] = []
        for j in range(first, len(blocks)):
            inner = blocks[j]
            # Numbered the same way: a manual's chapter ("3. CHARGING") over its "1)" steps
            # is no exercise with steps.
            if not (inner.kind == "item" and inner.number == len(run) + 1
                    and inner.marker == block.marker and _is_sentence(inner)):
                break
            run.append(j)
        if len(run) >= 2:
            for j in run:
                out[j] = replace(blocks[j], kind="paragraph", number=None, level=0)
    return out


_RUN_IN_NAME = re.compile(
    r"(?P<name>[A-Z][a-z'\u2019-]*(?:\s+(?:[a-z][a-z'\u2019-]*|&))*?(?:\s+\([^()]{1,40}\))?)"
    r"\s+(?=[A-Z][a-z'\u2019-]+,?\s+[a-z])")
"""A name run into its paragraph with nothing between ("Toe and heel raises Legs straight,
rock back ...", "Heel cord stretch (gastroc stretch) Palms on the wall ..."): a capital,
words in small letters and maybe a bracket, then a new sentence's capital."""
MIN_RUN_IN_NAMES = 3


def _run_in_names(blocks: list[Block]) -> list[Block]:
    """A handout copied from a PDF whose names lost their line break: three or more
    paragraphs in a row, each opening with such a name, are named by it."""
    found = [_run_in_name(b) for b in blocks]
    out = list(blocks)
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and found[end] is not None:
            end += 1
        if end - start >= MIN_RUN_IN_NAMES:
            for i in range(start, end):
                out[i] = replace(blocks[i], lead=found[i] or "")
        start = end + 1
    return out


def _run_in_name(block: Block) -> str | None:
    if block.kind != "paragraph" or block.lead:
        return None
    m = _RUN_IN_NAME.match(block.text)
    if m is None:
        return None
    words = m.group("name").split("(")[0].split()
    if not 2 <= len(words) <= RUN_NAME_WORDS or words[-1] in _NAME_RUNS_ON:
        return None
    return m.group("name")


MIN_FLAT_NAMES = 3
FLAT_NAME_WORDS = 6


def _flat_names_over_steps(blocks: list[Block]) -> list[Block]:
    """A nested list a copy flattened to one level ("- Rotação cervical", "- Sente-se com a
    coluna bem reta.", "- Vire a cabeça ...", "- Inclinação lateral do pescoço", ...): in one
    run of bullets, short names with no sentence ending, each over bullets that are
    sentences, three times or more and from the run's first bullet. The names are headings;
    their steps stay bullets under them."""
    out = list(blocks)
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].kind == "item" and blocks[j].number is None and (
                blocks[j].marker == blocks[i].marker):
            j += 1
        run = range(i, j)
        names = [k for k in run if _flat_name(blocks[k]) and k + 1 < j
                 and _is_sentence(blocks[k + 1])]
        others = sorted(set(run) - set(names))
        if (len(names) >= MIN_FLAT_NAMES and names[0] == i and all(
                _is_sentence(blocks[k]) for k in others)):
            for k in names:
                out[k] = replace(blocks[k], kind="heading", marker="", level=TEXT_HEADING)
        i = max(j, i + 1)
    return out


def _flat_name(block: Block) -> bool:
    text = block.text.rstrip()
    return is_title_like(text) and len(text.split()) <= FLAT_NAME_WORDS and not text.endswith(
        ":")


def _is_sentence(block: Block) -> bool:
    text = block.text.rstrip()
    return text.endswith((".", "!")) or len(text.split()) > NESTED_STEP_WORDS


_LONE_NUMBER = re.compile(r"^\s*(\d{1,2})([.)])\s*$")


_FIGURE_REFERENCE = re.compile(
    r"^\s*\(?\s*(?:fig|figure|figura|abb|abbildung|bild|ill|img|image|photo|foto)\.?\s*"
    r"[\w.-]{1,4}\s*\)?\s*[:.]?\s*$", re.IGNORECASE)
"""A label's only text a pointer to its picture ("Esercizio 3 (Fig. D)"): no name."""


def _joined_lone_numbers(lines: list[str]) -> list[str]:
    """A list number alone on its line, its name on the next ("1." over "Zehen berühren"),
    as a PDF manual's two columns come out as text: one numbered line, "1. Zehen berühren".
    A health site's big item numbers come out with no stop ("1" over "L'étirement des
    genoux"): those are joined only where two or more rise by one down the page, so a lone
    page number or a count in a table is left alone."""
    bare = _rising_bare_numbers(lines)
    out: list[str] = []
    skip = False
    for n, line in enumerate(lines):
        if skip:
            skip = False
            continue
        m = _LONE_NUMBER.match(line)
        following = lines[n + 1].strip() if n + 1 < len(lines) else ""
        if m is not None and following[:1].isalpha():
            out.append(f"{m.group(1)}{m.group(2)} {following}")
            skip = True
        elif n in bare:
            out.append(f"{line.strip()}. {following}")
            skip = True
        else:
            out.append(line)
    return out


_LONE_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")


MIN_NESTED_NAMES = 2


def _steps_indented_under_names(lines: list[str]) -> list[str]:
    """Bullets set deeper under a bullet that is only a name ("  \u2022 Shoulder stretch (1 of
    4)" over "    \u2022 Cup one hand under the opposite elbow."), as a page's nested list
    comes out as text: the deeper bullets are that exercise's steps, so they lose their
    markers and read as its text, not as exercises of their own. Two or more such names, each
    over two or more deeper bullets, make the nesting; one could be a list's odd indent.
    Every bullet at the names' margin must be such a name: a clinic's one exercise whose
    steps ("Sit tall ...", "Go into the open position", then its deeper parts) sit beside
    steps with no deeper bullets is one list of steps."""
    names: list[int] = []
    steps: dict[int, list[int]] = {}
    outer = -1
    for k, line in enumerate(lines):
        m = _BULLET.match(line)
        if not m:
            if outer >= 0 and line.strip() and _indent(line) <= _indent(lines[outer]):
                outer = -1  # text back at the name's margin ends its list
            continue
        if outer >= 0 and _indent(line) > _indent(lines[outer]):
            steps[outer].append(k)
        elif is_title_like(speakable(m.group(3))):
            outer = k
            names.append(k)
            steps[k] = []
        else:
            outer = -1
    nested = [k for k in names if len(steps[k]) >= 2]
    margins = {_indent(lines[k]) for k in nested}
    inner = {j for k in nested for j in steps[k]}
    outer_bullets = [k for k, line in enumerate(lines) if k not in inner
                     and _BULLET.match(line) and _indent(line) in margins]
    if len(nested) < MIN_NESTED_NAMES or len(outer_bullets) > len(nested):
        return lines
    return [_BULLET.sub(r"\1\3", line) if k in inner else line for k, line in enumerate(lines)]


def _rising_bare_numbers(lines: list[str]) -> set[int]:
    """The indexes of lines holding a bare number alone ("2"), with a capitalised line of
    words straight under it, in runs that rise by one from 1 (1, 2, 3 down the page)."""
    found = [(n, int(m.group(1))) for n, line in enumerate(lines)
             if (m := _LONE_BARE_NUMBER.match(line)) and n + 1 < len(lines)
             and lines[n + 1].strip()[:1].isupper()]
    runs: list[list[tuple[int, int]]] = []
    for n, number in found:
        if runs and number == runs[-1][-1][1] + 1:
            runs[-1].append((n, number))
        elif number == 1:
            runs.append([(n, number)])
    return {n for run in runs if len(run) >= 2 for n, _ in run}


def _leaves_item(item: tuple[_Item, list[str]], line: str, lines: list[str], index: int,
                 step_words: tuple[str, ...]) -> bool:
    """Whether a line right under a list item, with no blank line between, is not more of the
    item but the next exercise's title: an equipment manual or a PDF export runs "6.Repeat to
    the left side." straight into "Side Bend with Bent Arm" and its "MUSCLE(S) AFFECTED: ..."
    field or its steps numbered from 1 again. The item has ended a sentence, the line is a
    short title, and what follows it is another title line, a field, or a list that starts
    over at 1; a line wrapped out of the item's sentence is none of these."""
    last = (item[1][-1] if item[1] else item[0].text).rstrip()
    text = speakable(line)
    if not item[1] and _outdented_sentence(lines[index - 1], line, item[0].text):
        return True
    if not last.endswith((".", "!", "?")) or not _short_title(line) or re.search(r"\d", text):
        return False
    following = _next_text_line(lines, index)
    if not following:
        # The page's last line under its last step ("Share this post"): a footer of its
        # own, for the noise pass to judge, not words said in the last exercise.
        return True
    then = match_item(following, step_words)
    # A title over a line far longer than any wrap ("Why this one lasted" over the article's
    # next paragraph, copied one paragraph to a line) heads the article's next part.
    return (then is not None and then.number == 1) or bool(_FIELD.match(following)) or (
        _short_title(following) and match_item(following, step_words) is None) or (
        _starts_bullets(following, step_words)) or (
        then is None and len(following) >= UNWRAPPED_LINE)


def _outdented_sentence(item_line: str, line: str, name: str) -> bool:
    """A paragraph set back to the margin right under an indented list of names ("  6. quad
    stretch" then "Each one gets 4-12 breaths, ..."): a page copied without its blank lines.
    Markdown would run it on into the item; a reader sees the list end and the text go on."""
    return (item_line[:1].isspace() and not line[:1].isspace() and len(name.split()) <= 6
            and not name.rstrip().endswith((".", "!", "?", ":", ","))
            and _starts_sentence(line) and len(line.split()) >= OUTDENTED_WORDS)


OUTDENTED_WORDS = 8
"""Words a line at the margin has at least to be a paragraph of its own, not a wrapped name."""


def _next_text_line(lines: list[str], index: int) -> str:
    """The first line after `index` with words on it: blank lines and the file names a copy
    kept where its pictures were ("ruecken1") stand between blocks, as nothing."""
    return next((ln for ln in lines[index + 1 :] if ln.strip() and not is_file_names(ln.strip())),
                "")


BULLETS = ("-", "*", "+", "\u2022")


def _starts_bullets(line: str, step_words: tuple[str, ...]) -> bool:
    """Whether a line is a bullet item: under a short title line that follows a finished
    sentence, the first step of the next exercise ("Cuádriceps" over "- Parado, con los pies
    juntos ...", as a blog's name lines over its bullet steps come out when copied)."""
    found = match_item(line, step_words)
    return found is not None and found.marker in BULLETS


def _names_bullets(para: list[str], line: str, lines: list[str], index: int,
                   step_words: tuple[str, ...]) -> bool:
    """A short title line right under a paragraph's finished sentence, with bullets straight
    under it: the first exercise's name after the introduction, not the introduction's last
    line."""
    if not para or not para[-1].rstrip().endswith((".", "!", "?")) or not _short_title(line):
        return False
    if re.search(r"\d", line) or index + 1 >= len(lines):
        return False
    if _starts_bullets(lines[index + 1], step_words):
        return True
    # So is one over steps numbered from 1, past a blank line or a picture's file name
    # ("ruecken1"), as a magazine's copied page runs its heading into the paragraph above.
    following = _next_text_line(lines, index)
    then = match_item(following, step_words)
    return then is not None and then.number == 1 and then.marker in (".", ")")


_IMAGE_ONLY = re.compile(
    r"^\s*(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>|<image\b[^>]*>.*?</image>|<image\b[^>]*/>)\s*$",
    re.IGNORECASE)
"""A line that is only a picture: Markdown's image, an <img> tag, or an <image> element."""
_MEDIA_NOTE = re.compile(
    r"^\s*\[\s*(?:image|img|photo|picture|illustration|video|gif|bild|abbildung|grafik|foto"
    r"|imagen|ilustraci[oó]n|v[ií]deo|vid[eé]o|immagine|illustrazione|imagem|ilustra[cç][aã]o)"
    r"\b[^\]]*\]\s*(?:\d{1,2}:[0-5]\d)?\s*$", re.IGNORECASE)
"""A copy's note of a picture or film in its place ("[image: gentle-hamstring-stretch]",
"[video player: Hamstring Stretch] 1:12")."""


_GLUED_TITLE = re.compile(
    r"^(?P<title>[^\W\d_][^.!?:;\n]{1,60}?[^\W\d_A-Z\u00c0-\u00de]{3})"
    r"(?P<text>[A-Z\u00c0-\u00de](?:[^\W\d_]*)\b.*)$")
"""A title run into the text after it, where a copy lost the line break between them:
"Calf StretchAREAS INVOLVED: ...", "Calf-StretchSit comfortably ...", "À lire aussiLes
techniques ...": a lower-case letter, then at once a capital that starts a new word."""
GLUED_TEXT_WORDS = 3


def _unglued(line: str) -> list[str]:
    """A line cut where a lost line break glued a title to its text; other lines as they are.
    Names written in camel case ("YouTube", "PowerPoint slides") have a short part before the
    capital or few words after it, so they stay whole."""
    marker = match_item(line, ()) if line[:1].isspace() or line[:1].isdigit() else None
    head = line
    prefix = ""
    if marker is not None and marker.text and line.endswith(marker.text):
        prefix, head = line[: len(line) - len(marker.text)], marker.text
    m = _GLUED_TITLE.match(head)
    if m is None:
        return [line]
    title, text = m.group("title"), m.group("text")
    last = re.findall(r"[^\W\d_]+", title)[-1]
    if (len(last) < 4 or len(text.split()) < GLUED_TEXT_WORDS or len(title.split()) > 6
            or not title[:1].isupper()):
        return [line]
    if re.match(r"[^\W\d_]+\s*[\u00b7|\u2022,]", text):
        return [line]  # a brand in a byline ("Par la rédaction VéloStore · Lecture : 3 min")
    return [prefix + title, text]


_DASH_ITEM = re.compile(rf"\s*[{DASHES}]\s+\S")
_GLUED_DASH_ITEM = re.compile(
    rf"(?P<text>.*[.!?])\s+(?P<dash>[{DASHES}])\s+(?P<title>[^\W\d_][^.!?:;]*)")
GLUED_ITEM_WORDS = 8
"""Words a dash item glued to the paragraph above may have: a name, not a sentence."""


def _dash_items_glued(lines: list[str]) -> list[str]:
    """A dash item a lost line break glued to the end of the paragraph above ("... com os
    ombros relaxados e a postura correta. - Alongamento dos músculos das costas"), where two
    or more lines are dash items, is a line of its own."""
    if sum(bool(_DASH_ITEM.match(line)) for line in lines) < 2:
        return lines
    out: list[str] = []
    for line in lines:
        m = None if _DASH_ITEM.match(line) else _GLUED_DASH_ITEM.fullmatch(line.rstrip())
        if m is None or len(m.group("title").split()) > GLUED_ITEM_WORDS or not m.group(
                "title")[:1].isupper():
            out.append(line)
            continue
        out.extend([m.group("text"), f"{m.group('dash')} {m.group('title')}"])
    return out


_DASHES_ONLY = re.compile(r"[-\u2013\u2014]?")
MIN_DASHED_ROWS = 3


def _dashed_first_column(blocks: list[Block]) -> list[Block]:
    """A table whose first column holds only a dash in three rows of text in four or more
    ("\u2013 | Sit to stand | 10 repetitions | 1 set", a journal's rehab programme under a
    "Step" header, one row marked "Optional"): that column is left out, header and all, so
    each row is named by its exercise. A row with one cell filled ("Week 2 and onwards") is
    a group's line and is no row of text."""
    out = list(blocks)
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and out[end].kind == "row":
            end += 1
        rows = [i for i in range(start, end) if len(out[i].cells) >= 3 and not out[i].group_row
                and any(c.strip() for c in out[i].cells)]
        # The first row may be the header typed with no rule under it ("Step | Exercise").
        body = rows[1:] if rows and not out[rows[0]].header else rows
        dashed = [i for i in body if _DASHES_ONLY.fullmatch(out[i].cells[0].strip())]
        if len(dashed) >= MIN_DASHED_ROWS and len(dashed) * 4 >= len(body) * 3:
            for i in rows:
                cells = out[i].cells[1:]
                out[i] = replace(out[i], text=" | ".join(cells), cells=cells)
        start = end + 1 if end == start else end
    return out


def _lone_rows(blocks: list[Block]) -> list[Block]:
    """A line with bars that no other row stands next to ("Print | Email | Text size") is a
    menu or a breadcrumb, not a table: a table has a header or at least two rows."""
    out = list(blocks)
    for i, block in enumerate(blocks):
        if block.kind != "row" or block.header:
            continue
        if any(0 <= j < len(blocks) and blocks[j].kind == "row" for j in (i - 1, i + 1)):
            continue
        out[i] = Block("paragraph", block.text.replace(" | ", ", "))
    return out


_CLOCK = r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})"
"""A clock time, [h:]mm:ss, as three groups (the hours may be missing)."""


def _clock_seconds(m: re.Match[str], first: int) -> int:
    """The seconds of the clock time whose hours are group `first` of the match."""
    hours, minutes, seconds = m.group(first, first + 1, first + 2)
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


_TIMESTAMP = re.compile(rf"^\s*{_CLOCK}\s+[-\u2013\u2014:]?\s*([^\W\d_].*)$")
MIN_CHAPTERS = 3


LABEL_NAME_WORDS = 6
"""A step label's text longer than this, up to its first stop, is an instruction."""


def _label_names(line: str, text: str, name_words: tuple[str, ...]) -> bool:
    """Whether a label that names exercises ("Stretch 1:", "Exercise 2 -") is the only name
    its item has: the text after it starts with a long clause and is a sentence, an
    instruction, not a name ("Exercise 2: Calf stretch. Stand ...", "Exercício 2 - Alongamento
    da parte de trás da coxa (Figura 2)"). "Step 1:" never names an exercise."""
    label = line.strip().lower()
    if not text or not any(label.startswith(w) for w in name_words):
        return False
    first = re.split(r"[.:;!?\u2013\u2014]|\s-\s", text, maxsplit=1)[0]
    return len(first.split()) > LABEL_NAME_WORDS and bool(re.search(r"[.!](?:\s|$)", text))


def _line_runs(lines: list[str], match: Callable[[str], re.Match[str] | None],
               ) -> list[list[tuple[int, re.Match[str]]]]:
    """The lines `match` reads, with their indexes, in runs one after another: blank lines
    between them are no break, any other line is."""
    runs: list[list[tuple[int, re.Match[str]]]] = [[]]
    for index, line in enumerate(lines):
        m = match(line)
        if m is not None:
            runs[-1].append((index, m))
        elif line.strip() and runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _split_where(run: list[_T], starts_anew: Callable[[_T, _T], bool]) -> list[list[_T]]:
    """`run` cut before each entry that `starts_anew(previous, entry)` says begins a new one."""
    parts = [run[:1]]
    for previous, entry in itertools.pairwise(run):
        if starts_anew(previous, entry):
            parts.append([entry])
        else:
            parts[-1].append(entry)
    return parts


def _chapter_marks(lines: list[str]) -> dict[int, _Item]:
    """A video's chapter list ("00:00 Intro", "00:42 Neck rolls (30 sec)", "01:15 ..."):
    lines led by a clock time that rises from one line to the next, at least three in a
    row. The time says where the chapter starts in the video, not how long it lasts, so it
    is a list marker, not a duration; a card of lines led by hold lengths ("0:45 Plank",
    "0:30 Cobra") does not rise steadily and keeps its times."""
    marks: dict[int, _Item] = {}
    for run in _line_runs(lines, _TIMESTAMP.match):
        timed = [(index, _clock_seconds(m, 1), m.group(4)) for index, m in run]
        for part in _split_where(timed, lambda a, b: b[1] <= a[1]):
            if len(part) >= MIN_CHAPTERS and part[0][1] == 0:
                for number, (index, _, text) in enumerate(part, start=1):
                    marks[index] = _Item("0:00", number, text)
    return {**_hold_leads(lines), **marks, **_time_slots(lines)}


def _hold_leads(lines: list[str]) -> dict[int, _Item]:
    """An app's routine retold line by line, each led by how long it lasts ("0:30 - Bridge:
    Lie flat on my back ...", "0:30 - Reverse Crunches: ..."): at least three lines in a row
    led by a clock time that does not rise as a video's chapters do. Each is an exercise,
    its time its hold."""
    marks: dict[int, _Item] = {}
    for run in _line_runs(lines, lambda line: _TIMESTAMP.match(line) if _HOLD_LEAD.match(
            line) else None):
        timed = [(index, _clock_seconds(m, 1), m.group(4)) for index, m in run]
        rising = all(b[1] > a[1] for a, b in itertools.pairwise(timed))
        if len(timed) >= MIN_CHAPTERS and not rising:
            for number, (index, seconds, text) in enumerate(timed, start=1):
                marks[index] = _Item("0:30", number, f"{text} ({seconds} s)")
    return marks


_HOLD_LEAD = re.compile(rf"^\s*{_CLOCK}\s*[-\u2013\u2014]\s+[^\W\d_][^:]{{0,60}}:\s+\S")
""""0:30 - Bridge: Lie flat ...": the time, a dash, and the exercise's name with its text."""


_TIME_SLOT = re.compile(rf"^\s*{_CLOCK}\s*[-\u2013\u2014]\s*{_CLOCK}\s*[-\u2013\u2014:|]?\s*"
                        r"([^\W\d_].*)$")
_GLUED_CELL = re.compile(r"(?<=[a-z\u00df-\u00ff)])(?=[A-Z\u00c0-\u00de])")
"""Where a flattened table glued the next cell to a name: "...de la têteMobiliser ..."."""


def _time_slots(lines: list[str]) -> dict[int, _Item]:
    """A session's timetable ("0:00 - 0:30 Breathing", "0:30 - 1:30 Head rolls", ...):
    lines led by a span of clock time, each starting where the last one ended, at least
    three in a row. Each span is how long that exercise lasts, so it becomes the item's
    dose ("Head rolls (60 s)"); a cell the copy glued to the name ("Head rollsLoosen the
    neck") is the exercise's text. A span that does not move forward stands alone."""
    marks: dict[int, _Item] = {}
    for run in _line_runs(lines, _TIME_SLOT.match):
        spans = [(index, _clock_seconds(m, 1), _clock_seconds(m, 4), m.group(7))
                 for index, m in run]
        parts = _split_where(spans, lambda a, b: a[2] <= a[1] or b[2] <= b[1] or b[1] != a[2])
        for part in parts:
            if len(part) < MIN_CHAPTERS:
                continue
            for number, (index, start, end, text) in enumerate(part, start=1):
                name, *rest = _GLUED_CELL.split(text, maxsplit=1)
                dose = f"({end - start} s)"
                text = f"{name.strip()}: {rest[0]} {dose}" if rest else f"{name.strip()} {dose}"
                marks[index] = _Item("0:00", number, text)
    return marks


def _aligned_cells(line: str) -> list[str]:
    """The cells of a line of a table aligned with spaces: runs of two or more spaces (or
    tabs) part them. No cells for a line without such a run."""
    if "|" in line:
        return []
    if "\t" in line:
        # A table copied from a web page or a spreadsheet parts its cells with tabs.
        cells = [c.strip() for c in re.split(r"\t+", line.strip()) if c.strip()]
        return cells if len(cells) >= 2 else []
    if not re.search(r"\S {2,}\S", line.strip()):
        return []
    return [c for c in re.split(r" {2,}", line.strip()) if c]


def _aligned_tables(lines: list[str]) -> list[str]:
    """Three or more lines in a row whose columns line up with runs of spaces ("1   Calf
    stretch   2 x 30''   heel down"), a table typed or exported as plain text, become
    Markdown table rows; a first line without digits is their header."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        run = index
        width = len(_aligned_cells(lines[index]))
        while run < len(lines) and width >= 3 and abs(len(_aligned_cells(lines[run])) - width) < 2:
            run += 1
        body = [_aligned_cells(line) for line in lines[index:run]]
        if run - index >= 3 and sum(bool(re.search(r"\d", " ".join(c[1:]))) for c in body) >= 2:
            for number, cells in enumerate(body):
                out.append("| " + " | ".join(cells) + " |")
                if number == 0 and not re.search(r"\d", " ".join(cells)):
                    out.append("|" + "---|" * len(cells))
            index = run
            continue
        out.append(_spaced_menu(lines[index]))
        index += 1
    return out


MENU_PARTS = 4


def _spaced_menu(line: str) -> str:
    """A site's menu bar copied as one line of words parted by runs of spaces ("Inicio
    Servicios   Capacitaciones   Novedades   Contacto"), not in a table's rows: its parts
    joined by middle dots, as menus parted so are read ("Laufschuhe · Laufanalyse")."""
    cells = _aligned_cells(line)
    if len(cells) < MENU_PARTS or "\t" in line or any(
            len(c.split()) > 3 or re.search(r"[\d.!?:;,]", c) for c in cells):
        return line
    return " \u00b7 ".join(cells)


def _is_wrapped_number(line: str, para: list[str], lines: list[str], index: int) -> bool:
    """A hard-wrapped paragraph can put a number at a line start ("...for\n30 seconds")."""
    if not para or not re.match(r"^\s*\d", line):
        return False
    if re.match(r"^\s*1[.)]\s+[^\W\d_a-z]", line):
        return False  # "1. Sit with ..." under a caption's "slide 1 of 5, Towel stretch,": a list
    previous = para[-1].rstrip()
    return not previous.endswith((".", ":", "!", "?")) and not is_title_like(previous)


_FILE_NAME = re.compile(
    r"[\w.-]+\.(?i:jpe?g|png|gif|webp|svg|tiff?|heic)"  # "3cpsFente1.JPG"
    r"|(?i:img|dsc|dscn|pxl|dcim|p)[_-]?\d{3,}\w*"  # a camera's "IMG_0625"
    r"|\d+[^\W\d_]+\d*[^\W\d_]*\d*[^\W\d_]*"  # "3cpsMur13cpsMur": a number glued in front
    r"|[A-Z][a-z]*[A-Z][A-Za-z]*\d+"  # "IJDeb1", "QuadDeb2": camel case, then a number
    r"|[a-z\u00df-\u00ff]{3,}[_-]?\d{1,3}")  # "ruecken1": a lower-case word, then a number


def is_file_names(text: str) -> bool:
    """A line of picture file names that a copied page kept where its images were
    ("IMG_0625 IMG_0619", "3cpsFente3cpsFente1.JPG", "IJDeb1 IJDeb2"): never text."""
    tokens = text.split()
    return 0 < len(tokens) <= 4 and all(
        _FILE_NAME.fullmatch(t) and (any(c.isdigit() for c in t) or "." in t)
        for t in tokens) and (
        len(tokens) > 1 or not tokens[0][:1].isdigit() or "." in tokens[0])


_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[.!?]\s+[^\W\d_a-z\u00df-\u00ff]")
HEADING_PROSE_WORDS = 10


def _heading_block(raw: str, level: int, step_words: tuple[str, ...]) -> Block:
    if _SENTENCE_BREAK.search(raw) and len(raw.split()) >= HEADING_PROSE_WORDS:
        # A page that sets its paragraphs in heading tags ("## Siéntese con las piernas
        # estiradas. Pase una toalla ..."): two sentences are never a title.
        return Block("paragraph", speakable(raw))
    found = match_item(raw, step_words)
    if found is not None and found.marker != "-":
        return Block("heading", speakable(found.text), level=level, marker=found.marker,
                     number=found.number)
    return Block("heading", speakable(raw), level=level)


def _item_blocks(found: _Item, more: list[str]) -> list[Block]:
    """A list item; a short title line followed by more lines is a heading plus a paragraph."""
    first = found.text
    if found.number == 1 and found.marker in (".", ")"):
        # "1) Neck: ... 2) Chest: ... 3) ...": the whole list on the first item's line.
        inline = _inline_items(speakable(" ".join([f"1{found.marker} {first}", *more])))
        if inline is not None and not inline[0]:
            return [Block("item", i.text, marker=i.marker, number=i.number) for i in inline[1]]
    if more and _name_goes_on(first, more):
        # A narrow column wraps the name itself ("Übung 2: Dehnung der Außen-" over "seite von
        # Oberkörper und Bein", "Übung 4:" over "Dehnung des Hüftbeugers"): its next line is
        # the rest of the name, not a title of its own.
        rest = more[0].strip()
        first = (first.rstrip()[:-1] + rest if first.rstrip().endswith("-") and rest[:1].islower()
                 else f"{first.rstrip()} {rest}")
        more = more[1:]
    lead, whole_bold = bold_lead(first)
    head = Block("item", speakable(first), marker=found.marker, number=found.number, lead=lead,
                 raw_bold=whole_bold)
    if not more:
        return [head]
    # A narrow column's line wrapped mid-sentence goes on in small letters ("1. Tirate il
    # piede verso di voi e restate" over "qualche istante in questa posizione."), the line
    # above ending in a small word too: one step, not a name over its text.
    wrapped = more[0].strip()[:1].islower() and first.rstrip()[-1:].islower()
    if whole_bold or (is_title_like(speakable(first)) and not wrapped):
        return [head, *_paragraph_blocks(more)]
    joined = speakable(" ".join([first, *more]))
    return [replace(head, text=joined)]


_NAME_RUNS_ON = frozenset({
    "der", "die", "das", "des", "dem", "den", "von", "vom", "zur", "zum", "und", "mit", "für",
    "of", "the", "and", "for", "with", "to", "de", "del", "la", "las", "los", "el", "y", "du",
    "le", "les", "et", "di", "dei", "della", "delle", "dello", "il", "da", "do", "dos"})
"""Words a name line cannot end on: an article or a joining word, the name's last part
wrapped to the next line."""


_JOINS_A_NAME = frozenset({
    "on", "in", "at", "against", "over", "auf", "an", "am", "im", "gegen", "über", "sobre",
    "con", "en", "contra", "sur", "avec", "contre", "sul", "sulla", "nel", "nella", "contro",
    "com", "na", "no", "em"})
"""Words that open the second line of one name, wrapped ("SOBRE PELOTA DE EJERCICIOS",
"ON A CHAIR"): a joining word never starts a name of its own."""


def _caps_name_goes_on(line: str) -> bool:
    """Whether an ALL-CAPS line under another is the rest of its name: short, in caps too,
    and opening with a joining word ("SOBRE PELOTA DE EJERCICIOS")."""
    text = speakable(line)
    words = text.split()
    return bool(words) and text.isupper() and len(words) <= 6 and (
        words[0].lower() in _JOINS_A_NAME | _NAME_RUNS_ON) and not re.search(r"[.!?:]", text)


def _name_goes_on(first: str, more: list[str]) -> bool:
    """Whether an item's line is a name cut short by the column, and the line under it, a
    short title with text after it, is the name's end."""
    line, rest = first.rstrip(), speakable(more[0])
    words = line.split()
    if not words or len(more) < 2 or len(words) > 6 or not is_title_like(speakable(line)):
        return False
    if line.endswith("-") and rest[:1].islower():
        # "Außen-" over "seite von Oberkörper und Bein": a word broken at the line's end.
        return len(rest.split()) <= INNER_TITLE_WORDS and not re.search(r"[.!?:]", rest)
    return _short_title(more[0]) and (line.endswith(("-", ":")) or (
        words[-1] in _NAME_RUNS_ON and len(words) >= 2))


def _is_line_list(lines: list[str]) -> bool:
    """Short lines with numbers, one under the other ("neck tilt 20s x2 each side"): a list
    written without markers, as in notes. Three lines of which two have numbers ("Glute
    stretch 45s each side", "Back roll 60s", "Questions? Ask the coaches") are one too, if no
    line is a sentence: an exercise's name, instruction and dose are three lines as well."""
    texts = [speakable(line) for line in lines]
    if len(texts) < 3 or any(len(t.split()) > 10 or t.endswith((",", ";")) for t in texts):
        return False
    with_numbers = sum(1 for t in texts if re.search(r"\d", t))
    if with_numbers < 3 and any(t.endswith(".") for t in texts):
        return False
    return with_numbers >= max(2, len(texts) - 1)


def _paragraph_blocks(lines: list[str], bold_names: bool = False,
                      leading: bool = True, stretch_words: tuple[str, ...] = ()) -> list[Block]:
    """A paragraph; a title-like first line on its own line becomes a heading before it.
    `bold_names`: the text names its exercises in bold inside its sentences. `leading`: the
    lines start a paragraph (not the rest of one after a title line inside it).
    `stretch_words`: the language's words for a stretch ("Dehnung", "estiramiento")."""
    if _is_line_list(lines):
        return [Block("item", speakable(line), marker="-") for line in lines]
    if _dash_lines(lines):
        return [Block("item", speakable(line), marker="-") for line in lines]
    if _line_per_paragraph(lines):
        # A handout's ALL-CAPS names run into their own lines ("GEMELOS (40 segundos cada
        # pierna) Colócate de pie ..."), again and again: each line is named by its caps.
        caps_names = [_shouted_name(speakable(line)) for line in lines]
        if sum(name is not None for name in caps_names) < MIN_INLINE_ITEMS:
            caps_names = [None] * len(lines)
        return [b for line, name in zip(lines, caps_names, strict=True) for b in (
            [Block("paragraph", speakable(line), lead=name)] if name else _paragraph_blocks(
                [line], bold_names, stretch_words=stretch_words))]
    labels = _colon_labels(lines)
    if labels:
        return [*_paragraph_blocks(lines[: labels[0]], bold_names, leading, stretch_words),
                *(block for start, end in itertools.pairwise([*labels, len(lines)])
                  for block in _labelled_text(lines[start:end]))]
    inner = _inner_title(lines)
    if inner is not None:
        # A second title line straight under it (the first exercise's name under its group's
        # line) is a line of its own too.
        end = inner + 2 if _short_title(lines[inner + 1]) else inner + 1
        return [*_paragraph_blocks(lines[:inner], bold_names, leading, stretch_words),
                *(_single_line(line) for line in lines[inner:end]),
                *_paragraph_blocks(lines[end:], bold_names, False, stretch_words)]
    blocks: list[Block] = []
    start = 0
    while leading and start < len(lines) - 1:
        first = speakable(lines[start])
        following = lines[start + 1].strip()
        lead, whole_bold = bold_lead(lines[start])
        byline = re.match(r"(?:by|von|por)\s+[A-Z]", following, flags=re.IGNORECASE)
        shouted = first.isupper() and len(first.split()) <= 8  # "DESK STRETCH BREAK"
        if (whole_bold or is_title_like(first)) and not _FIELD.match(lines[start]) and (
                following[:1].isupper() or byline or shouted):
            if shouted and _caps_name_goes_on(following) and start + 2 < len(lines):
                # "ROTACIÓN DEL CUELLO" over "SOBRE PELOTA DE EJERCICIOS": one name, wrapped.
                blocks.append(_single_line(f"{lines[start].rstrip()} {following}"))
                start += 2
                continue
            blocks.append(_single_line(lines[start]))
            start += 1
        else:
            break
    rest = lines[start:]
    inline = _inline_items(speakable(" ".join(rest))) if rest else None
    named = _named_in_prose("\n".join(rest), bold_names) if rest and bold_names else None
    capped = (_shouted_in_prose(speakable(" ".join(rest)))
              if rest and named is None and inline is None else None)
    if capped is None and rest and named is None and inline is None and stretch_words:
        capped = _led_in_prose(speakable(" ".join(rest)), stretch_words)
    if named is not None:
        blocks.extend(named)
    elif capped is not None:
        blocks.extend(capped)
    elif inline is not None:
        intro, items = inline
        if intro:
            blocks.append(Block("paragraph", intro))
        blocks.extend(Block("item", item.text, marker=item.marker, number=item.number)
                      for item in items)
    elif sum(1 for line in rest if _starts_line_block(line)) >= 2:
        blocks.extend(_field_blocks(rest))
    elif len(rest) == 1:
        blocks.append(_single_line(rest[0]))
    elif rest:
        lead, whole_bold = bold_lead(rest[0])
        blocks.append(Block("paragraph", speakable(" ".join(rest)), lead=lead))
    return blocks


MIN_COLON_LABELS = 3


def _colon_label(line: str) -> bool:
    """A short label ending in a colon on a line of its own ("calf:", "hip (I like it
    seated):"): the name over an exercise's text, as a note typed with no blank lines gives
    it. What is in brackets is a remark on the name, not part of it."""
    text = re.sub(r"\([^()]*\)", " ", speakable(line)).strip()
    return (text.endswith(":") and 1 <= len(text[:-1].split()) <= LABEL_TITLE_WORDS
            and not re.search(r"\d", text) and text[:1].isalpha())


def _colon_labels(lines: list[str]) -> list[int]:
    """Where the labels start in a paragraph of three or more colon labels, each with a line
    of text under it ("calf:" / "hands on the wall, back leg straight"): the lines of a list
    typed without markers or blank lines. Empty if the paragraph is not one. A label said
    again ("How:" over each exercise's steps) is a field's, not an exercise's name."""
    starts = [k for k, line in enumerate(lines[:-1])
              if _colon_label(line) and not _colon_label(lines[k + 1])]
    names = {speakable(lines[k]).casefold() for k in starts}
    return starts if len(starts) >= MIN_COLON_LABELS and len(names) == len(starts) else []


def _labelled_text(lines: list[str]) -> list[Block]:
    """A colon label's line as a heading, and the lines under it as its paragraph. The colon
    stays: it is what makes a lower-case line a label over its text (`is_title_like`)."""
    head = speakable(lines[0]).strip()
    return [Block("heading", head, level=TEXT_HEADING),
            Block("paragraph", speakable(" ".join(lines[1:])))]


UNWRAPPED_LINE = 150
"""Characters of a line no wrapping leaves: a PDF, an e-mail or a terminal wraps prose at 60
to 100 characters, so a line this long was never wrapped and is a paragraph of its own."""


_DASH_LINE = re.compile(rf"^\s*[^\W\d_]{{2,}}(?:\s[^.!?:\n]{{0,60}}?)?\s[{DASHES}]\s+\S")
"""A name, a spaced dash and what to do: "Bhekasana - Frog Pose - good for the groin"."""
DASH_LINE_NAME_WORDS = 6


def _dash_lines(lines: list[str]) -> bool:
    """Lines that each give a name, a dash and a note, one under the other with no blank line
    between (a blog's pose list typed line by line): three or more such lines, and the rest
    short title lines ("Warm Up", "Dangling (5 minutes)"), are a list written without
    markers, each line an item, not wrapped prose."""
    if len(lines) < 3:
        return False
    dashed = 0
    for line in lines:
        m = _DASH_LINE.match(line)
        name = re.sub(r"\([^()]*\)", " ", line[: m.end()]).split()[:-2] if m else []
        if m and line[:1].isupper() and len(name) <= DASH_LINE_NAME_WORDS:
            dashed += 1
        elif not _short_title(line):
            return False
    return dashed >= 3


def _line_per_paragraph(lines: list[str]) -> bool:
    """Text copied from a web page ("Select all, Copy") or a reader view gives each paragraph
    and each heading one line, with no blank line between them: a line far longer than any
    wrap says so, and then every line is a block of its own ("La fente basse" between two
    paragraphs is a title line, not words of a sentence). Two such lines, not one: a name on
    its own line over one long paragraph ("**Stretch 1: Butterfly**" then its text) is read by
    the paragraph's own rules."""
    return sum(len(line.strip()) >= UNWRAPPED_LINE for line in lines) >= 2


INNER_TITLE_WORDS = 8


def _inner_title(lines: list[str]) -> int | None:
    """A title line inside a paragraph, as text exported from a PDF gives it with no blank
    line around ("...so that you cannot\nlose your balance and fall.\nStanding Hamstring
    Stretch\nPut one heel up on a step..."): a short line with no sentence ending and no
    number, between a line that ends a sentence and one that starts a new one (not another
    title-like line: two such lines are fields or a caption). A line wrapped
    out of running prose ends a sentence or runs into the next line in lower case."""
    for k in range(1, len(lines) - 1):
        text = speakable(lines[k])
        following = lines[k + 1].strip()
        if (lines[k - 1].rstrip().endswith((".", "!", "?", ":")) and is_title_like(text)
                and len(text.split()) <= INNER_TITLE_WORDS and not re.search(r"\d", text)
                and not text.endswith(":") and not _FIELD.match(lines[k])
                and following[:1].isupper() and (not _short_title(following) or (
                    # A group's line over the first exercise's name line ("Hip replacement
                    # exercises", "Heel slides", then its text): both are title lines.
                    k + 2 < len(lines) and not re.search(r"\d", following)
                    and _starts_sentence(lines[k + 2])))):
            return k
    return None


def _starts_sentence(line: str) -> bool:
    text = line.strip()
    return text[:1].isupper() and not _short_title(text) and bool(re.search(r"[.!?]", text))


def _short_title(line: str) -> bool:
    """A line that reads as a title or a label, not as a wrapped line of prose."""
    text = speakable(line)
    return is_title_like(text) and len(text.split()) <= INNER_TITLE_WORDS and ". " not in text


_BOLD_IN_SENTENCE = re.compile(r"(?<=[^\W\d_][ '\u2019])(\*\*|__)([^*_\n]{2,60}?)\1")
"""Bold words inside a sentence, after a word: "Apro sempre con l'**inclinazione del collo**"."""
MIN_BOLD_NAMES = 3


def names_in_prose(text: str) -> bool:
    """Whether a text names its exercises in bold inside running sentences, again and again
    (a blog that tells its routine as a story): three or more such bold phrases of one to six
    words. Bold for emphasis ("practise **daily**") is rarer than that."""
    found = [m.group(2) for m in _BOLD_IN_SENTENCE.finditer(text)
             if 1 <= len(m.group(2).split()) <= 6 and not m.group(2).strip().endswith(":")]
    return len(found) >= MIN_BOLD_NAMES


def _named_in_prose(raw: str, bold_names: bool) -> list[Block] | None:
    """A paragraph cut at each sentence that names an exercise in bold: each part is a
    paragraph led by that name, and what comes before the first stays a plain paragraph."""
    if not bold_names or not _BOLD_IN_SENTENCE.search(raw):
        return None
    sentences = re.split(r"(?<=[.!?])\s+(?=\S)", raw.strip())
    parts: list[tuple[str, list[str]]] = [("", [])]
    for sentence in sentences:
        m = _BOLD_IN_SENTENCE.search(sentence)
        if m is not None and 1 <= len(m.group(2).split()) <= 6:
            parts.append((speakable(m.group(2)), [sentence]))
        else:
            parts[-1][1].append(sentence)
    blocks = [Block("paragraph", speakable(" ".join(text)), lead=lead)
              for lead, text in parts if text]
    return blocks


_BRACKETED = re.compile(r"\s*\([^()]{1,60}\)")


def _shouted_name(sentence: str) -> str | None:
    """The ALL-CAPS name a sentence starts with, with a bracket after it ("GEMELOS Y SÓLEO
    (15 segundos cada pierna)"), when ordinary prose follows it; None otherwise."""
    tokens = sentence.split(" ")
    n = 0
    while n < len(tokens) and tokens[n].isupper() and len(tokens[n]) <= 20:
        n += 1
    name = " ".join(tokens[:n])
    if n == 0 or sum(ch.isalpha() for ch in name) < 4 or not tokens[0].strip("-/&").isalpha():
        return None
    rest = " ".join(tokens[n:])
    bracket = _BRACKETED.match(rest)
    if bracket is not None:
        name, rest = f"{name} {bracket.group(0).strip()}", rest[bracket.end():].lstrip()
    first = rest.split(" ", 1)[0]
    return name if len(first) > 1 and first[0].isupper() and first[1:].islower() else None


def _cut_before_bracketed_caps(sentence: str) -> list[str]:
    """A sentence cut before an ALL-CAPS name with a bracket after it, where a flattened page
    lost the full stop between a title and the first exercise ("... Tema 4: la flexibilidad
    ESTIRAMIENTO DE GEMELOS (30 segundos) Apoya ...")."""
    tokens = sentence.split(" ")
    for i in range(1, len(tokens)):
        if tokens[i - 1].isupper() or not tokens[i].isupper():
            continue
        j = i
        while j < len(tokens) and tokens[j].isupper():
            j += 1
        # Two or more words in caps, then an order in ordinary case ("... twice a day QL
        # STRETCH Lie on your side ..."), are a name too: a PDF kept no full stop before it.
        spoken = j < len(tokens) and j - i >= 2 and all(
            t.isalpha() for t in tokens[i:j]) and re.fullmatch(r"[A-Z][a-z]+", tokens[j])
        if j < len(tokens) and (tokens[j].startswith("(") or spoken) and _shouted_name(
                " ".join(tokens[i:])) is not None:
            return [" ".join(tokens[:i]), *_cut_before_bracketed_caps(" ".join(tokens[i:]))]
    return [sentence]


def _shouted_in_prose(raw: str) -> list[Block] | None:
    """A paragraph run together from a handout whose exercises were ALL-CAPS headings ("...
    No hagas vaivenes. GEMELOS Y SÓLEO (15 segundos cada pierna) Para estirar ..."), as a
    flattened PDF or web page gives it: cut at each sentence that starts with such a name,
    three or more times. Caps for emphasis inside a sentence never start one."""
    sentences = [part for sentence in re.split(r"(?<=[.!?])\s+(?=\S)", raw.strip())
                 for part in _cut_before_bracketed_caps(sentence)]
    parts: list[tuple[str, list[str]]] = [("", [])]
    for sentence in sentences:
        name = _shouted_name(sentence)
        if name is not None:
            parts.append((name, [sentence]))
        else:
            parts[-1][1].append(sentence)
    if len(parts) - 1 < MIN_INLINE_ITEMS:
        return None
    return [Block("paragraph", " ".join(text), lead=lead) for lead, text in parts if text]


def _stretch_name(sentence: str, stretch_words: tuple[str, ...]) -> str | None:
    """The name a sentence of flattened text starts with, when it starts with a word for a
    stretch ("Dehnung der Wade Ferse fest am Boden lassen ...",
    "Estiramiento de los gemelos Colócate de pie ..."): that word, the small words after it,
    and, where the language writes its nouns with a capital, the one noun they lead to
    (a capital word followed by another: "Brust Ellenbogen", "Nacken Im Stand"). The text
    of the exercise starts at the next capital."""
    tokens = sentence.split(" ")
    if len(tokens) < 4 or tokens[0].lower() not in stretch_words:
        return None
    n = 1
    while n < len(tokens) and tokens[n][:1].islower():
        n += 1
    if n + 1 < len(tokens) and tokens[n][:1].isupper() and tokens[n + 1][:1].isupper() and (
            n > 1):
        n += 1  # German: "Dehnung der unteren Rückenstrecker | Im Vierfüßlerstand ..."
    if n >= len(tokens) or not tokens[n][:1].isupper() or n > RUN_NAME_WORDS:
        return None
    name = " ".join(tokens[:n])
    if re.search(r"[\d.,;:!?]", name) or (n > 1 and len(tokens[n - 1]) <= 3
                                          and tokens[n - 1].islower()):
        return None  # "Dehnung tut vor allem nach dem Laufen ...": a sentence
    return name


def _led_in_prose(raw: str, stretch_words: tuple[str, ...]) -> list[Block] | None:
    """A paragraph flattened from a handout whose exercises were title lines named by the
    same word for a stretch ("... Beachte: Bauch fest! Dehnung des Nacken Im Stand Kopf bzw.
    Ohr seitlich ..."), as a document site's text of a PDF gives it: cut at each sentence that
    starts with such a name, three or more times with the same word."""
    sentences = re.split(r"(?<=[.!?])\s+(?=\S)", raw.strip())
    names = [_stretch_name(sentence, stretch_words) for sentence in sentences]
    starts = [n.split(" ", 1)[0].lower() for n in names if n]
    if not starts or max(starts.count(w) for w in starts) < MIN_INLINE_ITEMS:
        return None
    parts: list[tuple[str, list[str]]] = [("", [])]
    for sentence, name in zip(sentences, names, strict=True):
        if name is not None:
            parts.append((name, [sentence]))
        else:
            parts[-1][1].append(sentence)
    return [Block("paragraph", " ".join(text), lead=lead) for lead, text in parts if text]


_INLINE_MARK = re.compile(r"(?:^|(?<=[.;:!?])\s+)(\d{1,2})([.)])\s+(?=[^\W\d_])")
"""A list marker inside a paragraph, at its start or after a sentence: "... 2) Pecho: ..."."""
MIN_INLINE_ITEMS = 3


def _inline_items(text: str) -> tuple[str, list[_Item]] | None:
    """A numbered list run into one paragraph, as a blog or a flattened web page writes it
    ("1) Cuello: ... 20 s. 2) Pecho y hombros: ... 3) ..."): its items, and the text before
    them. Only a run numbered 1, 2, 3 ... with one kind of marker, each starting a sentence
    with a capital, counts: a number inside a sentence never starts an item."""
    marks = [m for m in _INLINE_MARK.finditer(text) if text[m.end()].isupper()]
    run: list[re.Match[str]] = []
    for m in marks:
        if not run and m.group(1) == "1":
            run = [m]
        elif run and int(m.group(1)) == len(run) + 1 and m.group(2) == run[0].group(2):
            run.append(m)
    if len(run) < MIN_INLINE_ITEMS:
        return None
    items = []
    for n, m in enumerate(run):
        end = run[n + 1].start() if n + 1 < len(run) else len(text)
        items.append(_Item(m.group(2), n + 1, text[m.end() : end].strip()))
    return text[: run[0].start()].strip(), items


_FIELD = re.compile(r"^\s*(?:\*\*|__)?[^\W\d_][^:.!?]{0,30}:(?:\*\*|__)?\s+\S")
"""A field of an exercise on its own line: "Purpose: opens the hips", "Dauer: 2 x 20 s"."""


def _starts_line_block(line: str) -> bool:
    """A line that is a block of its own even without a blank line before it: a field, or a
    line led by bold words ("**Pyramid** — 45s/side")."""
    return bool(_FIELD.match(line) or re.match(r"\s*(\*\*|__)[^*_]+\1\s*\S", line))


def _field_blocks(lines: list[str]) -> list[Block]:
    """Lines of fields ("Purpose: ...", "Sets: 3", "Cues: ...") or bold-led lines, each its own
    paragraph; a line that is neither continues the one before it."""
    groups: list[list[str]] = []
    for line in lines:
        if _starts_line_block(line) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    blocks: list[Block] = []
    for group in groups:
        lead, _ = bold_lead(group[0])
        blocks.append(Block("paragraph", speakable(" ".join(group)), lead=lead))
    return blocks


def _single_line(raw: str) -> Block:
    text = speakable(raw)
    lead, whole_bold = bold_lead(raw)
    if whole_bold or is_title_like(text):
        return Block("heading", text, level=TEXT_HEADING, lead=lead, raw_bold=whole_bold)
    return Block("paragraph", text, lead=lead)
