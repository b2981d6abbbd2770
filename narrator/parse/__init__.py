"""Text -> Routine: read a stretching routine written as an ordinary article.

The parser runs small passes in order, each taking the previous one's result:

1. clean      characters: BOM, line ends, emoji (`blocks.clean_characters`)
2. blocks     cut the text into headings, paragraphs, list items, table rows; HTML is
              first turned into the same Markdown-like text (`html.py`, `blocks.py`)
3. noise      drop bylines, dates, captions, keyword lines, page numbers (`noise.py`)
4. sections   find which blocks start an exercise and which belong to it (`sections.py`)
5. timing     read durations, sides and repetitions from the words (`timing.py`)
6. build      expand each exercise into holds, with notes on every guess (`build.py`)

Our own TOML format skips all of that (`toml_format.py`). Every word the passes look
for lives in `narrator/lang/<language>.toml`.

Choices, all in `ParseOptions`: a range ("20-30 seconds") takes its upper bound, a
breath is 5 s, a count 1 s, a rep 3 s; an exercise that says nothing gets the
routine's rule, else 30 s.

A plan split into days ("Day 1: Lower body", "Day 2: Upper body") is read as one routine:
every day's exercises, in the order written (tests/cases/day-plan.md). A "Sets: 2, Reps: 10,
Hold: 3 s" exercise is 2 x 10 holds of 3 s (capped at 20); "1:30, switch halfway" is 45 s a side.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from narrator.cache import content_key, drop_entry, entry_path, read_entry, write_entry
from narrator.errors import SourceError
from narrator.model import Routine
from narrator.options import ParseOptions
from narrator.parse.html import html_to_markdown, looks_like_html
from narrator.parse.toml_format import looks_like_toml, routine_from_toml, routine_to_toml

if TYPE_CHECKING:
    from narrator.parse import lang

__all__ = ["FORMATS", "ParseOptions", "load_routine", "parse_text", "routine_to_toml"]

FORMATS = ("text", "markdown", "html", "toml")
BUILT_IN = "built-in"
NO_EXERCISE = (
    "no exercise found: expected numbered or headed stretches with hold times "
    "(e.g. '1. Child's pose ... hold 30 seconds')"
)
MAX_PAGE = 40_000_000
"""Characters of a saved web page (scripts and markup included) the parser will read."""
MAX_TEXT = 500_000
"""Characters of readable text: a long article is 50,000; more is not one routine, and the
parser's time grows with it (about 15 s for this many)."""
_EXTENSIONS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".txt": "text", ".text": "text",
    ".toml": "toml",
}


def sniff_format(text: str) -> str:
    if looks_like_toml(text):
        return "toml"
    if looks_like_html(text):
        return "html"
    return "markdown"


def _lexicon(text: str, options: ParseOptions, source: str) -> lang.Lexicon:
    from narrator.parse import lang

    if options.language in ("auto", ""):
        return lang.detect(text)
    try:
        return lang.load(options.language)
    except KeyError:
        known = ", ".join(lang.available())
        raise SourceError(f"no word data for language {options.language!r} (known: {known})",
                          path=source or None) from None


def parse_text(text: str, *, source: str = "", fmt: str | None = None,
               options: ParseOptions = ParseOptions()) -> Routine:
    """Read a routine from text; SourceError if the text holds no exercise."""
    fmt = fmt or sniff_format(text)
    if fmt not in FORMATS:
        raise SourceError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}",
                          path=source or None)
    if fmt == "toml":
        # TOML keeps every character it escapes: cleaning would break the round trip.
        return routine_from_toml(text.removeprefix("\ufeff"), source)
    _check_size(text, MAX_PAGE if fmt == "html" else MAX_TEXT, source)
    # Reading free text is the slow part of a rebuild (hundreds of patterns to compile), and
    # its result depends only on these inputs and the parser itself.
    key = content_key(_parser_fingerprint(), text, source, fmt, asdict(options))
    entry = entry_path("routines", key, ".toml")
    stored = read_entry(entry, key)  # checked against its key and digest
    if stored is not None:
        with contextlib.suppress(UnicodeDecodeError, SourceError):
            return routine_from_toml(stored.decode("utf-8"), source)
        drop_entry(entry)
    routine = _parse_free_text(text, source, fmt, options)
    write_entry(entry, routine_to_toml(routine).encode(), key)
    return routine


