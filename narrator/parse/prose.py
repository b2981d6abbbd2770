"""Exercises named inside running prose: "I start with a standing quad stretch, holding each
leg for 30 seconds. Then I do a forward fold and hang there for a minute ...", "Un autre
exercice efficace est l'étirement des quadriceps ... pendant 30 secondes."

Blogs, news pieces and club pages often give a routine as paragraphs with no list, no
numbers and no headings: each exercise is named in the sentence that brings it in, and its
dose and steps follow in the next sentences. The list reader finds no repeated form there
and reads the page as one exercise at most. This reader cuts the text at each sentence that
names a stretch by a name of its own ("standing quad stretch", "étirement des quadriceps",
"Wadendehnung"), and keeps the cut only when it gives two or more exercises, most of them
with their own time or count.
"""

from __future__ import annotations

import re
from functools import cache

from narrator.parse import lang
from narrator.parse.blocks import TEXT_HEADING, Block
from narrator.parse.confidence import _sentences
from narrator.parse.lang import alternation, phrase_regex
from narrator.parse.sections import Layout, Section
from narrator.parse.timing import read_timing

MIN_EXERCISES = 2
MODIFIER_WORDS = 3
"""Words before an English head, or after a Romance head's link, that may still be the name:
"standing quad stretch", "étirement des ischio-jambiers"."""


@cache
def _body_words(lex: lang.Lexicon) -> frozenset[str]:
    heads = {h.lower() for h in lex.prose_heads}
    words = {w.lower() for w in (*lex.vocabulary, *lex.body_words)}
    return frozenset(words - heads)


@cache
def _head_pattern(lex: lang.Lexicon) -> re.Pattern[str]:
    heads = alternation(lex.prose_heads)
    if lex.prose_links:
        return re.compile(rf"(?<!\w)(?P<head>{heads})(?!\w)", re.IGNORECASE)
    # English: up to three words before the head; German: a compound ending on it.
    return re.compile(
        rf"(?P<before>(?:[^\W\d_][\w'\u2019-]*\s+){{0,{MODIFIER_WORDS}}})(?P<head>{heads})"
        rf"(?!\w)|(?<![\w-])(?P<compound>[^\W\d_]{{3,}}(?:{heads}))(?!\w)", re.IGNORECASE)


