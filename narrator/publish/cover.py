"""Cover art: a generated square cover (title, total time, the stretches), or the user's own.

All Pillow calls live here, so that its exceptions become narrator errors. The cover is
embedded as the front cover (ID3 APIC type 3, or MP4 covr) so that a phone's player and
lock screen show it.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrator.errors import OptionError

COVER_SIZE = 1400
"""Pixels a side: Apple asks for at least 1400 x 1400, and phones scale it down well."""
MAX_OWN_COVER_SIDE = 3000
"""A user's image larger than this is scaled down before it is embedded."""
JPEG_QUALITY = 90

_BACKGROUND_TOP = (27, 58, 75)
_BACKGROUND_BOTTOM = (63, 112, 111)
_TEXT = (246, 241, 231)
_SOFT_TEXT = (214, 228, 222)
_ACCENT = (233, 196, 140)
_MARGIN = 110


@dataclass(frozen=True)
class Cover:
    """An encoded image, ready to embed."""

    data: bytes
    mime: str
    """"image/jpeg" or "image/png"."""
    width: int
    height: int


def _pil() -> Any:
    from PIL import Image, ImageDraw, ImageFont

    return Image, ImageDraw, ImageFont


def _encode_jpeg(image: Any) -> Cover:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return Cover(buffer.getvalue(), "image/jpeg", image.width, image.height)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """`text` broken into lines no wider than `width`, at spaces where possible."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _fit_title(draw: Any, font_at: Any, title: str, width: int) -> tuple[Any, list[str]]:
    """The largest title size (down to a floor) that fits in three lines."""
    for size in (120, 108, 96, 86, 76, 68, 60):
        font = font_at(size)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= 3 and all(draw.textlength(li, font=font) <= width for li in lines):
            return font, lines
    font = font_at(60)
    lines = _wrap(draw, title, font, width)
    if len(lines) > 3:
        lines = lines[:3]
        lines[2] = lines[2].rstrip(".,;:") + "..."
    return font, lines


def _ellipsize(draw: Any, text: str, font: Any, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "...", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def say_length(seconds: float) -> str:
    """The session's length as a cover shows it: "7 min", "1 h 5 min"."""
    minutes = max(1, round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def generate_cover(title: str, total_seconds: float, stretches: Sequence[str],
                   size: int = COVER_SIZE, *, language: str = "en") -> Cover:
    """A square cover: the title, the total time, and the numbered list of stretches, its
    words in the routine's `language`."""
    from narrator.script.cues import narration_language, phrases

    words = phrases(narration_language(language))
    image_module, draw_module, font_module = _pil()
    scale = size / COVER_SIZE

    def font_at(points: int) -> Any:
        # Pillow's built-in scalable font (10.1 and later): no font file, no network.
        return font_module.load_default(size=max(8, round(points * scale)))

    image = image_module.new("RGB", (size, size))
    draw = draw_module.Draw(image)
    for y in range(size):  # a calm vertical gradient, one line at a time
        t = y / (size - 1)
        colour = tuple(round(a + (b - a) * t)
                       for a, b in zip(_BACKGROUND_TOP, _BACKGROUND_BOTTOM, strict=True))
        draw.line([(0, y), (size, y)], fill=colour)
    margin = round(_MARGIN * scale)
    width = size - 2 * margin

    y = margin
    title_font, title_lines = _fit_title(draw, font_at, title, width)
    for line in title_lines:
        draw.text((margin, y), line, font=title_font, fill=_TEXT)
        y += round(title_font.size * 1.15)
    y += round(30 * scale)
    length_font = font_at(64)
    count = len(stretches)
    subtitle = f"{say_length(total_seconds)}  \u00b7  {words.stretches(count)}"
    draw.text((margin, y), subtitle, font=length_font, fill=_ACCENT)
    y += round(length_font.size * 1.3)
    draw.line([(margin, y), (margin + round(220 * scale), y)], fill=_ACCENT,
              width=max(2, round(6 * scale)))
    y += round(50 * scale)

    footer_font = font_at(40)
    footer_y = size - margin - footer_font.size
    room = footer_y - round(40 * scale) - y
    item_points = 54
    while item_points > 30 and count * round(item_points * 1.35 * scale) > room:
        item_points -= 4
    item_font = font_at(item_points)
    step = round(item_font.size * 1.35)
    fits = max(0, room // step)
    shown = list(stretches) if count <= fits else list(stretches[: max(0, fits - 1)])
    for number, name in enumerate(shown, 1):
        text = _ellipsize(draw, f"{number}.  {name}", item_font, width)
        draw.text((margin, y), text, font=item_font, fill=_SOFT_TEXT)
        y += step
    if len(shown) < count:
        more = words.cover["more"].format(n=count - len(shown))
        draw.text((margin, y), more, font=item_font, fill=_SOFT_TEXT)
    draw.text((margin, footer_y), f"{words.cover['footer']}  \u00b7  narrator", font=footer_font,
              fill=_SOFT_TEXT)
    return _encode_jpeg(image)


MAX_COVER_FILE = 50_000_000
"""Bytes of a --cover image read at most: a photo from a phone is a few MB."""


def load_cover(path: Path) -> Cover:
    """The user's image as an embeddable cover: JPEG or PNG kept as they are, anything else
    Pillow reads (WebP, GIF, ...) or anything too large re-encoded as JPEG."""
    image_module, _, _ = _pil()
    if not path.exists():
        raise OptionError("--cover: no such file", path=path)
    from narrator.files import read_limited

    # A regular file only, read to a limit: a FIFO or /dev/zero would hang or fill memory.
    data = read_limited(path, MAX_COVER_FILE, error=OptionError,
                        what="an image for --cover (JPEG or PNG)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            image = image_module.open(io.BytesIO(data))
            image.load()
    except (OSError, ValueError, SyntaxError, image_module.DecompressionBombWarning,
            image_module.DecompressionBombError) as exc:
        raise OptionError("--cover: not an image narrator can read (use a JPEG or PNG)",
                          path=path) from exc
    mime = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(str(image.format))
    if mime and max(image.size) <= MAX_OWN_COVER_SIDE:
        return Cover(data, mime, image.width, image.height)
    if max(image.size) > MAX_OWN_COVER_SIDE:
        image.thumbnail((MAX_OWN_COVER_SIDE, MAX_OWN_COVER_SIDE))
    if image.mode not in ("RGB", "L"):
        # Transparent images are laid on white: JPEG has no alpha.
        background = image_module.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    return _encode_jpeg(image)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of an embedded image, or None if it cannot be read."""
    image_module, _, _ = _pil()
    try:
        with image_module.open(io.BytesIO(data)) as image:
            return int(image.width), int(image.height)
    except (OSError, ValueError, SyntaxError):
        return None
