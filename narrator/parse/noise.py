"""Telling page furniture from routine: bylines, captions, keyword lines, ads, outros.

Each test looks at one block or sentence and answers yes or no; the words come from
the language data.
"""

from __future__ import annotations

import re
from functools import cache

from narrator.parse.blocks import MONTH_YEAR, Block, is_file_names, is_title_like
from narrator.parse.lang import Lexicon, word_set


def _starts_with(text: str, phrases: tuple[str, ...]) -> bool:
    low = text.lower().lstrip(" \"'\u201c\u2018(*#-\u2013\u2014•")
    for phrase in phrases:
        if low.startswith(phrase):
            rest = low[len(phrase) : len(phrase) + 1]
            if not rest or not (rest.isalnum() and phrase[-1:].isalnum()):
                return True
    return False


def normalise(text: str) -> str:
    """Lower-case words only, for comparing a caption with a heading."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


_LAST_OF_A_SERIES = frozenset({"and", "&", "und", "y", "e", "et", "i"})
"""Words that join the last of a series in a sentence, as a list of search keywords never
does."""


def is_keyword_list(text: str) -> bool:
    """A line of search keywords under a picture: "back pain stretches, exercises for ..."."""
    stripped = text.strip()
    if "," not in stripped or stripped.endswith((".", "!", "?", ":")):
        return False
    if re.search(r"[^\W\d_]{2}[.!?]\s", stripped):
        return False  # a sentence ends inside: steps with their dose ("heel down. 30s each leg")
    items = [i.strip() for i in stripped.split(",") if i.strip()]
    if len(items) < 2 or any(len(i.split()) > 6 for i in items):
        return False
    if set(items[-1].lower().split()) & _LAST_OF_A_SERIES:
        return False  # "Estiramiento de torso, brazos, muñecas y manos": a name's series
    starts_lower = stripped[:1].islower()
    lower_items = sum(1 for i in items if i[:1].islower())
    return starts_lower or (len(items) >= 3 and lower_items >= len(items) - 1)


_META_SEPARATOR = re.compile(r"\s+[\u00b7|\u2022]\s+")
"""The dot or bar a page's header sets between its byline, date and reading time."""
_PAGE = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE)


def is_figure_reference(text: str, lex: Lexicon) -> bool:
    """"Figure 2", "Fig. 3a", "(see image)", "Image 4 of 7"."""
    words = _alt((*lex.figure_words, *lex.figure_hints))
    reference = rf"[(\[]?\s*(?:(?:{words})\.?\s*)+(?:\d+[a-z]?|[a-z])?\s*[)\]]?[.:]?"
    if re.fullmatch(reference, text.strip(), flags=re.IGNORECASE):
        return True
    words = _alt(lex.figure_words)
    return bool(re.match(rf"^(?:{words})\.?\s*\d+[a-z]?\b", text.strip(), flags=re.IGNORECASE))


def _figure_four(text: str, lex: Lexicon) -> bool:
    """The pose named for the shape the legs make ("Figure 4 stretch", "Figura 4 da
    sdraiati"), not the fourth figure's caption ("Figure 4: ...", "Foto 4 di 5", "Figure 4
    Seated hamstring stretch"): a short name whose next word is lower case or a stretch."""
    m = re.match(r"(?i:figur[ea])[\s-]*4[\s-]+([^\W\d_][\w'\u2019-]*)(.*)", text.strip())
    if m is None or len(text.split()) > 6 or re.search(r"\d", m[2]):
        return False
    word = m[1].lower()
    return m[1][:1].islower() or (word in lex.vocabulary and word in lex.title_words)


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words) or "(?!x)x"


def strip_figure_references(text: str, lex: Lexicon) -> str:
    """Remove "(see image)", "(Figure 2)", "(pictured)" from inside a sentence."""
    words = _alt((*lex.figure_words, *lex.figure_hints))
    reference = rf"\s*\((?:\s*(?:{words})\b\.?)+\s*(?:\d+[a-z]?|[a-z])?\s*\)"
    return re.sub(reference, "", text, flags=re.IGNORECASE)


_STAFF = r"(?i:r[eé]daction|redacci[oó]n|redazione|reda[cç][aã]o|redaktion|the editors|staff)"


