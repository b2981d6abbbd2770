"""Text as a voice should read it: the few written forms it reads badly, spelled out.

eSpeak says "30" as "thirty" by itself, but reads "1-2 minutes" as "one dash two minutes",
"30s" as "thirty zee" and "2x" as "two ex". Only what the script shows the listener is
changed, in the words of the routine's language (the [speakable] table of
narrator/lang/cues/<code>.toml); the clip is still cached under the text as written (plus
TEXT_RULES_VERSION and the language).
"""

from __future__ import annotations

import re
from functools import cache

from narrator.script.cues import DEFAULT_LANGUAGE, narration_language, phrases

TEXT_RULES_VERSION = 2
"""Part of the clip cache key: bump it whenever a rule here changes what is spoken."""

# "1-2 minutes", "30-60 s" (hyphen, en or em dash): a range is said "one to two".
_RANGE = re.compile(r"(?<![\w.-])(\d{1,3})\s*[-\u2013\u2014]\s*(\d{1,3})(?![\d.-]*\d)")
# "2x", "3 x" (or the multiplication sign): times.
_TIMES = re.compile(r"\b(\d+)\s*[x\u00d7](?=\s|$|[.,;:!?])", re.IGNORECASE)
# "1/2 minute": half a minute (English only: other languages put "half" elsewhere).
_HALF = re.compile(r"\b1/2\s+(minute|second)\b")
_DECADE_WORDS = frozenset(
    {"the", "your", "their", "his", "her", "our", "my", "early", "late", "mid"})
"""Before these, "40s" is an age or a decade, not forty seconds (English)."""


@cache
def _unit_pattern(language: str) -> re.Pattern[str]:
    units = sorted(phrases(language).speakable.units, key=len, reverse=True)
    # An abbreviation's own full stop inside a sentence ("10 Wdh. auf ...") goes with it.
    return re.compile(r"\b(\d+(?:\.\d+)?)\s*(" + "|".join(map(re.escape, units))
                      + r")\b(\.(?=\s+[^\W\d_]))?", re.IGNORECASE)


def speakable(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """`text` with ranges, abbreviated units and multipliers written out in the words of
    `language`."""
    words = phrases(narration_language(language)).speakable
    text = _RANGE.sub(lambda m: words.range.format(low=m.group(1), high=m.group(2)), text)
    text = _TIMES.sub(lambda m: words.times.format(n=m.group(1)), text)
    if words.half is not None:
        half = words.half
        text = _HALF.sub(lambda m: half.format(unit=m.group(1)), text)

    def unit(match: re.Match[str]) -> str:
        number, abbreviation = match.group(1), match.group(2).lower()
        before = match.string[: match.start()].split()
        if (abbreviation == "s" and language == DEFAULT_LANGUAGE and before
                and before[-1].lower() in _DECADE_WORDS):
            return match.group(0)
        singular, plural = words.units[abbreviation]
        stop = match.group(3) or ""
        if stop and match.string[match.end():].lstrip()[:1].islower():
            stop = ""
        return f"{number} {singular if number == '1' else plural}{stop}"

    return _unit_pattern(narration_language(language)).sub(unit, text)
