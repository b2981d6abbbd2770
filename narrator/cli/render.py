"""What the commands print: the plan of a session and what a player shows of a file.

Pure functions from the library's results to lines of text; the commands echo them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from narrator.model import SAMPLE_RATE, samples_to_ms

if TYPE_CHECKING:
    from narrator.publish.tags import TagInfo
    from narrator.session import Session


def clock(samples: int) -> str:
    """A length or a start as minutes:seconds.milliseconds, e.g. "11:23.539"."""
    ms = samples_to_ms(samples)
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest / 1000:06.3f}"


def plan_lines(session: Session, rounds: int) -> Iterator[str]:
    """Each chapter's start, length and what is said, the holds, what was guessed, the total."""
    timeline = session.timeline
    yield f"{session.routine.title}  ({session.routine.source})"
    for note in session.routine.notes:
        yield f"  note: {note}"
    if session.voice is not None and session.voice.note:
        yield f"  note: {session.voice.note}"
    yield f"\n{'chapter':<32} {'start':>9} {'length':>9}  said"
    for chapter in timeline.chapters:
        said = [e.text for e in timeline.events
                if e.kind == "speech" and chapter.start <= e.start < chapter.end and e.text]
        summary = " / ".join(s for s in said if not s.isdigit())
        yield (f"{chapter.title[:32]:<32} {clock(chapter.start):>9} "
               f"{clock(chapter.end - chapter.start):>9}  {summary[:90]}")
    yield "\nholds:"
    for exercise in session.routine.exercises:
        holds = ", ".join(f"{h.seconds:g}s" + (f" {h.side}" if h.side else "")
                          for h in exercise.holds)
        sets = f"  [{exercise.sets.describe()}]" if exercise.sets is not None else ""
        yield f"  {exercise.name}: {holds}{sets}"
        for note in exercise.notes:
            yield f"    guessed: {note}"
    held = session.routine.hold_seconds * rounds
    yield (f"\ntotal {clock(timeline.total)}  "
           f"({held:g} s holding, {timeline.total / SAMPLE_RATE:.1f} s in all)")


_SHOWN_TAGS = (("TIT2", "title"), ("TPE1", "artist"), ("TALB", "album"), ("TCON", "genre"),
               ("TLEN", "length ms"), ("COMM", "comment"), ("TXXX:source", "source"),
               ("WOAS", "web page"))


def inspect_lines(file: Path, info: TagInfo) -> Iterator[str]:
    """What a player shows of `file`: length and format, tags, cover and chapters."""
    yield f"{file}"
    yield (f"  length    {info.length_ms / 1000:.3f} s, {info.format} "
           f"{info.bitrate // 1000} kb/s {info.bitrate_mode}, {info.sample_rate} Hz")
    for key, label in _SHOWN_TAGS:
        if key in info.text:
            yield f"  {label:<9} {info.text[key]}"
    if info.cover:
        size = (f"{info.cover.width}x{info.cover.height}" if info.cover.width
                else "unreadable image")
        yield (f"  cover     {info.cover.kind}, {info.cover.mime}, {size}, "
               f"{info.cover.bytes // 1024} KiB")
    else:
        yield "  cover     none"
    if info.lyrics_chars:
        yield f"  script    {info.lyrics_chars} characters (USLT)"
    yield f"  chapters ({len(info.chapters)}):"
    for number, chapter in enumerate(info.chapters, 1):
        yield (f"    {number:>2}. {chapter.start_ms / 1000:8.3f} - "
               f"{chapter.end_ms / 1000:8.3f}  {chapter.title}")
