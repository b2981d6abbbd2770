"""Side files for other players: Podcasting 2.0 JSON chapters and a WebVTT transcript.

Both take their times from the same timeline as the audio and its ID3 chapters, converted
from samples only here, at the edge.
"""

from __future__ import annotations

import json

from narrator.model import Timeline, samples_to_ms

PODCAST_CHAPTERS_VERSION = "1.2.0"


def _seconds(samples: int) -> float:
    """Seconds to the millisecond, as both formats write them."""
    return samples_to_ms(samples) / 1000


def podcast_chapters(timeline: Timeline, *, title: str | None = None) -> str:
    """The chapters in the Podcasting 2.0 JSON chapters format."""
    document: dict[str, object] = {"version": PODCAST_CHAPTERS_VERSION}
    if title:
        document["title"] = title
    document["chapters"] = [
        {"startTime": _seconds(c.start), "endTime": _seconds(c.end), "title": c.title}
        for c in timeline.chapters
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _vtt_time(samples: int) -> str:
    ms = samples_to_ms(samples)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _vtt_text(text: str) -> str:
    # "-->" and a blank line would end a cue early; &, < and > are markup in WebVTT.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.split())


def webvtt(timeline: Timeline) -> str:
    """A WebVTT transcript: one cue for everything said, timed as it is heard.

    Each chapter starts with a NOTE naming it, so the file reads well as text too.
    """
    lines = ["WEBVTT", ""]
    speech = [e for e in timeline.events if e.kind == "speech" and e.text]
    chapters = list(timeline.chapters)
    for number, event in enumerate(speech, 1):
        while chapters and chapters[0].start <= event.start:
            lines += [f"NOTE {_vtt_text(chapters.pop(0).title)}", ""]
        lines += [str(number), f"{_vtt_time(event.start)} --> {_vtt_time(event.end)}",
                  _vtt_text(event.text or ""), ""]
    return "\n".join(lines)


def _ffmetadata_value(text: str) -> str:
    # FFMETADATA escapes '=', ';', '#', '\' and newlines with a backslash.
    for special in ("\\", "=", ";", "#", "\n"):
        text = text.replace(special, "\\" + special)
    return text


def ffmetadata(timeline: Timeline, tags: dict[str, str]) -> str:
    """Tags and chapters as an FFMETADATA file, for ffmpeg to write into an M4B.

    Chapter times are in samples (TIMEBASE 1/SAMPLE_RATE), so nothing is rounded on the
    way in.
    """
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_ffmetadata_value(value)}" for key, value in tags.items() if value]
    for chapter in timeline.chapters:
        lines += ["", "[CHAPTER]", f"TIMEBASE=1/{timeline.sample_rate}",
                  f"START={chapter.start}", f"END={chapter.end}",
                  f"title={_ffmetadata_value(chapter.title)}"]
    return "\n".join(lines) + "\n"