def author_of(block: Block, lex: Lexicon) -> str | None:
    """"By Jane Doe" -> "Jane Doe"; "Par la Rédaction" -> "la Rédaction"."""
    byline, articles = _alt(lex.byline), _alt(lex.articles)
    # The byline's word in any case; the name's words capitalised, as names are.
    # Or the paper's own staff, in small letters ("Par la rédaction", "Von der Redaktion").
    m = re.fullmatch(rf"(?i:{byline})[:\s]+((?:(?i:{articles})\s+)?(?:[^\W\d_a-z][\w.'\u2019-]*"
                     r"(?:\s+[^\W\d_a-z][\w.'\u2019-]*){0,3}|" + _STAFF + r"))"
                     r"(?:\s*[,|\u2013\u2014-].*)?", block.text.strip())
    return m.group(1) if m else None


def is_noise_block(block: Block, lex: Lexicon) -> bool:
    """A block that is never part of the routine: bylines, dates, captions, page numbers."""
    text = block.text.strip()
    parts = _META_SEPARATOR.split(text) if block.kind != "row" else [text]
    if len(parts) > 1 and all(is_noise_block(Block("paragraph", part), lex) for part in parts):
        return True  # "Par la rédaction · Publié le 14 mars 2022 à 07:00": furniture twice
    if not text or (not re.search(r"[^\W\d_]", text) and not block.cells):
        return True
    if block.kind == "row" or _figure_four(text, lex):
        return False
    if _PAGE.match(text) or is_figure_reference(text, lex) or _is_media_placeholder(text, lex):
        return True
    if block.kind != "item" and not block.lead and is_keyword_list(text):
        return True
    if author_of(block, lex) is not None or is_date_line(text) or is_breadcrumb(text):
        return True
    if block.kind != "item" and _is_menu(text, lex):
        return True
    if block.kind != "item" and _is_meta_line(text):
        return True
    if _HANDLE.fullmatch(block.lead.strip()) or _POST_HEAD.match(text):
        return True  # a forum comment under its poster's handle: a reader's words
    if is_credit_token(text, lex) or is_file_names(text) or _credited_caption(block, lex):
        return True
    return _starts_with(text, lex.line_starts) and (len(text.split()) <= 25 or ":" in text[:30])


def _credited_caption(block: Block, lex: Lexicon) -> bool:
    """A picture's caption that closes with its credit in brackets ("Postura da águia (Foto:
    Pri Leite)", "Seated twist (Photo: J. Doe)"): it repeats a name under the picture."""
    return block.kind != "item" and len(block.text.split()) <= 14 and bool(
        _credit_in_brackets(lex).search(block.text))


@cache
def _credit_in_brackets(lex: Lexicon) -> re.Pattern[str]:
    # Built once a language: every block of every page is tested against it.
    words = _alt((*lex.figure_words, "credit", "credits", "crédit", "crédito", "credito"))
    return re.compile(rf"\((?i:{words})\s*:[^()]{{1,40}}\)\s*$")


_EMBED_START = re.compile(
    r"(?:view this post on instagram|ver esta publicaci[oó]n en instagram|diesen beitrag auf "
    r"instagram ansehen|voir cette publication sur instagram|visualizza questo post su "
    r"instagram|ver (?:esta|essa) (?:publica[cç][aã]o|foto) no instagram)\.?", re.IGNORECASE)
_EMBED_END = re.compile(
    r"(?:a post shared by|una publicaci[oó]n compartida (?:de|por)|ein beitrag geteilt von|"
    r"une publication partag[eé]e par|un post condiviso da|uma publica[cç][aã]o "
    r"compartilhada por)\b", re.IGNORECASE)
EMBED_LINES = 4
"""Lines a copied post's caption may take between its embed's first and last line."""


def embedded_posts(blocks: list[Block]) -> set[int]:
    """The blocks of social posts copied with the page ("View this post on Instagram", the
    post's own caption, "A post shared by ... (@handle) on"): someone else's words, never
    the routine's, though the caption may name a stretch."""
    found: set[int] = set()
    for start, block in enumerate(blocks):
        if not _EMBED_START.fullmatch(block.text.strip()):
            continue
        for end in range(start + 1, min(len(blocks), start + EMBED_LINES + 2)):
            if _EMBED_END.match(blocks[end].text.strip()):
                found.update(range(start, end + 1))
                break
        else:
            found.add(start)
    return found


MENU_ITEMS = 3
"""Items at the least in a line of a site's menu."""
PROSE_WORDS = 8
"""Words in a block, at the least, for it to be the article's running text."""


def is_menu_line(block: Block) -> bool:
    """A line of a site's menu, its bars read as commas ("Style, Home, Wellness, About"):
    three short items or more, and no sentence."""
    text = block.text.strip()
    return block.kind == "paragraph" and not re.search(r"[.!?:]", text) and _menu_items(
        [p.strip() for p in text.split(",")])


