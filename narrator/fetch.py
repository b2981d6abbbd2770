"""A routine from a web address: fetch the page with httpx, within real-world limits.

What comes back is the page's text and which of the parser's formats it is; the parser then
reads it exactly as it reads a saved page (`narrator.parse.parse_text`). Each limit is one
clear FetchError (exit 3), never a traceback:

- connect and read timeouts, and a time limit for the whole page;
- at most MAX_REDIRECTS redirects;
- at most MAX_BYTES read: reading stops there;
- HTML, plain text and Markdown only; anything else is refused by name ("the page is a PDF");
- an HTTP error status;
- http and https only.

The charset comes from a byte order mark, the Content-Type header, or the page's own
<meta charset>, in that order (as browsers do), else UTF-8, else Windows-1252.

A fetched page is cached by its address for a day (CACHE_SECONDS), so rebuilding with new
holds does not fetch again; `refresh` fetches anew. Offline (`offline`, or NARRATOR_OFFLINE=1)
nothing is fetched: a cached page of any age is used, else FetchError. Entries are written
whole and checked when read (their key, address and a digest of the text); a damaged one is
deleted and fetched again, never served.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrator.cache import content_key, drop_entry, entry_path, read_entry, write_entry
from narrator.errors import FetchError

if TYPE_CHECKING:
    import httpx

    from narrator.options import FetchOptions

OFFLINE_ENV = "NARRATOR_OFFLINE"
MAX_BYTES = 5 * 1024 * 1024
"""A long article with its scripts and markup is well under 1 MB."""
MAX_REDIRECTS = 5
CACHE_SECONDS = 24 * 60 * 60
SCHEMES = ("http", "https")

# What the parser reads, by media type; None lets it tell HTML, TOML and Markdown apart.
_ACCEPTED: dict[str, str | None] = {
    "text/html": "html", "application/xhtml+xml": "html",
    "text/markdown": "markdown", "text/x-markdown": "markdown",
    "text/plain": None,
}
# What a refused page is, in words.
_NAMES = {
    "application/pdf": "a PDF", "application/json": "JSON", "application/zip": "a ZIP archive",
    "application/epub+zip": "an EPUB book", "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        "a Word document",
    "application/rtf": "an RTF document", "text/rtf": "an RTF document",
    "application/octet-stream": "binary data", "application/xml": "XML", "text/xml": "XML",
    "application/rss+xml": "a feed", "application/atom+xml": "a feed",
    "text/css": "a style sheet", "text/javascript": "a script",
    "application/javascript": "a script",
}
_KINDS = {"image": "an image", "audio": "audio", "video": "a video", "font": "a font"}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Limits:
    """How long and how much a fetch may take."""

    connect_s: float = 10.0
    read_s: float = 20.0
    """Longest silence while the page arrives."""
    total_s: float = 60.0
    """The whole page, from the request to its last byte."""
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Page:
    url: str
    """The address as given: the cache's key, and the routine's source."""
    final_url: str
    """Where the redirects led."""
    text: str
    format: str | None
    """The parser's format ("html", "markdown"), or None to let it tell from the text."""
    media_type: str
    fetched_at: float
    """Seconds since the epoch."""
    from_cache: bool = False


def is_url(source: object) -> bool:
    """Whether a source names a web address (any scheme: only http(s) is then fetched)."""
    return isinstance(source, str) and bool(_URL.match(source))


def offline_from_env() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def read_page(url: str, options: FetchOptions | None = None,
              limits: Limits | None = None) -> Page:
    """The page at `url`: from the cache when it holds one from the last day, else fetched.

    FetchError (exit 3) for every way a fetch can fail or be refused."""
    offline = bool(options and options.offline) or offline_from_env()
    refresh = bool(options and options.refresh)
    _check_scheme(url)
    offline_note = f"narrator is offline (--offline or {OFFLINE_ENV}=1)"
    if offline and refresh:
        raise FetchError(f"not fetched: --refresh asks for a fetch, but {offline_note}",
                         path=url)
    entry = _entry_path(url)
    cached = None if refresh else _read_entry(entry, url)
    if cached is not None and (offline or time.time() - cached.fetched_at < CACHE_SECONDS):
        return cached
    if offline:
        raise FetchError(f"not fetched: {offline_note}, and the page is not in the cache",
                         path=url)
    page = fetch(url, limits or DEFAULT_LIMITS)
    _write_entry(entry, page)
    return page