@cache
def _parser_fingerprint() -> str:
    """A digest of the parser's code and word data: any change to them is a new parser."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted([*root.glob("parse/*.py"), *root.glob("lang/*.toml")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _parse_free_text(text: str, source: str, fmt: str, options: ParseOptions) -> Routine:
    # Imported here: a rebuild served from the cache never needs the free-text passes.
    from narrator.parse.blocks import clean_characters, read_text
    from narrator.parse.build import build_routine
    from narrator.parse.confidence import (
        NO_BODY,
        as_lone_exercise,
        as_one_exercise,
        as_steps_of_one,
        as_steps_under_heading,
        as_whole_page,
        labels_only,
        missing,
        named_by_title,
        not_one_exercise,
    )
    from narrator.parse.noise import embedded_posts, is_noise_block, leads_to_links, menu_echoes
    from narrator.parse.prose import as_prose
    from narrator.parse.sections import find_layout

    text = clean_characters(text)
    page_title = ""
    if fmt == "html":
        text, page_title = html_to_markdown(text)
        _check_size(text, MAX_TEXT, source)
    lex = _lexicon(text, options, source)
    all_blocks = read_text(text, lex.step_words, name_labels(lex), step_numbers(lex),
                           stretch_words(lex), tuple(lex.ordinals.items()))
    posts = embedded_posts(all_blocks) | menu_echoes(all_blocks)
    blocks = [b for n, b in enumerate(all_blocks) if n not in posts and (
        not is_noise_block(b, lex) or leads_to_links(all_blocks, n, lex))]
    found = find_layout(blocks, lex)
    # Exercises named in running paragraphs, when the page has no list to read or its
    # list reading is refused or one exercise: two or more, each named and mostly timed.
    # A list read from paragraphs alone ("Commencez par l'étirement des mollets : ...")
    # that finds fewer exercises than the prose names gives way to it too.
    prose = as_prose(blocks, lex)
    if prose is not None and (
            found is None or len(found.sections) == 1 or missing(found, lex) is not None
            or (len(found.sections) < len(prose[1].sections)
                and all(blocks[s.start].kind == "paragraph" for s in found.sections))):
        prose_blocks, prose_layout = prose
        if missing(prose_layout, lex) is None:
            return build_routine(prose_blocks, all_blocks, prose_layout, lex, options,
                                 source=source, page_title=page_title,
                                 fallback_title=_title_from(source, lex))
    if found is None:
        # No list at all; but a page of running text may still be one exercise to do.
        lone = as_lone_exercise(blocks, None, page_title, lex)
        if lone is None:
            lacks = not_one_exercise("\n".join(b.text for b in blocks), lex)
            # Said only of a text about the body: "Just some words" need no lesson.
            also = f"; read as one exercise, the text {lacks}" if lacks not in ("", NO_BODY) else ""
            raise SourceError(NO_EXERCISE + also, path=source or None)
        found = lone
    layout = named_by_title(found, page_title, lex)
    lacking = missing(layout, lex)
    if lacking is not None or labels_only(blocks, layout, lex):
        # An exercise's own page cut into facets ("Technique", "Muscles") under its title.
        whole = as_one_exercise(blocks, layout, lex)
        if whole is not None and missing(whole, lex) is None:
            layout, lacking = whole, None
    if lacking is not None:
        # The list read is no routine, yet its one part may plainly be one exercise.
        lone = as_lone_exercise(blocks, layout, page_title, lex)
        if lone is not None:
            layout, lacking = lone, None
    if lacking is not None:
        # The list read is no routine because its parts are one exercise's steps.
        steps = as_steps_under_heading(blocks, lex)
        if steps is not None and missing(steps, lex) is None:
            layout, lacking = steps, None
    if lacking is not None:
        # The list read is no routine, but the whole page is one exercise to do under a
        # title that names it: a pose's page cut by its sub-headings ("Common mistakes",
        # "Variations") or by lines that read as parts.
        page = as_whole_page(blocks, page_title, lex)
        if page is not None:
            layout, lacking = page, None
    if lacking is None:
        # A list of orders under a heading that names one stretch is that stretch's steps.
        steps = as_steps_of_one(blocks, layout, lex)
        if steps is not None and missing(steps, lex) is None:
            layout = steps
    if lacking is not None:
        raise SourceError(lacking, path=source or None)
    return build_routine(blocks, all_blocks, layout, lex, options, source=source,
                         page_title=page_title, fallback_title=_title_from(source, lex))


def name_labels(lex: lang.Lexicon) -> tuple[str, ...]:
    """The words of a field that gives an exercise's name ("Exercise: Calf stretch", "Übung:
    Wadendehnung"): step words that the language also uses for a routine's parts, so
    "Position: lying" is not one."""
    return tuple(w for w in lex.step_words if len(w) >= 4 and any(
        t.startswith(w) or w.startswith(t) for t in lex.title_words if len(t) >= 4))


def stretch_words(lex: lang.Lexicon) -> tuple[str, ...]:
    """The language's words for a stretch itself ("dehnung", "estiramiento"): the words that
    name both an exercise and a routine."""
    return tuple(w for w in lex.vocabulary if w in lex.title_words)


def step_numbers(lex: lang.Lexicon) -> tuple[tuple[str, int], ...]:
    """The language's number words from one to twenty, for "Übung eins." labels."""
    return tuple((w, int(v)) for w, v in lex.numbers.items()
                 if v == int(v) and 1 <= v <= 20 and w.isalpha())