def menu_echoes(blocks: list[Block]) -> set[int]:
    """Short headings that repeat an item of the site's menu above them ("Destinations,
    Bien-être, Carnets de voyage" over "Bien-être"): the section the page sits in, shown
    over its title, never an exercise."""
    items: set[str] = set()
    found: set[int] = set()
    for n, block in enumerate(blocks):
        text = block.text.strip()
        if is_menu_line(block):
            items |= {p.strip().lower() for p in text.split(",")}
        elif block.kind == "heading" and len(text.split()) <= 3 and text.lower() in items:
            found.add(n)
        elif block.kind != "heading" and len(text.split()) >= PROSE_WORDS:
            break  # the article has begun: a heading now is its own
    return found


def _is_media_placeholder(text: str, lex: Lexicon) -> bool:
    """A copied page's note of a picture or film in brackets, perhaps with the film's length
    after it ("[video player: Hamstring Stretch - JumpStart PT] 1:12", "[image: a woman in
    child's pose]"): it shows the exercise, it says nothing to do, and its clock is no hold."""
    words = _alt(lex.figure_words)
    return bool(re.fullmatch(rf"\[\s*(?:{words})\w*\b[^\]]*\]\s*(?:\d{{1,2}}:[0-5]\d)?", text,
                             flags=re.IGNORECASE))


_CREDIT = re.compile(r"[A-Z\u00c0-\u00de]{2,5}")


def is_credit_token(text: str, lex: Lexicon) -> bool:
    """A line that is one short capitalised acronym, as a broadcaster's or agency's credit
    under a picture ("ORF", "SRF", "AFP", "dpa" written "DPA"): never a name, as no stretch
    or body word is one."""
    word = text.lower()
    # "QUADS", "HIPS", "LATS": a team sheet's muscle heading, the plural of a body word.
    body_word = any(len(w) >= 3 and word.startswith(w) for w in lex.vocabulary)
    return bool(_CREDIT.fullmatch(text)) and not body_word and (
        word not in lex.title_words)


_DATE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?"
    r"|[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+)(?:19|20)\d{2}\b"
    r"|\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d{2}\b"
    r"|\b(?:19|20)\d{2}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")
"""A calendar date: "July 09, 2013", "9 July 2013", "12 de febrero de 2024", "09.07.2013",
"2012-07-06T10:17:40Z"."""


def is_date_line(text: str) -> bool:
    """A line that is a date with at most two words beside it ("Updated July 09, 2013",
    "Aktualisiert am 3. Mai 2022"), or dates each with its time of day ("21/03/2021 06:00 ·
    atualizado 21/03/2021 07:12"): page furniture, in any language."""
    if _DATE.search(text) is None:
        return False
    rest = _TIME_OF_DAY.sub(" ", _DATE.sub(" ", text)).strip(" \t.,:;|\u00b7-\u2013\u2014")
    return not re.search(r"\d", rest) and len(rest.split()) <= 2


_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:h]\d{2}(?:\s*(?:am|pm|uhr))?\b", re.IGNORECASE)
"""A clock beside a date: when the page was posted, never a hold."""


_CRUMB = re.compile(r"\s(?:\u203a|>|\u00bb)\s")


_HANDLE = re.compile(r"(?:[ru]/[\w-]{2,}|@[\w.]{2,})")
"""A forum or social-media handle: "u/stiff_as_a_board_42", "r/flexibility", "@coach.maya"."""
_POST_FACT = re.compile(
    r"\d[\d,.]*\s*(?:points?|likes?|upvotes?|votes?|replies|comments?)"
    r"|\d+\s*(?:[smhdwy]|mins?|hours?|days?|weeks?|months?|years?|yrs?)(?:\s+ago)?"
    r"|posted\s+by\b.*", re.IGNORECASE)
"""A post's own facts: its score ("412 points"), its age ("3y", "2 days ago"), its poster."""
_POST_HEAD = re.compile(rf"{_HANDLE.pattern}\s+\u00b7\s+(?:{_POST_FACT.pattern})(?:\s|$)",
                        re.IGNORECASE)
"""A comment's first words: its poster and score or age ("u/throwaway_hammies · 97 points")."""


def _is_meta_line(text: str) -> bool:
    """An article's line of facts about itself, one of them a date ("Por Inês Tavares | 22
    Ago 2023 · Leitura: 3 min", "Par N. Belkacem · Mis à jour le 08/01/2025 · 5 min"), or a
    forum post's header: a handle with its score or age ("u/yogi_bear_irl · 412 points",
    "r/flexibility · Posted by u/someone · 3y")."""
    parts = [p.strip() for p in re.split(r"\s[|\u00b7\u2022]\s", text) if p.strip()]
    if _HANDLE.fullmatch(text.strip()):
        return True
    if 2 <= len(parts) <= 5 and _HANDLE.fullmatch(parts[0]) and all(
            _POST_FACT.fullmatch(p) or _HANDLE.fullmatch(p) for p in parts[1:]):
        return True
    return 2 <= len(parts) <= 5 and len(text.split()) <= 20 and any(
        (_DATE.search(p) and len(p.split()) <= 6) or MONTH_YEAR.fullmatch(p) for p in parts)



