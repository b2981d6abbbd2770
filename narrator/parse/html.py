"""A saved web page -> Markdown-like text, with the page furniture left out.

The stdlib HTML parser walks the page; navigation, scripts, footers, asides, image
captions and alt text, and elements whose class or id names an ad or a share bar are
skipped. What remains is written as the Markdown the text reader already understands
(headings as "#", list items as "1." or "-", table rows as "|"), so HTML needs no
separate exercise finder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose whole content is never part of the routine.
_SKIPPED = frozenset({
    "script", "style", "nav", "footer", "aside", "figcaption", "noscript", "svg", "iframe",
    "template", "form", "button", "select", "object", "canvas", "video", "audio", "head",
    "textarea", "label", "dialog", "menu",
})
# Words in a class or id that mark page furniture rather than content.
_FURNITURE = frozenset({
    "ad", "ads", "advert", "adverts", "advertisement", "advertising", "sponsor", "sponsored",
    "promo", "promotion", "related", "share", "sharing", "social", "newsletter", "comment",
    "comments", "cookie", "cookies", "sidebar", "menu", "breadcrumb", "breadcrumbs", "footer",
    "nav", "navbar", "navigation", "subscribe", "subscription", "author", "bio", "byline",
    "widget", "popup", "modal", "banner", "caption", "credit", "credits", "disclaimer",
    "recommended", "outbrain", "taboola", "affiliate", "signup", "toc", "skip", "meta",
    "tags", "pagination", "masthead", "header-nav", "wp-caption-text",
})
_VOID = frozenset({"img", "br", "hr", "input", "meta", "link", "source", "wbr", "area", "base",
                   "col", "embed", "param", "track"})
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
    "h6", "table", "tr", "td", "th", "thead", "tbody", "blockquote", "dd", "dt", "dl", "figure",
    "pre", "header", "body", "html", "center", "address", "details", "summary", "caption",
})


@dataclass
class _List:
    ordered: bool
    next_number: int = 1


_TABLE_TAGS = frozenset({"table", "tr", "td", "th", "thead", "tbody", "tfoot"})
_INSIDE_LAYOUT = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "div", "table",
                            "blockquote", "section", "article"})


class _LayoutTables(HTMLParser):
    """Which tables (by their order in the page) only lay the page out, as e-mails and old
    sites do: a table with paragraphs, headings, lists or other tables inside holds text,
    not rows of data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.layout: set[int] = set()
        self._count = 0
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INSIDE_LAYOUT and self._open:
            self.layout.add(self._open[-1])
        if tag == "table":
            self._open.append(self._count)
            self._count += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open:
            self._open.pop()


class _Page(HTMLParser):
    """Collects the page's content as lines of Markdown-like text."""

    def __init__(self, layout_tables: frozenset[int] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self._layout_tables = layout_tables
        self._tables_seen = 0
        self._table_kinds: list[bool] = []
        """For each open table: whether it only lays the page out."""
        self.lines: list[str] = []
        self.title = ""
        self._buffer: list[str] = []
        self._prefix = ""
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []
        self._lists: list[_List] = []
        self._in_title = False
        self._row: list[str] | None = None
        self._row_is_header = False
        self._rows_seen = 0
        self._cell: list[str] | None = None

    # -- structure

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and not self._skip_depth:
                self._buffer.append("\n")
            elif tag == "hr" and not self._skip_depth:
                self._flush()
            return
        if tag == "title":  # read although <head> is skipped; an <svg> title comes later
            self._in_title = not self.title
        skip = tag in _SKIPPED or _is_furniture(attrs)
        if tag == "table":
            self._table_kinds.append(self._tables_seen in self._layout_tables)
            self._tables_seen += 1
        self._stack.append((tag, skip))
        if tag in _TABLE_TAGS and self._table_kinds and self._table_kinds[-1]:
            tag = "div"  # a layout table's cells are only boxes of text
        if skip:
            self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag in ("strong", "b"):
            self._buffer.append("**")
        elif tag in _BLOCK:
            self._start_block(tag)

    def _start_block(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = []
            if tag == "th":
                self._row_is_header = True
            return
        self._flush()
        if tag in ("ul", "ol"):
            self._lists.append(_List(ordered=tag == "ol"))
        elif tag == "li":
            current = self._lists[-1] if self._lists else _List(ordered=False)
            if current.ordered:
                self._prefix = f"{current.next_number}. "
                current.next_number += 1
            else:
                self._prefix = "- "
        elif re.fullmatch(r"h[1-6]", tag):
            self._prefix = "#" * int(tag[1]) + " "
        elif tag == "tr":
            self._row, self._row_is_header = [], False
        elif tag == "table":
            self._rows_seen = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Close up to the matching start tag; browsers forgive missing end tags, so do we.
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                for closed, skip in reversed(self._stack[depth:]):
                    self._close(closed, skip)
                del self._stack[depth:]
                return

    def _close(self, tag: str, skip: bool) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _TABLE_TAGS and self._table_kinds:
            layout = self._table_kinds[-1]
            if tag == "table":
                self._table_kinds.pop()
            if layout:
                tag = "div"
        if skip:
            self._skip_depth -= 1
            return
        if self._skip_depth:
            return
        if tag in ("strong", "b"):
            self._buffer.append("**")
        elif tag in ("td", "th"):
            if self._cell is not None and self._row is not None:
                self._row.append(_one_line("".join(self._cell)).replace("|", "/"))
            self._cell = None
        elif tag == "tr":
            self._end_row()
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in _BLOCK:
            self._flush()

    def _end_row(self) -> None:
        if self._row:
            self.lines.append("| " + " | ".join(self._row) + " |")
            if self._row_is_header or self._rows_seen == 0:
                self.lines.append("|" + "---|" * len(self._row))
            self._rows_seen += 1
            self.lines.append("")
        self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._skip_depth:
            return
        elif self._cell is not None:
            self._cell.append(data)
        else:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer.clear()
        prefix, self._prefix = self._prefix, ""
        lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
        lines = [line for line in lines if line.strip("* ")]
        if not lines:
            return
        if prefix.startswith("#"):
            self.lines.extend([prefix + " ".join(lines), ""])
            return
        self.lines.append(prefix + lines[0])
        self.lines.extend(("   " if prefix else "") + line for line in lines[1:])
        self.lines.append("")

    def close(self) -> None:
        super().close()
        self._flush()


def _is_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "role" and value in ("navigation", "banner", "contentinfo", "complementary"):
            return True
        if name in ("class", "id") and value:
            tokens = set(re.split(r"[\s_\-]+", value.lower()))
            if tokens & _FURNITURE:
                return True
        if name == "style" and value and re.search(r"display\s*:\s*none", value):
            return True
    return False


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_to_markdown(page: str) -> tuple[str, str]:
    """The page's content as Markdown-like text, and the text of its <title>."""
    tables = _LayoutTables()
    tables.feed(page)
    tables.close()
    parser = _Page(frozenset(tables.layout))
    parser.feed(page)
    parser.close()
    return "\n".join(parser.lines), _one_line(parser.title)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    tags = re.findall(r"</?(?:p|div|h[1-6]|li|ul|ol|body|head|span|br|table|article)\b", head)
    return len(tags) >= 3