def _check_size(text: str, limit: int, source: str) -> None:
    if len(text) > limit:
        raise SourceError(
            f"the text is too long ({len(text):,} characters; at most {limit:,}): expected "
            "one stretching routine, not a whole book or site",
            path=source or None)


def _title_from(source: str, lex: lang.Lexicon) -> str:
    if source and source not in ("-", BUILT_IN):
        stem = Path(source).stem.replace("_", " ").replace("-", " ").strip()
        if stem:
            return stem[:1].upper() + stem[1:]
    return lex.untitled


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192]:
        raise SourceError("not a text file: expected a routine as UTF-8 text, Markdown, HTML "
                          "or TOML", path=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Saved web pages are sometimes Windows-1252; such text is still readable.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError("cannot decode the file: expected UTF-8 text", path=source) from None
        if sum(ch.isprintable() or ch.isspace() for ch in text) < 0.95 * len(text):
            raise SourceError("cannot decode the file: expected UTF-8 text", path=source) from None
        return text


def load_routine(source: str | None, options: ParseOptions = ParseOptions()) -> Routine:
    """Read a routine from a file, from stdin ("-"), or the built-in one (None)."""
    fmt: str | None = None
    if source is None:
        data = resources.files("narrator").joinpath("routines/seven-stretches.md").read_bytes()
        name, fmt = BUILT_IN, "markdown"
    elif source == "-":
        # At most the limit and one byte: endless input is refused, not read until memory ends.
        data, name = sys.stdin.buffer.read(MAX_PAGE + 1), "-"
        if len(data) > MAX_PAGE:
            raise SourceError(f"the input is too large (over {MAX_PAGE:,} bytes): expected "
                              "one stretching routine", path=name)
    else:
        from narrator.files import read_limited

        name = source
        path = Path(source)
        data = read_limited(path, MAX_PAGE, error=SourceError,
                            what="a routine file (.txt, .md, .html or .toml)")
        fmt = _EXTENSIONS.get(path.suffix.lower())
    text = _decode(data, name)
    if not text.strip(" \t\r\n\ufeff"):
        raise SourceError("the file is empty: expected a stretching routine", path=name)
    if fmt in ("text", "markdown") and (looks_like_html(text) or looks_like_toml(text)):
        fmt = None  # a web page saved as .txt is still a web page
    return parse_text(text, source=name, fmt=fmt, options=options)