def is_breadcrumb(text: str) -> bool:
    """A page's trail of sections ("Santé > Forme & sport", "VIVA · ESTILO > BELEZA"): short
    parts joined by a single angle quotation mark, a closing guillemet or ">", and no
    sentence in it."""
    if re.fullmatch(r"[^\W\d_]+(?:\s[-\u2013]){2,}(?:(?:\s[^\W\d_]+){1,3}\s[-\u2013])?",
                    text.strip()):
        return True  # "Auszeit - - Fundsachen -": an e-paper's section trail, a level unnamed
    if "\u00ab" in text or not _CRUMB.search(text) or re.search(r"[.!?:;]\s", text + " "):
        return False
    parts = [p for p in re.split(r"\s(?:\u203a|>|\u00bb|\u00b7|\|)\s", text) if p.strip()]
    return len(parts) >= 2 and all(len(p.split()) <= 4 for p in parts)


def _is_menu(text: str, lex: Lexicon) -> bool:
    """A site's menu on one line ("Laufschuhe · Laufanalyse · Lauftreff · Blog", "Hip | Knee
    | About Surgery | Book a Consultation"): three or more short parts between bars or middle
    dots, no number, no sentence, and no stretch or body word in any part."""
    if re.search(r"\d|[.!?:;]\s|[.!?:;]$", text):
        return False
    parts = [p.strip() for p in re.split(r"\s[|\u00b7\u2022]\s", text) if p.strip()]
    words = word_set(text)
    return _menu_items(parts) and not any(w in words for w in (*lex.vocabulary, *lex.body_words))


def _menu_items(parts: list[str]) -> bool:
    """Parts of a line that read as a menu's: three or more, each of one to three words."""
    return len(parts) >= MENU_ITEMS and all(0 < len(p.split()) <= 3 for p in parts)


def is_promo(sentence: str, lex: Lexicon) -> bool:
    low = " " + sentence.lower() + " "
    return any(phrase in low for phrase in lex.promo)


LINKS_LEAD_WORDS = 5
"""Words at most of a heading over links to other articles ("You may also like"): a longer
line is some title of its own."""


def leads_to_links(blocks: list[Block], index: int, lex: Lexicon) -> bool:
    """A short closing heading over the page's links to other articles ("Potrebbe
    interessarti anche" over two titles, then the footer): furniture, yet kept as the line
    where the routine ends, or the links would read as more exercises after the last. Only
    titles may follow it, the last over any text being that text's own heading ("Leave a
    comment" over its form); text straight under it, or under the one title after it, shows
    an advert's line inside the article."""
    block = blocks[index]
    if block.kind != "heading" or len(block.text.split()) > LINKS_LEAD_WORDS or not (
            is_outro_heading(block.text, lex)):
        return False
    links = 0
    for later in blocks[index + 1 :]:
        if is_noise_block(later, lex):
            continue
        if later.kind != "heading" or not is_title_like(later.text):
            # Text: the heading over it is no link but its own ("Deja un comentario" over
            # the comment form, or an exercise's name after an advert's line).
            return links > 1
        links += 1
    return links > 0


def is_outro_heading(text: str, lex: Lexicon) -> bool:
    return _starts_with(text, lex.outro_headings) or bool(re.match(
        rf"\d{{1,4}}\s+(?:{_alt(lex.comment_counts)})(?!\w)", text.strip(), re.IGNORECASE))


def is_outro_paragraph(text: str, lex: Lexicon) -> bool:
    """A paragraph that closes the article: a question to the reader, a sign-off, a pitch."""
    low = text.lower()
    if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", low) for p in lex.outro_phrases):
        return True
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    if sentences and all(s.endswith("?") for s in sentences):
        return True
    promos = sum(1 for s in sentences if is_promo(s, lex))
    return bool(sentences) and promos * 2 >= len(sentences)


def is_caption_of(text: str, name: str) -> bool:
    """A line that only repeats the exercise's name, like an image caption or alt text."""
    a, b = normalise(text), normalise(name)
    if not a or not b:
        return False
    return a == b or (is_title_like(text) and (a in b or b in a) and len(a) > 3)