def fetch(url: str, limits: Limits | None = None) -> Page:
    """GET the page, within `limits`; no cache."""
    import httpx

    limits = limits or DEFAULT_LIMITS
    _check_scheme(url)
    timeout = httpx.Timeout(limits.read_s, connect=limits.connect_s)
    headers = {"User-Agent": f"narrator/{_version()} (reads a stretching routine)",
               "Accept": "text/html, text/markdown;q=0.9, text/plain;q=0.8"}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True,
                          max_redirects=limits.max_redirects, headers=headers) as client, \
                client.stream("GET", url) as response:
            _check_response(response, url, limits)
            body = _read_body(response, url, limits)
            final_url = str(response.url)
            content_type = response.headers.get("content-type", "")
            header_charset = response.charset_encoding
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {limits.max_redirects} redirects (a redirect loop?)",
                         path=url) from None
    except httpx.ConnectTimeout:
        raise FetchError(f"no connection within {limits.connect_s:g} s (connect timeout)",
                         path=url) from None
    except httpx.ReadTimeout:
        raise FetchError(f"the server sent nothing for {limits.read_s:g} s (read timeout)",
                         path=url) from None
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out: {exc}", path=url) from None
    except httpx.UnsupportedProtocol:
        raise FetchError("redirected to an address that is not http or https",
                         path=url) from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"not a valid web address: {exc}", path=url) from None
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {_reason(exc)}", path=url) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"the fetch failed: {_reason(exc)}", path=url) from None
    media_type = content_type.split(";", 1)[0].strip().lower()
    fmt = _format(media_type, body, url)
    text = _decode(body, header_charset, html=fmt == "html")
    if not text.strip():
        raise FetchError("the page is empty: expected a stretching routine", path=url)
    return Page(url=url, final_url=final_url, text=text, format=fmt,
                media_type=media_type or "text/plain", fetched_at=time.time())


# --------------------------------------------------------------------------- the checks


def _check_scheme(url: str) -> None:
    scheme = url.split("://", 1)[0].lower()
    if scheme not in SCHEMES:
        raise FetchError(f"cannot fetch {scheme}: addresses: only http and https", path=url)


def _check_response(response: httpx.Response, url: str, limits: Limits) -> None:
    if response.is_error:
        phrase = response.reason_phrase or ""
        raise FetchError(f"the server answered {response.status_code} {phrase}".rstrip(),
                         path=url)
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type and media_type not in _ACCEPTED:
        raise FetchError(f"the page is {_name(media_type)}, not HTML, plain text or Markdown "
                         "(save the text and pass the file)", path=url)
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"the page is {int(length) / 1e6:.1f} MB; at most "
                         f"{_megabytes(limits.max_bytes)} is read", path=url)


def _read_body(response: httpx.Response, url: str, limits: Limits) -> bytes:
    """The body, stopping once it passes the size limit or the time limit."""
    started = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"the page is larger than {_megabytes(limits.max_bytes)}; "
                             "reading stopped there", path=url)
        if time.monotonic() - started > limits.total_s:
            raise FetchError(f"the page took longer than {limits.total_s:g} s to arrive",
                             path=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _format(media_type: str, body: bytes, url: str) -> str | None:
    if body.lstrip()[:5] == b"%PDF-":  # whatever the server calls it
        raise FetchError(f"the page is {_NAMES['application/pdf']}, not HTML, plain text or "
                         "Markdown (save the text and pass the file)", path=url)
    if b"\x00" in body[:8192] and not body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FetchError("the page is binary data, not HTML, plain text or Markdown", path=url)
    return _ACCEPTED.get(media_type)


def _name(media_type: str) -> str:
    kind = media_type.split("/", 1)[0]
    return _NAMES.get(media_type) or (
        f"{_KINDS[kind]} ({media_type})" if kind in _KINDS else media_type)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _version() -> str:
    import narrator

    return str(narrator.__version__)


# --------------------------------------------------------------------------- the charset


def _codec(name: str | None) -> str | None:
    """A Python codec for a charset label; None when there is none. ISO-8859-1 and ASCII
    labels mean Windows-1252, as in every browser (WHATWG Encoding)."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _decode(body: bytes, header_charset: str | None, *, html: bool) -> str:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = _codec(header_charset)
    if declared is None and html and (found := _META_CHARSET.search(body[:4096])):
        declared = _codec(found.group(1).decode("ascii"))
        # A page that is read as bytes cannot be UTF-16 whatever its meta says.
        if declared is not None and declared.startswith("utf-16"):
            declared = "utf-8"
    if declared is not None:
        return body.decode(declared, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- the cache


def _entry_path(url: str) -> Path:
    return entry_path("pages", _key(url), ".json")


def _key(url: str) -> str:
    return content_key("page", url)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _write_entry(path: Path, page: Page) -> None:
    entry = {"key": _key(page.url), "url": page.url, "final_url": page.final_url,
             "format": page.format, "media_type": page.media_type,
             "fetched_at": page.fetched_at, "sha256": _digest(page.text), "text": page.text}
    write_entry(path, json.dumps(entry, ensure_ascii=False).encode("utf-8", "surrogatepass"),
                _key(page.url))


def _read_entry(path: Path, url: str) -> Page | None:
    """The cached page, if the entry is whole and is this address's; else None (and a
    damaged entry is deleted)."""
    raw = read_entry(path, _key(url))  # checks the entry's key and digest
    if raw is None:
        return None
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        entry: dict[str, Any] = json.loads(raw.decode("utf-8", "surrogatepass"))
        text = entry["text"]
        fine = (entry["key"] == _key(url) and entry["url"] == url and isinstance(text, str)
                and entry["sha256"] == _digest(text) and entry["format"] in ("html", "markdown",
                                                                              None)
                and isinstance(entry["fetched_at"], (int, float))
                and entry["fetched_at"] <= time.time() + 60)
        if fine:
            return Page(url=url, final_url=str(entry["final_url"]), text=text,
                        format=entry["format"], media_type=str(entry["media_type"]),
                        fetched_at=float(entry["fetched_at"]), from_cache=True)
    drop_entry(path)
    return None
