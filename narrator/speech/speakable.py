"""Text as eSpeak NG should read it: the few written forms it reads badly, spelled out.

eSpeak says "30" as "thirty" by itself, but reads "1-2 minutes" as "one dash two minutes",
"30s" as "thirty zee" and "2x" as "two ex". Only what the script shows the listener is
changed; the clip is still cached under the text as written (plus TEXT_RULES_VERSION).
"""

from __future__ import annotations

import re

TEXT_RULES_VERSION = 1
"""Part of the clip cache key: bump it whenever a rule here changes what is spoken."""

_UNITS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds",
    "min": "minutes", "mins": "minutes",
    "rep": "repetitions", "reps": "repetitions",
}
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "1-2 minutes", "30-60 s" (hyphen, en or em dash): a range is said "one to two".
    (re.compile(r"(?<![\w.-])(\d{1,3})\s*[-\u2013\u2014]\s*(\d{1,3})(?![\d.-]*\d)"),
     r"\1 to \2"),
    # "2x", "3 x" (or the multiplication sign): times.
    (re.compile(r"\b(\d+)\s*[x\u00d7](?=\s|$|[.,;:!?])", re.IGNORECASE), r"\1 times"),
    # "1/2 minute": half a minute.
    (re.compile(r"\b1/2\s+(minute|second)\b"), r"half a \1"),
)
_UNIT = re.compile(r"\b(\d+(?:\.\d+)?)\s*(" + "|".join(_UNITS) + r")\b", re.IGNORECASE)
_DECADE_WORDS = frozenset(
    {"the", "your", "their", "his", "her", "our", "my", "early", "late", "mid"})
"""Before these, "40s" is an age or a decade, not forty seconds."""


def speakable(text: str) -> str:
    """`text` with ranges, abbreviated units and multipliers written out in words."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)

    def unit(match: re.Match[str]) -> str:
        number, abbreviation = match.group(1), match.group(2).lower()
        before = match.string[: match.start()].split()
        if abbreviation == "s" and before and before[-1].lower() in _DECADE_WORDS:
            return match.group(0)
        word = _UNITS[abbreviation]
        if number == "1":
            word = word[:-1]
        return f"{number} {word}"

    return _UNIT.sub(unit, text)