@cache
def _link_pattern(lex: lang.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{alternation(lex.prose_links)})(?:(?<=['\u2019])|\s+)",
                      re.IGNORECASE)


def prose_name(sentence: str, lex: lang.Lexicon) -> str:
    """The exercise a sentence of running text brings in by a name of its own, or "": "a
    standing quad stretch" in "I start with a standing quad stretch, holding ...",
    "étirement des quadriceps" in "... est l'étirement des quadriceps, également appelé".
    A head alone ("the stretch", "cette position") or with words that name no body part or
    pose ("a deeper stretch") names nothing; neither does a plural ("these stretches")."""
    if not lex.prose_heads or sentence.rstrip().endswith("?"):
        return ""
    body = _body_words(lex)
    links = {w.lower() for w in lex.prose_links if " " not in w and "'" not in w}
    for m in _head_pattern(lex).finditer(sentence):
        if m.groupdict().get("compound"):
            compound = m.group("compound")
            head = next(h for h in lex.prose_heads if compound.lower().endswith(h.lower()))
            if compound[:1].isupper() and len(compound) >= len(head) + 3:
                return compound
            continue
        if lex.prose_links:
            link = _link_pattern(lex).match(sentence, m.end())
            if link is None:
                continue
            tail = re.split(r"[,.;:!?()\[\]\d]", sentence[link.end():])[0]
            kept: list[str] = []
            for w in tail.split()[:MODIFIER_WORDS]:
                if w.lower() not in body and w.lower() not in links:
                    break
                kept.append(w)
            while kept and kept[-1].lower() not in body:
                kept.pop()
            if kept:
                return (sentence[m.start():link.end()] + " ".join(kept)).strip()
            continue
        modifiers: list[str] = []
        for w in reversed(m.group("before").split()):
            low = re.sub(r"['\u2019]s$", "", w.lower())  # "child's pose"
            if low not in body and low not in lex.prose_modifiers:
                break
            modifiers.insert(0, w)
        if any(w.lower() in body for w in modifiers) or (
                modifiers and m.group("head").lower() != "stretch"):
            return " ".join([*modifiers, m.group("head")])
    return ""


def as_title(name: str) -> str:
    """A name found in running text, as a chapter's title: its first letter capitalised
    ("étirement des mollets" -> "Étirement des mollets")."""
    return name[:1].upper() + name[1:]


def as_prose(blocks: list[Block], lex: lang.Lexicon) -> tuple[list[Block], Layout] | None:
    """The page's paragraphs cut into the exercises their sentences name, as blocks of their
    own (a heading with the name, a paragraph with the sentences) after the page's own
    blocks before the first, and a layout of them; None unless two or more exercises are
    named and most of them carry a time or a count of their own. A page with lists or
    tables is the list reader's; a heading after the first exercise ends the prose."""
    if any(b.kind in ("item", "row") for b in blocks):
        return None
    before: list[Block] = []
    found: list[tuple[str, list[str]]] = []
    rounds: list[str] = []
    for block in blocks:
        if block.kind != "paragraph":
            if found:
                break
            before.append(block)
            continue
        intro: list[str] = []
        for sentence in _sentences(block.text):
            name = prose_name(sentence, lex)
            # A stretch named again ("la posición de la cobra", later "la postura de la
            # cobra") is mentioned, not brought in anew.
            if found and _rounds_of_all(sentence, lex):
                rounds.append(sentence)  # "Continue fazendo essa sequência 4-5 vezes."
            elif name and not any(_same(name, n, lex) for n, _ in found):
                found.append((name, [sentence]))
            elif found:
                if name and _same(name, found[-1][0], lex) and _opens_with(sentence, name):
                    # "A postura da cobra é uma posição de ioga ...": the sentence that is
                    # about it gives its name, over a mention in passing before.
                    found[-1] = (name, found[-1][1])
                found[-1][1].append(sentence)
            else:
                intro.append(sentence)
        if intro:
            before.append(Block("paragraph", " ".join(intro)))
    if len(found) < MIN_EXERCISES:
        return None
    dosed = sum(read_timing(" ".join(text), lex).main_duration is not None
                for _, text in found)
    if dosed * 3 < 2 * len(found):
        return None
    out = list(before)
    sections: list[Section] = []
    for found_name, text in found:
        name = as_title(found_name)
        start = len(out)
        out.append(Block("heading", name, level=TEXT_HEADING))
        out.append(Block("paragraph", " ".join(text)))
        sections.append(Section(name, "", (out[-1],), start, start + 2))
    after = (Block("paragraph", " ".join(rounds)),) if rounds else ()
    return [*out, *after], Layout(before=tuple(before), sections=tuple(sections), after=after)


def _opens_with(sentence: str, name: str) -> bool:
    """The sentence starts with the name, after an article at most ("A postura da cobra é
    ...", "L'étirement des mollets se fait ..."): it is about that stretch."""
    rest = re.sub(r"^\W*(?:[^\W\d_]{1,3}['\u2019]|[^\W\d_]{1,3}\s+)?", "", sentence.lower())
    return rest.startswith(name.lower())


def _rounds_of_all(sentence: str, lex: lang.Lexicon) -> bool:
    """The sentence counts rounds of the whole sequence ("Repeat the whole sequence 3
    times", "Continue fazendo essa sequência 4-5 vezes"): the list's, not the last one's."""
    return bool(lex.whole_list and phrase_regex(lex.whole_list).search(sentence)
                and read_timing(sentence, lex).times)


def _same(a: str, b: str, lex: lang.Lexicon) -> bool:
    """Two names of one stretch: the same words, or the same body and pose words
    ("posição de cobra", "postura da cobra")."""
    if a.lower() == b.lower():
        return True
    body = _body_words(lex)
    words_a = {w for w in re.findall(r"[^\W\d_]+", a.lower()) if w in body}
    words_b = {w for w in re.findall(r"[^\W\d_]+", b.lower()) if w in body}
    return bool(words_a) and words_a == words_b
